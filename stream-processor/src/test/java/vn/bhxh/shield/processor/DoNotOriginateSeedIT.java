package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The processor's start-up seed on a real broker: it publishes the seed's inbound-only numbers on
 * {@code bhxh.do-not-originate.v1}, tombstones those that left the list, and writes nothing when nothing changed.
 */
class DoNotOriginateSeedIT {

    private static final String NATIONAL = "tel:+8419009068";
    /** A number an earlier seed had on the list and the current one has not. */
    private static final String LEFT = "tel:+842363822000";
    private static final TopicPartition PARTITION = new TopicPartition(Topics.DO_NOT_ORIGINATE, 0);

    private final KafkaTestCluster cluster = KafkaTestCluster.shared();
    private final Topics topics = new Topics(cluster.registryClient());

    @Test
    void theProcessorsSeedPublishesTheInboundOnlyNumbersAndTombstonesTheOnesThatLeft(@TempDir Path stateDir)
            throws Exception {
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.doNotOriginate().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.DO_NOT_ORIGINATE, LEFT, DoNotOriginateEntry.newBuilder()
                    .setNumber("+842363822000").setDisplay("0236 3822 000").setName("Đường dây nóng BHXH Đà Nẵng")
                    .setSince(Instant.parse("2025-07-01T00:00:00Z")).build())).get();
        }

        // The seed is written before the constructor returns: nothing to wait for.
        RunningProcessor.start(cluster, "dno-seed-it-" + System.nanoTime(), stateDir).close();

        Map<String, Optional<DoNotOriginateEntry>> latest = latest();
        assertThat(latest.get(NATIONAL)).hasValueSatisfying(entry -> {
            assertThat(entry.getNumber()).isEqualTo("+8419009068");
            assertThat(entry.getDisplay()).isEqualTo("1900 9068");
            assertThat(entry.getName()).isEqualTo("Tổng đài chăm sóc khách hàng BHXH Việt Nam");
        });
        assertThat(latest.get(LEFT)).as("tombstoned").isEmpty();
        assertThat(latest).as("only inbound-only numbers, never a province hotline")
                .doesNotContainKeys("tel:+842437236555", "tel:+842373753850");

        long end = endOffset();
        assertThat(DoNotOriginateSeed.write(kafka(), topics, OfficialChannels.all()).isEmpty())
                .as("the next start finds nothing to write").isTrue();
        assertThat(endOffset()).isEqualTo(end);

        List<AllowlistEntry> noLongerInboundOnly = OfficialChannels.all().stream()
                .map(channel -> AllowlistEntry.newBuilder(channel).setInboundOnly(false).build()).toList();
        try {
            DoNotOriginateSeed.write(kafka(), topics, noLongerInboundOnly);
            assertThat(latest().get(NATIONAL)).as("tombstoned once the seed no longer says inbound-only").isEmpty();
        } finally {
            DoNotOriginateSeed.write(kafka(), topics, OfficialChannels.all());
        }
        assertThat(latest().get(NATIONAL)).isPresent();
    }

    private KafkaSettings kafka() {
        return KafkaSettings.from(Settings.of(Map.of(KafkaSettings.BOOTSTRAP_SERVERS, cluster.bootstrapServers(),
                KafkaSettings.SCHEMA_REGISTRY_URL, cluster.registryUrl())));
    }

    /** Every key's latest committed record: its value, or empty for a tombstone. */
    private Map<String, Optional<DoNotOriginateEntry>> latest() {
        Map<String, Optional<DoNotOriginateEntry>> latest = new HashMap<>();
        try (var consumer = consumer()) {
            consumer.assign(List.of(PARTITION));
            consumer.seekToBeginning(List.of(PARTITION));
            long end = consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
            while (consumer.position(PARTITION) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(record ->
                        latest.put(record.key(), Optional.ofNullable(record.value())));
            }
        }
        return latest;
    }

    private long endOffset() {
        try (var consumer = consumer()) {
            return consumer.endOffsets(List.of(PARTITION)).get(PARTITION);
        }
    }

    private KafkaConsumer<String, DoNotOriginateEntry> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topics.doNotOriginate().keySerde().deserializer(), topics.doNotOriginate().valueSerde().deserializer());
    }
}
