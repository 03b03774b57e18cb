package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The schema registry answering 503 when the processor first meets a report's schema: the report is not
 * dead-lettered; the processor says DOWN, waits, and processes it once the registry answers again.
 */
class RegistryOutageIT {

    @Test
    void waitsForTheRegistryInsteadOfDeadLetteringGoodReports(@TempDir Path stateDir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String run = "outage" + System.nanoTime();

        try (FailingRegistryProxy registry = new FailingRegistryProxy(cluster.registryUrl());
             ProcessorService processor = ProcessorService.start(RunningProcessor.settings(cluster,
                     "outage-it-" + System.nanoTime(), stateDir, Map.of("SCHEMA_REGISTRY_URL", registry.url(),
                             "PROCESSOR_REGISTRY_BACKOFF_MAX_MS", "1000")));
             var raw = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                     new ByteArraySerializer())) {
            ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(60));
            registry.failing(true);
            // Encoded through the cluster's own registry: only the processor's calls go through the failing proxy.
            new IngestedReports(topics).write(raw, PoisonRecordIT.policeReport(run, "hxxp://" + run + "[.]com/x"));

            Eventually.await("the processor says the registry is unavailable", Duration.ofMinutes(1), () -> {
                var health = ServiceProbe.get(processor.port(), "/health");
                return health.statusCode() == 503 && health.body().contains("schema registry unavailable");
            });
            Thread.sleep(3_000); // a few of its tries fail meanwhile
            assertThat(PoisonRecordIT.metric(processor.port(), "bhxh_processor_stream_thread_failures_total",
                    "cause", StreamSupervisor.REGISTRY)).isGreaterThanOrEqualTo(1);
            int refused = registry.refused();
            registry.failing(false);

            Eventually.await("the report is listed once the registry answers", Duration.ofMinutes(1),
                    () -> ProcessorOutputs.readAll(cluster, IsolationLevel.READ_COMMITTED, List.of(Topics.BLOCKLIST),
                                    topics.blocklist().valueSerde().deserializer()).stream()
                            .anyMatch(record -> record.key().contains(run)));
            ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(30));
            System.out.printf("Registry answering 503: %d calls refused, the report waited and was listed%n",
                    refused);
            assertThat(refused).as("calls the registry refused").isPositive();
            assertThat(ProcessorOutputs.readAll(cluster, IsolationLevel.READ_COMMITTED, List.of(Topics.DEAD_LETTER),
                            topics.deadLetters().valueSerde().deserializer()).stream()
                    .filter(record -> record.value().getOriginalKey() != null
                            && record.key().contains(Topics.INDICATOR_EVENTS))
                    .map(record -> new String(record.value().getOriginalKey().array()))
                    .filter(key -> key.contains(run)))
                    .as("dead letters of the report").isEmpty();
        }
    }
}
