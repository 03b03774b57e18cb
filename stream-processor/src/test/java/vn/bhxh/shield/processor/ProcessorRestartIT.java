package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.ServiceProcess;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The processor's production main as an OS process on a real broker: what a crash costs, and what a thread that
 * keeps dying does.
 */
class ProcessorRestartIT {

    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Duration START_WITHIN = Duration.ofMinutes(2);

    /**
     * {@code kill -9} and a restart with the same {@code PROCESSOR_INSTANCE_ID} and state directory: the new process
     * takes the dead one's place in the group at once (static membership) instead of waiting for its session to
     * time out (40-43 s before). Prints the time from the restart to a report sent then being listed.
     */
    @Test
    void isProcessingAgainWithinSecondsOfAKillAndRestart(@TempDir Path stateDir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String run = "restart" + System.nanoTime();
        int port = FreePorts.pick();
        Map<String, String> env = environment(cluster, "restart-it-" + run, stateDir, port);
        env.put("PROCESSOR_INSTANCE_ID", "restart-it");
        // Far beyond any restart: were the dead member not replaced at once, the wait would show.
        env.put("PROCESSOR_SESSION_TIMEOUT_MS", "60000");
        ServiceProcess processor = ServiceProcess.of(ProcessorService.class, JVM,
                Path.of("target", "processor-restart", run + ".log"));
        try (var reports = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            processor.start(env);
            Eventually.await("the processor answers /health 200", START_WITHIN, () -> processor.isHealthy(port));
            send(reports, topics, run + "-before");
            Eventually.await("a report before the crash is listed", START_WITHIN, () -> listed(cluster, topics,
                    run + "-before"));

            processor.kill();
            long restarted = System.nanoTime();
            processor.start(env);
            send(reports, topics, run + "-after");
            double[] healthy = {-1};
            Eventually.await("a report sent after the restart is listed", START_WITHIN, () -> {
                if (healthy[0] < 0 && processor.isHealthy(port)) {
                    healthy[0] = seconds(restarted);
                }
                return listed(cluster, topics, run + "-after");
            });
            double processing = seconds(restarted);
            System.out.printf("Processor kill -9 and restart (static membership, same state directory): "
                    + "processing again %.1f s after the restart (/health 200 after %.1f s)%n", processing,
                    healthy[0]);
            // Loose on purpose: a loaded CI machine takes seconds to start a JVM. Waiting for the dead member's
            // session (60 s here) would fail it whatever the load.
            assertThat(processing).as("seconds from restart to processing").isLessThan(30);
        } finally {
            processor.close();
        }
    }

    /**
     * A stream thread that dies on every try of a record (an Error no handler takes): replaced
     * {@code PROCESSOR_THREAD_RESTARTS} times, then the processor says DOWN and the process exits.
     */
    @Test
    void exitsWhenAStreamThreadKeepsDying(@TempDir Path stateDir) throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String run = "dying" + System.nanoTime();
        int port = FreePorts.pick();
        Map<String, String> env = environment(cluster, "dying-it-" + run, stateDir, port);
        env.put("PROCESSOR_THREAD_RESTARTS", "2");
        env.put("TEST_THREAD_KILLER", run + "-killer");
        Path log = Path.of("target", "processor-restart", run + ".log");
        ServiceProcess processor = ServiceProcess.of(FaultyProcessorMain.class, JVM, log);
        try (var reports = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                new ByteArraySerializer())) {
            processor.start(env);
            Eventually.await("the processor answers /health 200", START_WITHIN, () -> processor.isHealthy(port));
            send(reports, topics, run + "-killer");
            List<String> downAnswers = new ArrayList<>();
            Eventually.await("the processor exits", START_WITHIN, () -> {
                try {
                    var health = ServiceProbe.get(port, "/health");
                    if (health.statusCode() == 503) {
                        downAnswers.add(health.body());
                    }
                } catch (UncheckedIOException goneOrGoing) {
                    // not answering any more: it is stopping
                }
                return !processor.isRunning();
            });
            String output = Files.readString(log);
            System.out.printf("Processor with a stream thread that keeps dying: %d answers 503 from /health, "
                    + "then exited%n", downAnswers.size());
            assertThat(output).contains("FaultyProcessorMain$ThreadKiller")
                    .contains("stream thread failed (1 of 2 restarts")
                    .contains("stream thread failed (2 of 2 restarts")
                    .contains("giving up, the processor stops and exits")
                    .contains("exiting with status " + ProcessorService.EXIT_STREAMS_FAILED);
            assertThat(downAnswers).as("/health said DOWN before the exit").isNotEmpty();
        } finally {
            processor.close();
        }
    }

    private static Map<String, String> environment(KafkaTestCluster cluster, String applicationId, Path stateDir,
                                                   int port) {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "PROCESSOR_APPLICATION_ID", applicationId,
                "PROCESSOR_STATE_DIR", stateDir.toString(),
                "PROCESSOR_HTTP_PORT", Integer.toString(port),
                "PROCESSOR_ROCKSDB_MEMORY_MB", "16"));
    }

    private static void send(KafkaProducer<String, byte[]> reports, Topics topics, String id) throws Exception {
        new IngestedReports(topics).write(reports, PoisonRecordIT.policeReport(id, "hxxp://" + id + "[.]com/x"));
    }

    private static boolean listed(KafkaTestCluster cluster, Topics topics, String id) {
        return ProcessorOutputs.readAll(cluster, IsolationLevel.READ_COMMITTED, List.of(Topics.BLOCKLIST),
                topics.blocklist().valueSerde().deserializer()).stream()
                .anyMatch(record -> record.key().contains(id));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
