package vn.bhxh.shield.processor;

import io.micrometer.core.instrument.MeterRegistry;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.ErrorKind;

/** The processor's own counters, next to Kafka Streams' metrics on {@code /metrics}. Thread-safe. */
final class ProcessorMetrics {

    private final MeterRegistry registry;

    ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void reportDecoded() {
        registry.counter("bhxh_processor_reports_decoded").increment();
    }

    void deadLetter(ErrorKind kind) {
        registry.counter("bhxh_processor_dead_letters", "kind", kind.name()).increment();
    }

    void alert(AlertLevel level) {
        registry.counter("bhxh_processor_alerts", "level", level.name()).increment();
    }

    /** {@code change}: LISTED, CONFIRMED, DELISTED, EXPIRED, ALLOWLISTED. */
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
