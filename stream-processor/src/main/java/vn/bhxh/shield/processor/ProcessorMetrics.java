package vn.bhxh.shield.processor;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.ErrorKind;

/**
 * The processor's own counters, next to Kafka Streams' metrics on {@code /metrics}. Thread-safe.
 * <p>
 * Every tagged series the dashboard and alert rules use is registered at zero at start: Prometheus'
 * {@code increase()} sees nothing of a series whose first sample is already 1, so the first dead letter would
 * never fire its alert.
 */
final class ProcessorMetrics {

    /** The {@code province} tag of alerts written to the national topic. */
    static final String NATIONAL = "national";
    static final List<String> LISTING_CHANGES = List.of(BlocklistStatus.LISTED.name(),
            BlocklistStatus.CONFIRMED.name(), "DELISTED", "EXPIRED", "ALLOWLISTED", "PROPOSED", "REJECTED",
            "UNALLOWLISTED");

    private final MeterRegistry registry;

    ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.counter("bhxh_processor_reports_decoded");
        registry.counter("bhxh_processor_reports_too_late");
        for (ErrorKind kind : List.of(ErrorKind.DESERIALIZATION, ErrorKind.VALIDATION, ErrorKind.PROCESSING)) {
            registry.counter("bhxh_processor_dead_letters", "kind", kind.name());
        }
        LISTING_CHANGES.forEach(change -> registry.counter("bhxh_processor_listings", "change", change));
        for (AlertLevel level : AlertLevel.values()) {
            registry.counter("bhxh_processor_alerts", "level", level.name());
            registry.counter("bhxh_processor_province_alerts", "level", level.name(), "province", NATIONAL);
            for (Province province : Provinces.all()) {
                registry.counter("bhxh_processor_province_alerts", "level", level.name(), "province", province.slug());
            }
        }
    }

    /** One per indicator record of a report (a report naming two indicators counts twice). */
    void reportDecoded() {
        registry.counter("bhxh_processor_reports_decoded").increment();
    }

    void deadLetter(ErrorKind kind) {
        registry.counter("bhxh_processor_dead_letters", "kind", kind.name()).increment();
    }

    /** Once per alert raised, whatever the topics it goes to. */
    void alert(AlertLevel level) {
        registry.counter("bhxh_processor_alerts", "level", level.name()).increment();
    }

    /** Once per alert topic an alert is written to: a province's slug, or {@link #NATIONAL}. */
    void alertTo(AlertLevel level, String province) {
        registry.counter("bhxh_processor_province_alerts", "level", level.name(), "province", province).increment();
    }

    /** {@code change}: one of {@link #LISTING_CHANGES}. */
    void listing(String change) {
        registry.counter("bhxh_processor_listings", "change", change).increment();
    }

    /** A report older than the widest window plus grace: counted nowhere, but kept in bhxh.reports.v1. */
    void tooLate() {
        registry.counter("bhxh_processor_reports_too_late").increment();
    }

    double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
