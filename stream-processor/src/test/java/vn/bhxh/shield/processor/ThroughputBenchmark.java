package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * A rough sustained-throughput figure, printed, never asserted: pre-loads reports into the in-JVM cluster, then
 * times one processor instance draining them, and beside it, in the same run on the same broker, a bare
 * pass-through Kafka Streams application with the same guarantee (exactly-once v2), the same settings, the same
 * one repartition and the same serdes but no logic: the cost of moving the data, which the processor can approach
 * but not beat. The machine is shared and noisy, so the ratio of the two, round by round, is the figure to trust.
 * Not named *Test or *IT so the build never runs it; run it alone, in a fresh JVM:
 * {@code mvn -B -pl stream-processor -am verify -Dtest=ThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -DskipITs [-Dbenchmark.reports=200000] [-Dbenchmark.rounds=3] [-Dbenchmark.env.PROCESSOR_COMMIT_INTERVAL_MS=..]}
 * ({@code benchmark.env.*}: processor settings, applied to both applications).
 * <p>
 * Each indicator's reports are keyed by it, so they stay in order through both topics, and its third distinct
 * reporter comes last: its one WARNING is the output of its last report, and the last committed WARNING marks
 * the end of the run.
 */
class ThroughputBenchmark {

    private static final int REPORTS_PER_INDICATOR = 100;
    private static final String PROVINCE = "bac-ninh";
    private static final String PASS_THROUGH_OUT = "benchmark.pass-through.v1";
    private static final Duration LONGEST = Duration.ofMinutes(30);

    private record Round(double passThrough, double processor) {
    }

    @Test
    void drainsPreloadedReports(@TempDir Path stateDir) throws Exception {
        int indicators = Integer.getInteger("benchmark.reports", 200_000) / REPORTS_PER_INDICATOR;
        int total = indicators * REPORTS_PER_INDICATOR;
        int rounds = Integer.getInteger("benchmark.rounds", 1);
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        cluster.createTopic(PASS_THROUGH_OUT, Topics.specs().stream().filter(spec -> spec.name().equals(Topics.REPORTS))
                .findFirst().orElseThrow().partitions(), Map.of());
        Topics topics = new Topics(cluster.registryClient());

        long loadStart = System.nanoTime();
        preload(cluster, topics, indicators);
        System.out.printf("pre-loaded %d reports in %.1f s; settings %s%n", total, seconds(loadStart),
                benchmarkSettings());

        List<Round> results = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            double passThrough = total / passThrough(cluster, topics, stateDir.resolve("pass-through-" + round),
                    total * round);
            double processor = total / processor(cluster, topics, stateDir.resolve("processor-" + round),
                    indicators);
            results.add(new Round(passThrough, processor));
            System.out.printf(Locale.ROOT, "round %d: pass-through %.0f reports/s, processor %.0f reports/s,"
                    + " ratio %.2f%n", round, passThrough, processor, processor / passThrough);
        }
        System.out.printf(Locale.ROOT, "median of %d rounds: pass-through %.0f reports/s, processor %.0f reports/s,"
                        + " ratio %.2f (median of the rounds' ratios)%n", rounds,
                median(results.stream().map(Round::passThrough).toList()),
                median(results.stream().map(Round::processor).toList()),
                median(results.stream().map(r -> r.processor() / r.passThrough()).toList()));
    }

    /** Seconds from RUNNING to the last committed WARNING. */
    private static double processor(KafkaTestCluster cluster, Topics topics, Path stateDir, int indicators) {
        try (var alerts = new KafkaConsumer<>(cluster.consumerProps("benchmark-" + System.nanoTime()),
                new StringDeserializer(), topics.provinceAlerts(PROVINCE).valueSerde().deserializer())) {
            // From the end: earlier rounds wrote the same WARNINGs.
            var partitions = alerts.partitionsFor(Topics.provinceAlertsName(PROVINCE)).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            alerts.assign(partitions);
            alerts.seekToEnd(partitions);
            partitions.forEach(alerts::position);
            long start = System.nanoTime();
            try (ProcessorService processor = RunningProcessor.start(cluster,
                    "processor-benchmark-" + System.nanoTime(), stateDir, benchmarkSettings())) {
                ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(120));
                long running = System.nanoTime();
                Set<String> warned = new HashSet<>();
                long deadline = System.nanoTime() + LONGEST.toNanos();
                while (warned.size() < indicators && System.nanoTime() < deadline) {
                    alerts.poll(Duration.ofMillis(100)).forEach(record -> warned.add(record.key()));
                }
                double drained = seconds(running);
                assertThat(warned).as("one committed WARNING per indicator").hasSize(indicators);
                System.out.printf(Locale.ROOT, "processor: drained %d indicators in %.1f s after RUNNING"
                        + " (%.1f s after start)%n", indicators, drained, seconds(start));
                return drained;
            }
        }
    }

    /**
     * Seconds from RUNNING until the pass-through's output topic holds {@code expectedOutput} committed records
     * (earlier rounds' output included).
     */
    private static double passThrough(KafkaTestCluster cluster, Topics topics, Path stateDir, long expectedOutput)
            throws InterruptedException {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.REPORTS, Consumed.with(Serdes.String(), topics.reports().valueSerde()))
                .<IndicatorInput>mapValues(IndicatorInput.ReportSeen::new)
                .repartition(Repartitioned.with(Serdes.String(), new IndicatorInputSerde(topics))
                        .withName(IndicatorFlow.REPARTITION))
                .mapValues(input -> ((IndicatorInput.ReportSeen) input).report())
                .to(PASS_THROUGH_OUT, Produced.with(Serdes.String(), topics.reports().valueSerde()));
        Map<String, String> env = new HashMap<>(benchmarkSettings());
        env.put("KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers());
        env.put("PROCESSOR_APPLICATION_ID", "pass-through-benchmark-" + System.nanoTime());
        env.put("PROCESSOR_STATE_DIR", stateDir.toString());
        Map<String, Object> props = ProcessorConfig.from(Settings.of(env)).streamsProperties(0);
        try (var output = new KafkaConsumer<>(cluster.consumerProps("benchmark-" + System.nanoTime()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             var streams = new KafkaStreams(builder.build(), new StreamsConfig(props))) {
            output.subscribe(List.of(PASS_THROUGH_OUT));
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            long start = System.nanoTime();
            streams.start();
            assertThat(running.await(120, TimeUnit.SECONDS)).as("pass-through RUNNING").isTrue();
            long runningAt = System.nanoTime();
            long seen = 0;
            long deadline = System.nanoTime() + LONGEST.toNanos();
            while (seen < expectedOutput && System.nanoTime() < deadline) {
                seen += output.poll(Duration.ofMillis(100)).count();
            }
            double drained = seconds(runningAt);
            assertThat(seen).as("every report passed through").isEqualTo(expectedOutput);
            System.out.printf(Locale.ROOT, "pass-through: drained in %.1f s after RUNNING (%.1f s after start)%n",
                    drained, seconds(start));
            return drained;
        }
    }

    /** Processor settings given as {@code -Dbenchmark.env.NAME=value}. */
    private static Map<String, String> benchmarkSettings() {
        Map<String, String> settings = new HashMap<>();
        String prefix = "benchmark.env.";
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith(prefix))
                .forEach(name -> settings.put(name.substring(prefix.length()), System.getProperty(name)));
        return settings;
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

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
