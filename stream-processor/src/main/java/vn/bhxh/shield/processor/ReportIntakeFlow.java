package vn.bhxh.shield.processor;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads {@code bhxh.reports.v1}: a record that cannot be decoded goes to {@code bhxh.deadletter.v1} with the
 * reason and the stream goes on; the decoded reports are returned for the flows downstream.
 */
public final class ReportIntakeFlow {

    private ReportIntakeFlow() {
    }

    static KStream<String, Report> buildTopology(StreamsBuilder builder, Topics topics, ProcessorMetrics metrics) {
        return Intake.decoded(builder, topics.reports(), "reports", topics, metrics)
                .peek((key, report) -> metrics.reportDecoded(), Named.as("count-decoded-reports"));
    }
}
