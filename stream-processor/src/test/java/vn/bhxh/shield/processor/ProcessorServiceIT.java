package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;
import vn.bhxh.shield.trend.ReportWeeks;

/** The processor as a real exactly-once Kafka Streams application on a real broker. */
class ProcessorServiceIT {

    @Test
    void runsExactlyOnceAndDeadLettersGarbageWhileDecodingReports(@TempDir Path stateDir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String garbageKey = "garbage-" + System.nanoTime();

        try (ProcessorService processor =
                     RunningProcessor.start(cluster, "processor-it-" + System.nanoTime(), stateDir,
                             Map.of("PROCESSOR_TREND_EMIT_INTERVAL", "PT1S"))) {
            ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(60));
            assertThat(ServiceProbe.get(processor.port(), "/health").body()).contains("streams RUNNING");

            byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
            Map<String, Object> producerProps = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all");
            try (var raw = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(Topics.INDICATOR_EVENTS, garbageKey, garbage)).get();
                new IngestedReports(topics).write(raw, report("r-it-1"));
                new IngestedReports(topics).write(raw, Report.newBuilder(report("r-it-trend"))
                        .setChannel(Channel.HOTLINE).setProvince("lai-chau").setRequested(List.of(ScamRequest.SCAN_QR))
                        .setReceivedAt(Instant.now()).build());
            }

            DeadLetter letter = awaitDeadLetter(cluster, topics, garbageKey);
            assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(garbage));
            assertThat(letter.getError()).contains("magic byte");
            Eventually.await("the valid report is decoded", Duration.ofSeconds(30),
                    () -> ServiceProbe.metric(processor.port(), "bhxh_processor_reports_decoded_total") >= 1);
            assertThat(ServiceProbe.get(processor.port(), "/metrics").body()).contains("kafka_stream_");

            // The weekly trends of this week, committed in the processor's transactions.
            String thisWeek = ReportWeeks.label(ReportWeeks.weekStart(Instant.now())) + "/";
            WeeklyTrend trend = awaitCommitted(cluster, topics.trends(), "this week's trend from Lai Châu",
                    record -> record.key().startsWith(thisWeek)
                            && record.value().getByProvince().getOrDefault("lai-chau", 0) >= 1);
            assertThat(trend.getByRequest()).containsKey("SCAN_QR");
            assertThat(trend.getReports()).isPositive();
            assertThat(trend.getByKind()).isNotEmpty();
        }
    }

    private static DeadLetter awaitDeadLetter(KafkaTestCluster cluster, Topics topics, String originalKey) {
        return awaitCommitted(cluster, topics.deadLetters(), "a dead letter for " + originalKey, record -> {
            ByteBuffer key = record.value().getOriginalKey();
            return key != null && StandardCharsets.UTF_8.decode(key.duplicate()).toString().equals(originalKey);
        });
    }

    /** Reads {@code topic} with read_committed (only what the processor's transactions committed) until it finds one. */
    private static <V> V awaitCommitted(KafkaTestCluster cluster, Topic<String, V> topic, String what,
                                        Predicate<ConsumerRecord<String, V>> wanted) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "committed-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<V> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            Eventually.await(what, Duration.ofSeconds(60), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value() != null && wanted.test(record)) {
                        found.add(record.value());
                    }
                });
                return !found.isEmpty();
            });
        }
        return found.get(0);
    }

    private static Report report(String id) {
        return Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.FANPAGE)
                .setReporterPseudonym("9d8e7f")
                .setUrls(List.of("hxxp://baohiemxahoi-vn[.]com/cap-nhat"))
                // Recent, never a fixed date: the topics keep 90 days and the windows a week, counted from it.
                .setReceivedAt(Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3)))
                .setSubmittedBy("fanpage-integration")
                .build();
    }
}
