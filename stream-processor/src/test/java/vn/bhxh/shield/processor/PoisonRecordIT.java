package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * A record whose processing throws (as a bug in the rules would, injected through the test seam) on a real broker
 * under exactly-once: it is tried {@code PROCESSOR_RECORD_ATTEMPTS} times, then dead-lettered with the exception,
 * and the records behind it are processed.
 */
class PoisonRecordIT {

    /** What the rules "throw" on the poisoned indicator. */
    static final class RulesBug extends IllegalStateException {
        RulesBug(String indicator) {
            super("the rules cannot handle " + indicator);
        }
    }

    @Test
    void triesAPoisonRecordThenDeadLettersItAndGoesOn(@TempDir Path stateDir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String run = "poison" + System.nanoTime();
        String poisoned = "hxxp://" + run + "-bad[.]com/x";
        String healthy = "hxxp://" + run + "-good[.]com/y";
        AtomicInteger attempts = new AtomicInteger();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ProcessorService.BeforeRules bug = (indicator, input) -> {
            seen.add(indicator);
            if (indicator.contains(run + "-bad")) {
                attempts.incrementAndGet();
                throw new RulesBug(indicator);
            }
        };

        try (ProcessorService processor = ProcessorService.start(RunningProcessor.settings(cluster,
                "poison-it-" + System.nanoTime(), stateDir, Map.of("PROCESSOR_RECORD_ATTEMPTS", "3",
                        "PROCESSOR_INSTANCE_ID", "poison-it")), bug, () -> { });
             var reports = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                     new ByteArraySerializer())) {
            ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(60));
            long sent = System.nanoTime();
            IngestedReports ingested = new IngestedReports(topics);
            ingested.write(reports, policeReport(run + "-1", poisoned));
            ingested.write(reports, policeReport(run + "-2", healthy));

            Eventually.await("the poisoned report is dead-lettered", Duration.ofMinutes(2),
                    () -> !lettersFor(cluster, topics, run).isEmpty());
            double seconds = (System.nanoTime() - sent) / 1e9;
            DeadLetter letter = lettersFor(cluster, topics, run).get(0);
            System.out.printf("Poison record: tried %d times, dead-lettered %.1f s after it was sent%n",
                    attempts.get(), seconds);
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.PROCESSING);
            assertThat(letter.getErrorClass()).isEqualTo(RulesBug.class.getName());
            assertThat(letter.getError()).contains("the rules cannot handle").contains(run + "-bad");
            assertThat(letter.getOriginalTopic()).isNotBlank();
            assertThat(letter.getOriginalOffset()).isNotNegative();
            assertThat(letter.getOriginalValue()).isNotNull();
            assertThat(letter.getService()).isEqualTo(ProcessorService.NAME);
            assertThat(attempts.get()).as("tries of the poisoned record").isEqualTo(3);

            Eventually.await("the report behind it is listed", Duration.ofMinutes(1), () -> ProcessorOutputs.readAll(
                            cluster, IsolationLevel.READ_COMMITTED, List.of(Topics.BLOCKLIST),
                            topics.blocklist().valueSerde().deserializer()).stream()
                    .anyMatch(record -> record.key().contains(run + "-good")));
            assertThat(metric(processor.port(), "bhxh_processor_dead_letters_total", "kind", "PROCESSING")).isGreaterThanOrEqualTo(1);
            assertThat(metric(processor.port(), "bhxh_processor_stream_thread_failures_total", "cause", StreamSupervisor.RECORD_RETRY)).isEqualTo(2);
            assertThat(metric(processor.port(), "bhxh_processor_stream_thread_failures_total", "cause", StreamSupervisor.OTHER)).isZero();
            assertThat(lettersFor(cluster, topics, run)).as("dead letters, committed once").hasSize(1);
            ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(60));
        }
    }

    /** A counter's value for one value of one tag; 0 if absent. */
    static double metric(int port, String name, String tag, String value) {
        return ServiceProbe.get(port, "/metrics").body().lines()
                .filter(line -> line.startsWith(name + "{") && line.contains(tag + "=\"" + value + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static List<DeadLetter> lettersFor(KafkaTestCluster cluster, Topics topics, String run) {
        return ProcessorOutputs.readAll(cluster, IsolationLevel.READ_COMMITTED, List.of(Topics.DEAD_LETTER),
                        topics.deadLetters().valueSerde().deserializer()).stream()
                .map(record -> record.value())
                .filter(letter -> letter.getError().contains(run))
                .toList();
    }

    /** A police referral: it lists its indicator at once, so its blocklist entry shows it was processed. */
    static Report policeReport(String id, String url) {
        Instant now = Instant.now();
        return Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.POLICE)
                .setReporterPseudonym("police-" + id)
                .setProvince("cao-bang")
                .setUrls(List.of(url))
                .setOccurredAt(now)
                .setReceivedAt(now)
                .setSubmittedBy("police-cyber-unit")
                .setSourceReference("CV-" + id)
                .build();
    }
}
