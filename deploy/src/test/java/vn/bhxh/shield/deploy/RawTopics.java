package vn.bhxh.shield.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every byte on every topic of a cluster (Kafka's own internal topics, Kafka Streams' changelogs and repartition
 * topics, uncommitted and aborted records too), searched for strings as their UTF-8 bytes: Avro, JSON and plain
 * keys all carry text that way.
 */
final class RawTopics {

    /** What was read, and each string found as {@code "string on topic-partition@offset"}. */
    record Scan(Set<String> topics, long records, List<String> hits) {
    }

    private RawTopics() {
    }

    static Scan scan(String bootstrapServers, List<String> strings) throws ExecutionException, InterruptedException {
        // ISO-8859-1 maps every byte to one char, so a byte sequence is found exactly where it occurs.
        List<String> needles = strings.stream()
                .map(s -> new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)).toList();
        Set<String> topics;
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            topics = new TreeSet<>(admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get());
            admin.describeTopics(topics).allTopicNames().get().values().forEach(description -> description.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition()))));
        }
        List<String> hits = new ArrayList<>();
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    records++;
                    StringBuilder bytes = new StringBuilder().append(text(record.key())).append('\0')
                            .append(text(record.value()));
                    for (Header header : record.headers()) {
                        bytes.append('\0').append(header.key()).append('\0').append(text(header.value()));
                    }
                    for (int i = 0; i < needles.size(); i++) {
                        if (bytes.indexOf(needles.get(i)) >= 0) {
                            hits.add(strings.get(i) + " on " + record.topic() + "-" + record.partition() + "@"
                                    + record.offset());
                        }
                    }
                }
            }
        }
        return new Scan(topics, records, hits);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
