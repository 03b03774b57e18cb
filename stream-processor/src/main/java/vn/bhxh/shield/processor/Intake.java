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
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/** Reading an input topic safely: every record that cannot be used goes to the dead-letter topic, counted by kind. */
final class Intake {

    private Intake() {
    }

    /** The decoded values of {@code topic}; what cannot be decoded is dead-lettered and the stream goes on. */
    static <T> KStream<String, T> decoded(StreamsBuilder builder, Topic<String, T> topic, String name,
                                          Topics topics, ProcessorMetrics metrics) {
        KStream<String, Decoded<T>> decoded = builder
                .stream(topic.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("read-" + name))
                .processValues(() -> new DecodeProcessor<>(topic.name(), topic.valueSerde().deserializer()),
                        Named.as("decode-" + name));
        return usable(decoded, "undecodable-" + name, topics, metrics);
    }

    /** The values that passed; the failures are written to {@code bhxh.deadletter.v1}. */
    static <T> KStream<String, T> usable(KStream<String, Decoded<T>> stream, String name, Topics topics,
                                         ProcessorMetrics metrics) {
        writeDeadLetters(stream.filter((key, value) -> value.isFailure(), Named.as(name))
                .mapValues(Decoded::failure, Named.as(name + "-letters")), name, topics, metrics);
        return stream.filter((key, value) -> !value.isFailure(), Named.as(name + "-passed"))
                .mapValues(Decoded::value, Named.as(name + "-values"));
    }

    static void writeDeadLetters(KStream<String, DeadLetter> letters, String name, Topics topics,
                                 ProcessorMetrics metrics) {
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();
        letters.map((key, letter) -> KeyValue.pair(DeadLetters.key(letter), letter), Named.as(name + "-keyed"))
                .peek((key, letter) -> metrics.deadLetter(letter.getErrorKind()), Named.as(name + "-counted"))
                .to(deadLetters.name(), Produced.with(deadLetters.keySerde(), deadLetters.valueSerde())
                        .withName("write-" + name));
    }
}
