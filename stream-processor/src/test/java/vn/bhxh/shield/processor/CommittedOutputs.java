package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
 * Every record the processor's transactions committed on its output topics, as a downstream reader with
 * {@code isolation.level=read_committed} sees them, in offset order per partition.
 */
record CommittedOutputs(List<ConsumerRecord<String, Alert>> alerts,
                        List<ConsumerRecord<String, BlocklistEntry>> blocklist,
                        List<ConsumerRecord<String, DeadLetter>> deadLetters) {

    static CommittedOutputs read(KafkaEndpoints kafka, Topics topics) {
        List<String> alertTopics = new ArrayList<>(List.of(Topics.ALERTS_NATIONAL));
        Provinces.all().stream().map(Province::slug).map(Topics::provinceAlertsName).forEach(alertTopics::add);
        return new CommittedOutputs(
                readAll(kafka, alertTopics, topics.nationalAlerts().valueSerde().deserializer()),
                readAll(kafka, List.of(Topics.BLOCKLIST), topics.blocklist().valueSerde().deserializer()),
                readAll(kafka, List.of(Topics.DEAD_LETTER), topics.deadLetters().valueSerde().deserializer()));
    }

    int size() {
        return alerts.size() + blocklist.size() + deadLetters.size();
    }

    /** Everything committed on {@code topicNames} up to their ends right now. */
    private static <V> List<ConsumerRecord<String, V>> readAll(KafkaEndpoints kafka, List<String> topicNames,
                                                              Deserializer<V> values) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(kafka.consumerProps("eos-verifier-" + System.nanoTime()),
                new StringDeserializer(), values)) {
            List<TopicPartition> partitions = topicNames.stream()
                    .flatMap(topic -> consumer.partitionsFor(topic).stream()
                            .map(info -> new TopicPartition(topic, info.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: the end is the last stable offset, so no open transaction can hold this up.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
