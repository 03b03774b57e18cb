package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.testkit.KafkaEndpoints;
import vn.bhxh.shield.topic.Topics;

/**
 * Every record on the processor's output topics as a downstream reader sees them, in offset order per partition:
 * with {@code read_committed} what its transactions committed, with {@code read_uncommitted} also what aborted
 * transactions (of killed instances) had written.
 */
record ProcessorOutputs(List<ConsumerRecord<String, Alert>> alerts,
                        List<ConsumerRecord<String, BlocklistEntry>> blocklist,
                        List<ConsumerRecord<String, DeadLetter>> deadLetters) {

    static ProcessorOutputs read(KafkaEndpoints kafka, Topics topics, IsolationLevel isolation) {
        List<String> alertTopics = new ArrayList<>(List.of(Topics.ALERTS_NATIONAL));
        Provinces.all().stream().map(Province::slug).map(Topics::provinceAlertsName).forEach(alertTopics::add);
        return new ProcessorOutputs(
                readAll(kafka, isolation, alertTopics, topics.nationalAlerts().valueSerde().deserializer()),
                readAll(kafka, isolation, List.of(Topics.BLOCKLIST), topics.blocklist().valueSerde().deserializer()),
                readAll(kafka, isolation, List.of(Topics.DEAD_LETTER),
                        topics.deadLetters().valueSerde().deserializer()));
    }

    int size() {
        return alerts.size() + blocklist.size() + deadLetters.size();
    }

    /** Everything on {@code topicNames} up to their ends right now (read_committed: up to the last stable offset). */
    static <V> List<ConsumerRecord<String, V>> readAll(KafkaEndpoints kafka, IsolationLevel isolation,
                                                       List<String> topicNames, Deserializer<V> values) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        Map<String, Object> props = kafka.consumerProps("eos-verifier-" + System.nanoTime());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = topicNames.stream()
                    .flatMap(topic -> consumer.partitionsFor(topic).stream()
                            .map(info -> new TopicPartition(topic, info.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
