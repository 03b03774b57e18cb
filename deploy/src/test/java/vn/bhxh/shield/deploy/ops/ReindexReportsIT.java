package vn.bhxh.shield.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/** {@link ReindexReports} against a real broker and registry: each stored report re-derived once, resumable. */
class ReindexReportsIT {

    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();
    private static final KafkaSettings KAFKA = KafkaSettings.from(Settings.of(Map.of(
            KafkaSettings.BOOTSTRAP_SERVERS, CLUSTER.bootstrapServers(),
            KafkaSettings.SCHEMA_REGISTRY_URL, CLUSTER.registryUrl())));
    /**
     * When the stored reports' contact happened: three hours ago, never a fixed date. The re-derived indicator
     * records carry it as their Kafka timestamp, and bhxh.indicator-events.v1 keeps 90 days counted from it.
     */
    private static final Instant OCCURRED = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

    @Test
    void reDerivesEveryStoredReportOnceFromWhereThePlanSaysAndARerunAddsNothing() throws Exception {
        TopicProvisioner.ensure(CLUSTER.admin(), Topics.specs());
        Topics topics = new Topics(CLUSTER.registryClient());
        String run = "it-" + UUID.randomUUID();
        // Stored before the normaliser changed: the report is there, its records are not (or were derived otherwise).
        Topic<String, Report> reports = topics.reports();
        try (var producer = new KafkaProducer<>(CLUSTER.producerProps(), reports.keySerde().serializer(),
                reports.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.REPORTS, run + "-a", report(run + "-a", List.of("0904.038.115"),
                    List.of("hxxp://baohiemxahoi-vn[.]com/otp")))).get();
            producer.send(new ProducerRecord<>(Topics.REPORTS, run + "-b", report(run + "-b",
                    List.of("không phải số", "+84 912 345 678"), List.of()))).get();
        }

        ReindexReports.Result first = new ReindexReports(KAFKA, run).run();
        ReindexReports.Result again = new ReindexReports(KAFKA, run).run();

        assertThat(first.reports()).isGreaterThanOrEqualTo(2);
        assertThat(again.reports()).as("a finished run re-derives nothing more").isZero();
        assertThat(again.resetFile()).isEqualTo(first.resetFile());
        Map<Integer, Long> from = new HashMap<>();
        first.resetFile().lines().forEach(line -> {
            String[] fields = line.split(",");
            if (fields[0].equals(Topics.INDICATOR_EVENTS)) {
                from.put(Integer.parseInt(fields[1]), Long.parseLong(fields[2]));
            } else {
                assertThat(fields[0]).isEqualTo(Topics.DECISIONS);
                assertThat(fields[2]).as("decisions from the beginning").isEqualTo("0");
            }
        });
        assertThat(from).hasSize(3);

        List<ConsumerRecord<String, IndicatorEvent>> derived = readFrom(topics, from).stream()
                .filter(record -> record.value().getReportId().startsWith(run)).toList();
        assertThat(derived).extracting(ConsumerRecord::key, record -> record.value().getReportId())
                .containsExactlyInAnyOrder(tuple("tel:+84904038115", run + "-a"),
                        tuple("domain:baohiemxahoi-vn.com", run + "-a"), tuple("tel:+84912345678", run + "-b"));
        // Re-derived with the indicators each report named together (a campaign's links), as ingest writes them.
        assertThat(derived).extracting(ConsumerRecord::key, record -> record.value().getCoIndicators())
                .containsExactlyInAnyOrder(tuple("tel:+84904038115", List.of("domain:baohiemxahoi-vn.com")),
                        tuple("domain:baohiemxahoi-vn.com", List.of("tel:+84904038115")),
                        tuple("tel:+84912345678", List.of()));
        assertThat(derived).allSatisfy(record -> {
            assertThat(record.headers().lastHeader(ReindexReports.REINDEXED_HEADER)).isNotNull();
            assertThat(record.timestamp()).isEqualTo(OCCURRED.toEpochMilli());
        });
    }

    private static List<ConsumerRecord<String, IndicatorEvent>> readFrom(Topics topics, Map<Integer, Long> from) {
        Topic<String, IndicatorEvent> events = topics.indicatorEvents();
        Map<String, Object> props = CLUSTER.consumerProps("reindex-it-" + UUID.randomUUID());
        props = new HashMap<>(props);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, IndicatorEvent>> read = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, events.keySerde().deserializer(),
                events.valueSerde().deserializer())) {
            List<TopicPartition> partitions = from.keySet().stream()
                    .map(partition -> new TopicPartition(Topics.INDICATOR_EVENTS, partition)).toList();
            consumer.assign(partitions);
            partitions.forEach(partition -> consumer.seek(partition, from.get(partition.partition())));
            // The high watermarks: the tool's last transaction may not have its markers on the partitions yet.
            var ends = CLUSTER.highWatermarks(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            }
        }
        return read;
    }

    private static Report report(String id, List<String> phones, List<String> urls) {
        return Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("reindex-" + id)
                .setProvince("thanh-hoa")
                .setPhoneNumbers(phones)
                .setUrls(urls)
                .setOccurredAt(OCCURRED)
                .setReceivedAt(OCCURRED.plus(Duration.ofMinutes(5)))
                .setSubmittedBy("operator-7")
                .build();
    }
}
