package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.ServiceHttpServer;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * A consumer loop made to throw (its outlet fails on one alert, once: a test seam, no production behaviour) is
 * logged, counted, unready while it waits to restart, restarted with a fresh consumer that re-reads the alert it had
 * not committed, and ready again; liveness stays up throughout.
 */
class LoopRestartIT {

    @Test
    void aLoopThatThrowsIsRestartedAndReadinessShowsIt() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String poison = "loop-restart-it-" + System.nanoTime();
        AtomicBoolean thrown = new AtomicBoolean();
        List<String> routed = new CopyOnWriteArrayList<>();

        Map<String, Object> props = cluster.consumerProps("loop-restart-it-" + System.nanoTime());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        var alertTopic = topics.nationalAlerts();
        var deadLetterTopic = topics.deadLetters();
        try (var deadLetterProducer = new KafkaProducer<String, DeadLetter>(cluster.producerProps(),
                new StringSerializer(), deadLetterTopic.valueSerde().serializer())) {
            AlertConsumer alerts = new AlertConsumer(() -> new KafkaConsumer<>(props,
                    alertTopic.keySerde().deserializer(), alertTopic.valueSerde().deserializer()),
                    new DeadLetterWriter(deadLetterProducer, Topics.DEAD_LETTER, metrics),
                    record -> {
                        if (record.value().getAlertId().equals(poison) && thrown.compareAndSet(false, true)) {
                            throw new IllegalStateException("an outlet that fails once");
                        }
                        routed.add(record.value().getAlertId());
                    },
                    new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(4)), metrics);
            Health health = new Health();
            alerts.registerIn(health);
            alerts.start();
            try (ServiceHttpServer http = ServiceHttpServer.start("loop-restart-it", 0, metrics, health, c -> { })) {
                Eventually.await("ready once it reads", Duration.ofSeconds(60),
                        () -> ServiceProbe.get(http.port(), "/health/ready").statusCode() == 200);

                try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                        alertTopic.valueSerde().serializer())) {
                    producer.send(new ProducerRecord<>(Topics.ALERTS_NATIONAL, "tel:+84904038115",
                            WebhookDeliveryIT.alert(poison, "national"))).get();
                }
                Eventually.await("unready while the failed loop waits to restart", Duration.ofSeconds(60),
                        () -> ServiceProbe.get(http.port(), "/health/ready").statusCode() == 503);
                assertThat(ServiceProbe.get(http.port(), "/health/ready").body())
                        .contains("an outlet that fails once");
                assertThat(ServiceProbe.get(http.port(), "/health/live").statusCode()).isEqualTo(200);
                assertThat(ServiceProbe.metric(http.port(), "bhxh_loop_failures_total{loop=\"alerts\"")).isEqualTo(1);
                assertThat(ServiceProbe.metric(http.port(), "bhxh_loop_up{loop=\"alerts\"")).isZero();

                Eventually.await("restarted, it routes the alert it had not committed", Duration.ofSeconds(60),
                        () -> routed.contains(poison));
                Eventually.await("ready again", Duration.ofSeconds(30),
                        () -> ServiceProbe.get(http.port(), "/health/ready").statusCode() == 200);
                assertThat(ServiceProbe.metric(http.port(), "bhxh_loop_up{loop=\"alerts\"")).isEqualTo(1);
                assertThat(ServiceProbe.metric(http.port(), "bhxh_loop_failures_total{loop=\"alerts\"")).isEqualTo(1);
            } finally {
                alerts.stop();
                alerts.awaitStopped(Duration.ofSeconds(15));
            }
        }
    }
}
