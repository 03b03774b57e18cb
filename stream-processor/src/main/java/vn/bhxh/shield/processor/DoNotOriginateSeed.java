package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.allowlist.DoNotOriginate;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Brings {@code bhxh.do-not-originate.v1} in line with the seed's inbound-only numbers ({@link DoNotOriginate}) when
 * the processor starts, right after the allowlist seed and retried with it: reads what the topic holds now
 * (read_committed, from its beginning up to its end at the start of the read), then writes only the difference,
 * tombstones for numbers that left the seed or are no longer inbound-only included. Idempotent: a second run finds
 * nothing to write, and two instances starting together write the same records.
 */
final class DoNotOriginateSeed {

    private static final Logger log = LoggerFactory.getLogger(DoNotOriginateSeed.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private DoNotOriginateSeed() {
    }

    /** Writes what {@code seed} changes on the topic, and returns it. */
    static DoNotOriginate.Changes write(KafkaSettings kafka, Topics topics, List<AllowlistEntry> seed) {
        Topic<String, DoNotOriginateEntry> topic = topics.doNotOriginate();
        DoNotOriginate.Changes changes = DoNotOriginate.changes(current(kafka, topic), seed);
        if (changes.isEmpty()) {
            return changes;
        }
        try (var producer = new KafkaProducer<>(kafka.reliableProducer(ProcessorService.NAME + "-do-not-originate"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            changes.upserts().forEach((key, entry) ->
                    sent.add(producer.send(new ProducerRecord<>(topic.name(), key, entry))));
            changes.removals().forEach(key -> sent.add(producer.send(new ProducerRecord<>(topic.name(), key, null))));
            for (Future<RecordMetadata> send : sent) {
                send.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write " + topic.name(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing " + topic.name(), e);
        }
        log.info("{}: wrote {}, removed {}", topic.name(), changes.upserts().keySet(), changes.removals());
        return changes;
    }

    /** The topic's latest value per key, tombstoned keys left out. */
    private static Map<String, DoNotOriginateEntry> current(KafkaSettings kafka,
                                                            Topic<String, DoNotOriginateEntry> topic) {
        Map<String, Object> props = kafka.common(ProcessorService.NAME + "-do-not-originate-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, DoNotOriginateEntry> current = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("cannot read " + topic.name() + " to its end within "
                            + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (record.value() == null) {
                        current.remove(record.key());
                    } else {
                        current.put(record.key(),
                                topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
                    }
                }
            }
        }
        return current;
    }
}
