package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * A rough sustained-throughput figure, printed, never asserted: pre-loads reports into the in-JVM cluster, then
 * times one processor instance draining them. Not named *Test or *IT so the build never runs it; run it alone,
 * in a fresh JVM (its cluster then holds only these reports):
 * {@code mvn -B -pl stream-processor -am verify -Dtest=ThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -DskipITs [-Dbenchmark.reports=200000]}.
 * <p>
 * Each indicator's reports are keyed by it, so they stay in order through both topics, and its third distinct
 * reporter comes last: its one WARNING is the output of its last report, and the last committed WARNING marks
 * the end of the run.
 */
class ThroughputBenchmark {

    private static final int REPORTS_PER_INDICATOR = 100;
    private static final String PROVINCE = "bac-ninh";

    @Test
    void drainsPreloadedReports(@TempDir Path stateDir) throws Exception {
        int indicators = Integer.getInteger("benchmark.reports", 200_000) / REPORTS_PER_INDICATOR;
        int total = indicators * REPORTS_PER_INDICATOR;
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());

        long loadStart = System.nanoTime();
        preload(cluster, topics, indicators);
        System.out.printf("pre-loaded %d reports in %.1f s%n", total, seconds(loadStart));

        try (var alerts = new KafkaConsumer<>(cluster.consumerProps("benchmark-" + System.nanoTime()),
                new StringDeserializer(), topics.provinceAlerts(PROVINCE).valueSerde().deserializer())) {
            alerts.subscribe(List.of(Topics.provinceAlertsName(PROVINCE)));
            long start = System.nanoTime();
            try (ProcessorService processor =
                         RunningProcessor.start(cluster, "processor-benchmark-" + System.nanoTime(), stateDir)) {
                ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(120));
                long running = System.nanoTime();
                Set<String> warned = new HashSet<>();
                long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
                while (warned.size() < indicators && System.nanoTime() < deadline) {
                    alerts.poll(Duration.ofMillis(500)).forEach(record -> warned.add(record.key()));
                }
                double drained = seconds(running);
                assertThat(warned).as("one committed WARNING per indicator").hasSize(indicators);
                System.out.printf("drained %d reports (%d indicators) in %.1f s after RUNNING (%.1f s after start):"
                                + " %.0f reports/s%n", total, indicators, drained, seconds(start), total / drained);
            }
        }
    }

    private static void preload(KafkaTestCluster cluster, Topics topics, int indicators) {
        Map<String, Object> props = new HashMap<>(cluster.producerProps());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Instant base = Instant.now().minus(Duration.ofHours(1));
        try (var producer = new KafkaProducer<>(props, new StringSerializer(),
                topics.reports().valueSerde().serializer())) {
            for (int indicator = 0; indicator < indicators; indicator++) {
                String phone = String.format("0966%06d", indicator);
                for (int i = 0; i < REPORTS_PER_INDICATOR; i++) {
                    // Two reporters alternate; the third, which reaches the warning level, reports last.
                    int reporter = i == REPORTS_PER_INDICATOR - 1 ? 2 : i % 2;
                    Instant at = base.plusMillis(i);
                    producer.send(new ProducerRecord<>(Topics.REPORTS, phone, Report.newBuilder()
                            .setReportId("bench-" + indicator + "-" + i)
                            .setChannel(Channel.HOTLINE)
                            .setReporterPseudonym("bench-reporter-" + reporter)
                            .setProvince(PROVINCE)
                            .setPhoneNumbers(List.of(phone))
                            .setNotes("Tự xưng cán bộ BHXH, đòi mã OTP")
                            .setOccurredAt(at)
                            .setReceivedAt(at.plusSeconds(5))
                            .setSubmittedBy("benchmark")
                            .build()));
                }
            }
            producer.flush();
        }
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
