package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProcess;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The alert sink's production main as an OS process, killed with SIGKILL and restarted with the same
 * {@code SINK_INSTANCE_ID}: its alert consumer and its webhook endpoint's consumer take their partitions back at
 * once (static membership) instead of waiting for the dead consumers' sessions to time out. Prints the time from
 * the restart to an alert sent then being consumed (offset committed) and delivered.
 */
class SinkRestartIT {

    private static final String SECRET = "sink-restart-secret";
    private static final String PROVINCE = "cao-bang";
    private static final Duration WITHIN = Duration.ofMinutes(2);

    @Test
    void consumesAndDeliversAgainWithinSecondsOfAKillAndRestart() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String run = "restart" + System.nanoTime();
        String group = "sink-restart-" + run;
        int port = FreePorts.pick();
        ServiceProcess sink = ServiceProcess.of(AlertSinkService.class,
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Path.of("target", "sink-restart", run + ".log"));
        try (WebhookReceiver office = new WebhookReceiver(SECRET, 0);
             var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                     topics.nationalAlerts().valueSerde().serializer())) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                    "SINK_GROUP_ID", group,
                    "SINK_INSTANCE_ID", "sink-restart-it",
                    "SINK_WEBHOOKS", PROVINCE + "=" + office.url(),
                    "SINK_WEBHOOK_SECRET_" + PROVINCE.toUpperCase(java.util.Locale.ROOT).replace('-', '_'), SECRET,
                    "SINK_HTTP_PORT", Integer.toString(port),
                    // Far beyond any restart: were the dead consumers not replaced at once, the wait would show.
                    "SINK_SESSION_TIMEOUT_MS", "60000"));
            sink.start(env);
            Eventually.await("the sink answers /health 200", WITHIN, () -> sink.isHealthy(port));
            RecordMetadata before = send(producer, run + "/before");
            Eventually.await("an alert before the crash is consumed and delivered", WITHIN,
                    () -> committedPast(cluster, group, before) && delivered(office, run + "/before"));

            sink.kill();
            long restarted = System.nanoTime();
            sink.start(env);
            RecordMetadata after = send(producer, run + "/after");
            double[] consumed = {-1};
            double[] delivered = {-1};
            Eventually.await("an alert sent after the restart is consumed and delivered", WITHIN, () -> {
                if (consumed[0] < 0 && committedPast(cluster, group, after)) {
                    consumed[0] = seconds(restarted);
                }
                if (delivered[0] < 0 && delivered(office, run + "/after")) {
                    delivered[0] = seconds(restarted);
                }
                return consumed[0] >= 0 && delivered[0] >= 0;
            });
            System.out.printf("Alert sink kill -9 and restart (static membership): alert consumer processing again"
                    + " %.1f s after the restart, webhook delivered after %.1f s%n", consumed[0], delivered[0]);
            // Loose on purpose: a loaded CI machine takes seconds to start a JVM. Waiting for the dead consumers'
            // sessions (60 s here) would fail it whatever the load.
            assertThat(consumed[0]).as("seconds from restart to the alert consumer committing").isLessThan(30);
            assertThat(delivered[0]).as("seconds from restart to the webhook delivery").isLessThan(30);
        } finally {
            sink.close();
        }
    }

    private static RecordMetadata send(KafkaProducer<String, Alert> producer, String alertId) throws Exception {
        return producer.send(new ProducerRecord<>(Topics.provinceAlertsName(PROVINCE), "tel:+84904038115",
                WebhookDeliveryIT.alert(alertId, PROVINCE))).get();
    }

    private static boolean committedPast(KafkaTestCluster cluster, String group, RecordMetadata record) {
        try {
            OffsetAndMetadata committed = cluster.admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(record.topic(), record.partition()));
            return committed != null && committed.offset() > record.offset();
        } catch (ExecutionException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean delivered(WebhookReceiver office, String alertId) {
        return office.accepted().stream().anyMatch(call -> call.idempotencyKey().equals(alertId));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
