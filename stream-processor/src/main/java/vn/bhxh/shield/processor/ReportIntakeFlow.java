package vn.bhxh.shield.processor;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads reports as ingest writes them for the rules: {@code bhxh.indicator-events.v1}, one record per canonical
 * indicator of a report, keyed by the indicator and stamped with the report's event time. Ingest refuses a report
 * with an unknown province or no valid indicator (HTTP 4xx); other producers may not, so the contract is checked
 * again: a record that cannot be decoded is a DESERIALIZATION dead letter, one whose key is not the canonical
 * indicator it carries, or that names a province slug that does not exist, a VALIDATION dead letter; the stream
 * goes on.
 */
public final class ReportIntakeFlow {

    private ReportIntakeFlow() {
    }

    static KStream<String, IndicatorInput> buildTopology(StreamsBuilder builder, Topics topics,
                                                         ProcessorMetrics metrics) {
        KStream<String, Decoded<IndicatorInput>> checked =
                Intake.decoded(builder, topics.indicatorEvents(), "indicator-events", topics, metrics)
                        .peek((key, event) -> metrics.reportDecoded(), Named.as("count-decoded-reports"))
                        .processValues(() -> new ValidateProcessor<>(topics.indicatorEvents(), ReportIntakeFlow::check),
                                Named.as("validate-indicator-events"));
        return Intake.usable(checked, "invalid-indicator-events", topics, metrics);
    }

    static Verdict<IndicatorInput> check(String key, IndicatorEvent event) {
        // Ingest refuses it, but other producers (a tool, a replay, the benchmark's loader) write here too: an
        // unknown province would otherwise fail every attempt at routing the record's alerts.
        if (event.getProvince() != null && Provinces.bySlug(event.getProvince()).isEmpty()) {
            return Verdict.invalid("indicator record of report " + event.getReportId() + " names the unknown province"
                    + " slug '" + event.getProvince() + "'");
        }
        boolean canonical = Indicator.parseKey(event.getIndicator())
                .filter(indicator -> indicator.key().equals(event.getIndicator()) && event.getIndicator().equals(key))
                .isPresent();
        return canonical ? Verdict.valid(new IndicatorInput.ReportSeen(event))
                : Verdict.invalid("indicator record of report " + event.getReportId() + " is keyed by '" + key
                + "' for indicator '" + event.getIndicator() + "': both must be the same canonical indicator key");
    }
}
