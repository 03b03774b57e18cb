package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Two processor instances of one application share the work; one stops mid-stream. What committed readers see
 * must be exactly what one instance alone would have written: every proposal, confirmation and listing once, every
 * alert once.
 */
class TwoInstancesIT {

    private static final int INDICATORS = 12;
    private static final String PROVINCE = "quang-ninh";

    @Test
    void losesAndDoublesNothingWhenAnInstanceStopsMidStream(@TempDir Path stateA, @TempDir Path stateB)
            throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String applicationId = "processor-pair-" + System.nanoTime();
        Instant base = Instant.now().minus(Duration.ofHours(1));

        try (ProcessorService a = RunningProcessor.start(cluster, applicationId, stateA);
             var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                     new ByteArraySerializer())) {
            ProcessorService b = RunningProcessor.start(cluster, applicationId, stateB);
            ServiceProbe.awaitHealthy(a.port(), Duration.ofSeconds(60));
            ServiceProbe.awaitHealthy(b.port(), Duration.ofSeconds(60));

            // Three reporters per indicator: a WARNING each, while both instances run.
            send(producer, topics, base, 0, 3);
            Eventually.await("a WARNING for every indicator", Duration.ofSeconds(60),
                    () -> committedAlerts(cluster, topics).size() >= INDICATORS);
            b.close();
            // Two more: a proposal each, now all on the surviving instance; nothing is listed before an officer
            // confirms.
            send(producer, topics, base, 3, 5);
            Eventually.await("a proposal for every indicator", Duration.ofSeconds(90),
                    () -> committedAlerts(cluster, topics).size() >= 2 * INDICATORS);
            assertThat(committedBlocklist(cluster, topics)).isEmpty();
            // The office of the province confirms each: a BLOCKED alert and a listing each.
            try (var decider = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                    topics.decisions().valueSerde().serializer())) {
                for (int indicator = 0; indicator < INDICATORS; indicator++) {
                    // Keyed by the canonical indicator, as the dashboard keys it; the value keeps what was typed.
                    decider.send(new ProducerRecord<>(Topics.DECISIONS, key(indicator), Decision.newBuilder()
                            .setDecisionId("pair-confirm-" + indicator).setAction(DecisionAction.CONFIRM)
                            .setIndicator(phone(indicator)).setActor("officer-qn").setProvince(PROVINCE)
                            .setReason("đã xác minh").setDecidedAt(Instant.now()).build())).get();
                }
            }
            Eventually.await("a listing for every indicator", Duration.ofSeconds(90),
                    () -> committedBlocklist(cluster, topics).size() >= INDICATORS);

            List<Alert> alerts = committedAlerts(cluster, topics);
            assertThat(alerts).hasSize(3 * INDICATORS);
            for (AlertLevel level : List.of(AlertLevel.WARNING, AlertLevel.PROPOSED, AlertLevel.BLOCKED)) {
                assertThat(alerts.stream().filter(alert -> alert.getLevel() == level)).as(level.name())
                        .hasSize(INDICATORS);
            }
            assertThat(alerts.stream().map(Alert::getAlertId).distinct()).hasSize(3 * INDICATORS);

            List<ConsumerRecord<String, BlocklistEntry>> listings = committedBlocklist(cluster, topics);
            assertThat(listings).hasSize(INDICATORS);
            assertThat(listings).extracting(ConsumerRecord::key).doesNotHaveDuplicates();
            assertThat(listings).allSatisfy(record -> {
                assertThat(record.value().getStatus()).isEqualTo(BlocklistStatus.LISTED);
                assertThat(record.value().getDistinctReporters()).isEqualTo(5);
            });

            var found = ServiceProbe.get(a.port(), "/api/v1/indicators/0912%20345%20600");
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("\"status\":\"LISTED\"", "\"indicator\":\"tel:+84912345600\"");
            assertThat(ServiceProbe.get(a.port(), "/api/v1/indicators/0912345699").statusCode()).isEqualTo(404);
            assertThat(ServiceProbe.get(a.port(), "/api/v1/indicators/12345").statusCode()).isEqualTo(400);
            assertThat(ServiceProbe.metric(a.port(), "bhxh_processor_alerts_total")).isPositive();
        }
    }

    private static String phone(int indicator) {
        return String.format("09123456%02d", indicator);
    }

    /** Reporters {@code from} (inclusive) to {@code to} of every indicator, one report each. */
    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, Instant base, int from, int to)
            throws Exception {
        for (int reporter = from; reporter < to; reporter++) {
            for (int indicator = 0; indicator < INDICATORS; indicator++) {
                String id = "pair-" + indicator + "-" + reporter;
                Instant at = base.plusSeconds(reporter * 60L + indicator);
                new IngestedReports(topics).write(producer, Report.newBuilder()
                        .setReportId(id)
                        .setChannel(Channel.HOTLINE)
                        .setReporterPseudonym("pair-reporter-" + reporter)
                        .setProvince(PROVINCE)
                        .setPhoneNumbers(List.of(phone(indicator)))
                        .setOccurredAt(at)
                        .setReceivedAt(at.plusSeconds(5))
                        .setSubmittedBy("operator-it")
                        .build());
            }
        }
    }

    private static String key(int indicator) {
        return "tel:+84" + phone(indicator).substring(1);
    }

    private static boolean ours(String indicator) {
        return IntStream.range(0, INDICATORS).anyMatch(i -> indicator.equals(key(i)));
    }

    private static List<Alert> committedAlerts(KafkaTestCluster cluster, Topics topics) {
        List<Alert> alerts = new ArrayList<>();
        readAll(cluster, Topics.provinceAlertsName(PROVINCE), topics.provinceAlerts(PROVINCE).valueSerde()
                .deserializer(), record -> ours(record.key())).forEach(record -> alerts.add(record.value()));
        return alerts;
    }

    /** The list a partner rebuilds from the start of the topic: the last value per key, tombstones removed. */
    private static List<ConsumerRecord<String, BlocklistEntry>> committedBlocklist(KafkaTestCluster cluster,
                                                                                  Topics topics) {
        List<ConsumerRecord<String, BlocklistEntry>> all = readAll(cluster, Topics.BLOCKLIST,
                topics.blocklist().valueSerde().deserializer(), record -> ours(record.key()));
        Map<String, ConsumerRecord<String, BlocklistEntry>> last = new HashMap<>();
        all.forEach(record -> last.put(record.key(), record));
        assertThat(all).as("one blocklist record per listing, no renewal was due").hasSize(last.size());
        return last.values().stream().filter(record -> record.value() != null).toList();
    }

    /** Everything committed on {@code topic} up to its end right now, read_committed. */
    private static <V> List<ConsumerRecord<String, V>> readAll(KafkaTestCluster cluster, String topic,
                                                              org.apache.kafka.common.serialization.Deserializer<V>
                                                                      values,
                                                              Predicate<ConsumerRecord<String, V>> keep) {
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(cluster.consumerProps("pair-reader-" + System.nanoTime()),
                new org.apache.kafka.common.serialization.StringDeserializer(), values)) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (keep.test(record)) {
                        records.add(record);
                    }
                });
            }
        }
        return records;
    }
}
