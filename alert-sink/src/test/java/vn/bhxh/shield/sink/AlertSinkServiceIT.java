package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

class AlertSinkServiceIT {

    private static final String RECEIVED = "bhxh_sink_alerts_received_total";

    @Test
    void followsAlertTopicsAndSkipsGarbageAfterDeadLetteringIt() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());

        try (AlertSinkService sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0")))) {
            ServiceProbe.awaitHealthy(sink.port(), Duration.ofSeconds(30));
            double deadLettersBefore = ServiceProbe.metric(sink.port(), "bhxh_sink_dead_letters_total");

            Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all");
            String thanhHoa = Topics.provinceAlertsName("thanh-hoa");
            try (var raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
                 var alerts = new KafkaProducer<>(props, new StringSerializer(),
                         topics.provinceAlerts("thanh-hoa").valueSerde().serializer())) {
                raw.send(new ProducerRecord<>(thanhHoa, "tel:+84904038115",
                        "garbage".getBytes(StandardCharsets.UTF_8))).get();
                alerts.send(new ProducerRecord<>(thanhHoa, "tel:+84904038115", WebhookDeliveryIT.alert("tel:+84904038115/WARNING/1", "thanh-hoa"))).get();
            }

            Eventually.await("the alert after the garbage is received", Duration.ofSeconds(60),
                    () -> ServiceProbe.metric(sink.port(), RECEIVED + "{level=\"WARNING\"") >= 1);
            assertThat(ServiceProbe.metric(sink.port(), "bhxh_sink_dead_letters_total"))
                    .isEqualTo(deadLettersBefore + 1);
        }
    }

    @Test
    void everyReaderShowsItsLagAndCountsWhatItCouldNotDecode() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());

        try (AlertSinkService sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-lag-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                // A province no other test writes to, so this endpoint (never reachable) is never called.
                "SINK_WEBHOOKS", "ca-mau=http://localhost:9/hook",
                "SINK_WEBHOOK_SECRET_CA_MAU", "ca-mau-shared-secret")))) {
            ServiceProbe.awaitHealthy(sink.port(), Duration.ofSeconds(30));
            double boardBefore = undecodable(sink, "board", Topics.DECISIONS);
            double blocklistBefore = undecodable(sink, "blocklist", Topics.BLOCKLIST);

            Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all");
            try (var raw = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                byte[] garbage = "garbage".getBytes(StandardCharsets.UTF_8);
                // Not on an alert topic: every later sink with a fresh group would dead-letter it again there.
                raw.send(new ProducerRecord<>(Topics.DECISIONS, "tel:+84904038115", garbage)).get();
                // A key of its own: nothing else in the shared cluster is listed under it.
                raw.send(new ProducerRecord<>(Topics.BLOCKLIST, "tel:+84900000001", garbage)).get();
            }

            Eventually.await("the board and the blocklist reader count the garbage", Duration.ofSeconds(60),
                    () -> undecodable(sink, "board", Topics.DECISIONS) == boardBefore + 1
                            && undecodable(sink, "blocklist", Topics.BLOCKLIST) == blocklistBefore + 1);
            String metrics = ServiceProbe.get(sink.port(), "/metrics").body();
            for (String reader : List.of("alerts", "webhook", "blocklist", "board")) {
                assertThat(metrics.lines().filter(line -> line.startsWith("kafka_consumer_fetch_manager_records_lag_max{")
                        && line.contains("reader=\"" + reader + "\"")))
                        .as("lag of the %s reader", reader).isNotEmpty();
            }
        }
    }

    private static double undecodable(AlertSinkService sink, String reader, String topic) {
        return ServiceProbe.get(sink.port(), "/metrics").body().lines()
                .filter(line -> line.startsWith("bhxh_sink_undecodable_records_total{")
                        && line.contains("reader=\"" + reader + "\"") && line.contains("topic=\"" + topic + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
