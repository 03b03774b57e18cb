package vn.bhxh.shield.processor;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads {@code bhxh.reports.v1}: a record that cannot be decoded goes to {@code bhxh.deadletter.v1} with the
 * reason and the stream goes on; the decoded reports are returned for the flows downstream.
 */
public final class ReportIntakeFlow {

    private ReportIntakeFlow() {
    }

    public static KStream<String, Report> buildTopology(StreamsBuilder builder, Topics topics) {
        Topic<String, Report> reports = topics.reports();
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();

        KStream<String, Decoded<Report>> decoded = builder
                .stream(reports.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-reports"))
                .processValues(() -> new DecodeProcessor<>(reports.name(), reports.valueSerde().deserializer()),
                        Named.as("decode-reports"));

        decoded.filter((key, value) -> value.isFailure(), Named.as("undecodable-reports"))
                .map((key, value) -> KeyValue.pair(DeadLetters.key(value.failure()), value.failure()),
                        Named.as("to-dead-letter"))
                .to(deadLetters.name(), Produced.with(deadLetters.keySerde(), deadLetters.valueSerde())
                        .withName("write-dead-letters"));

        return decoded.filter((key, value) -> !value.isFailure(), Named.as("decoded-reports"))
                .mapValues(Decoded::value, Named.as("report-values"));
    }
}
