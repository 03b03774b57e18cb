package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.testkit.CrashScale;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProcess;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The alert sink's production {@code main} as an OS process, killed with SIGKILL again and again while it pushes
 * alerts to three provincial endpoints (two for Cao Bằng, one for Tuyên Quang), and restarted: at any moment,
 * right after an office answered 200 (the offset not yet committed), and while an office holds a call it has
 * already taken in. Every alert must reach every endpoint of its province at least once, and exactly once and in
 * topic order once the office drops repeats by {@code Idempotency-Key}; the repeats the kills cause are counted.
 *
 * <p>Scale: {@code -Deos.kills=6 -Deos.alerts=300} by default; {@code -Deos.long=true} for a release.
 */
class SinkCrashIT {

    private static final Duration WITHIN = Duration.ofMinutes(3);

    /** When the sink dies, relative to a delivery. */
    enum Moment { ANSWERED_NOT_COMMITTED, TAKEN_NOT_ANSWERED, ANY }

    @Test
    void deliversEveryAlertOnceInOrderAfterDeduplicationThroughKills() throws Exception {
        CrashScale scale = CrashScale.fromSystemProperties(6, "eos.alerts", 300);
        Random random = new Random(scale.seed());
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        String run = "crash" + System.nanoTime();

        try (WebhookReceiver caoBang = new WebhookReceiver(WebhookDeliveryIT.secret("cao-bang"), 0);
             WebhookReceiver caoBangBackup = new WebhookReceiver(WebhookDeliveryIT.secret("cao-bang"), 0);
             WebhookReceiver tuyenQuang = new WebhookReceiver(WebhookDeliveryIT.secret("tuyen-quang"), 0);
             var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                     topics.nationalAlerts().valueSerde().serializer())) {
            Map<WebhookReceiver, String> offices = new LinkedHashMap<>();
            offices.put(caoBang, "cao-bang");
            offices.put(caoBangBackup, "cao-bang");
            offices.put(tuyenQuang, "tuyen-quang");
            List<ProducerRecord<String, Alert>> plan = new ArrayList<>();
            for (int i = 0; i < scale.records(); i++) {
                String province = random.nextBoolean() ? "cao-bang" : "tuyen-quang";
                plan.add(new ProducerRecord<>(Topics.provinceAlertsName(province), "tel:+84904038115",
                        WebhookDeliveryIT.alert(run + "/" + province + "/" + i, province)));
            }
            Sink sink = new Sink(cluster, run, "cao-bang=" + caoBang.url() + "," + caoBangBackup.url()
                    + ";tuyen-quang=" + tuyenQuang.url());
            Map<Moment, Integer> kills = new EnumMap<>(Moment.class);
            // The alerts an office had answered 200 when the sink was killed, with that office.
            List<Map.Entry<WebhookReceiver, String>> answeredThenKilled = new CopyOnWriteArrayList<>();
            try {
                sink.start();
                Publisher publisher = new Publisher(producer, plan, Math.max(1, plan.size() / (scale.kills() * 2 + 1)));
                for (int kill = 0; kill < scale.kills(); kill++) {
                    Moment moment = Moment.values()[kill % Moment.values().length];
                    WebhookReceiver office = new ArrayList<>(offices.keySet()).get(random.nextInt(offices.size()));
                    // Armed before the alerts go out: on a fast machine they are delivered at once.
                    switch (moment) {
                        case ANSWERED_NOT_COMMITTED -> {
                            CountDownLatch killed = new CountDownLatch(1);
                            office.afterNextAnswer(answered -> {
                                sink.process.kill();
                                answeredThenKilled.add(Map.entry(office, answered.idempotencyKey()));
                                killed.countDown();
                            });
                            publisher.burstWith(offices.get(office));
                            assertThat(killed.await(WITHIN.toSeconds(), TimeUnit.SECONDS))
                                    .as("an office answered a call").isTrue();
                        }
                        case TAKEN_NOT_ANSWERED -> {
                            office.holdCalls();
                            publisher.burstWith(offices.get(office));
                            Eventually.await("the office holds a call", WITHIN, () -> office.heldCalls() > 0);
                            sink.process.kill();
                            office.release(); // the office takes it in; its answer goes to a dead socket
                        }
                        case ANY -> {
                            publisher.burst();
                            Thread.sleep(random.nextInt(1_500));
                            sink.process.kill();
                        }
                    }
                    kills.merge(moment, 1, Integer::sum);
                    publisher.burst();
                    sink.start();
                }
                publisher.rest();
                offices.forEach((office, province) -> Eventually.await("every alert reaches " + office.url(),
                        WITHIN, () -> ours(office.accepted(), run).size() == expected(plan, province).size()));
            } finally {
                sink.process.close();
            }

            int calls = 0;
            int delivered = 0;
            int lost = 0;
            int outOfOrder = 0;
            for (var office : offices.entrySet()) {
                List<String> sent = expected(plan, office.getValue());
                List<String> kept = ours(office.getKey().accepted(), run).stream()
                        .map(WebhookReceiver.Call::idempotencyKey).toList();
                calls += ours(office.getKey().calls(), run).size();
                delivered += kept.size();
                lost += (int) sent.stream().filter(id -> !kept.contains(id)).count();
                outOfOrder += kept.equals(sent) ? 0 : 1;
            }
            // Re-sent: the kill came before the offset commit (the race the sink must lose safely).
            long beforeCommit = answeredThenKilled.stream().filter(answered -> answered.getKey().calls().stream()
                    .filter(call -> call.idempotencyKey().equals(answered.getValue())).count() > 1).count();
            System.out.printf("EOS crash test (alert sink, seed %d%s): %d kills -9 (%s), %d alerts produced,"
                            + " %d webhook calls to 3 endpoints, %d delivered after de-duplication, %d redeliveries"
                            + " caused by the kills (%d of %d alerts answered 200 just before a kill were re-sent),"
                            + " lost %d, endpoints out of order %d%n",
                    scale.seed(), scale.longMode() ? ", long mode" : "", scale.kills(), kills, plan.size(), calls,
                    delivered, calls - delivered, beforeCommit, answeredThenKilled.size(), lost, outOfOrder);
            for (var office : offices.entrySet()) {
                assertThat(ours(office.getKey().calls(), run)).allMatch(WebhookReceiver.Call::signatureValid);
                assertThat(ours(office.getKey().accepted(), run)).extracting(WebhookReceiver.Call::idempotencyKey)
                        .as("what %s kept, de-duplicated, in arrival order", office.getKey().url())
                        .containsExactlyElementsOf(expected(plan, office.getValue()));
            }
            // A call the office took in but never answered is certainly uncommitted: each such kill re-sends.
            assertThat(calls - delivered).isGreaterThanOrEqualTo(kills.getOrDefault(Moment.TAKEN_NOT_ANSWERED, 0));
        }
    }

    private static List<String> expected(List<ProducerRecord<String, Alert>> plan, String province) {
        return plan.stream().filter(record -> record.topic().equals(Topics.provinceAlertsName(province)))
                .map(record -> record.value().getAlertId()).toList();
    }

    private static List<WebhookReceiver.Call> ours(List<WebhookReceiver.Call> calls, String run) {
        return calls.stream().filter(call -> call.idempotencyKey().startsWith(run + "/")).toList();
    }

    /** The plan's alerts in order, a burst at a time, each burst acknowledged: topic order is plan order. */
    private static final class Publisher {
        private final KafkaProducer<String, Alert> producer;
        private final List<ProducerRecord<String, Alert>> plan;
        private final int burst;
        private int next;

        Publisher(KafkaProducer<String, Alert> producer, List<ProducerRecord<String, Alert>> plan, int burst) {
            this.producer = producer;
            this.plan = plan;
            this.burst = burst;
        }

        void burst() throws Exception {
            send(Math.min(plan.size(), next + burst));
        }

        /** A burst that holds at least one alert of {@code province}, so its offices get a call. */
        void burstWith(String province) throws Exception {
            int until = Math.min(plan.size(), next + burst);
            while (until < plan.size() && plan.subList(next, until).stream()
                    .noneMatch(record -> record.topic().equals(Topics.provinceAlertsName(province)))) {
                until++;
            }
            send(until);
        }

        void rest() throws Exception {
            send(plan.size());
        }

        private void send(int until) throws Exception {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (; next < until; next++) {
                acks.add(producer.send(plan.get(next)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    /** The sink's production main in its own JVM; each start on a fresh free port, the same consumer groups. */
    private static final class Sink {
        final ServiceProcess process = ServiceProcess.of(AlertSinkService.class,
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                Path.of("target", "sink-crash", "alert-sink.log"));
        private final Map<String, String> env = new HashMap<>();

        Sink(KafkaTestCluster cluster, String run, String webhooks) {
            env.putAll(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                    "SINK_GROUP_ID", "sink-crash-" + run,
                    "SINK_WEBHOOKS", webhooks,
                    "SINK_WEBHOOK_BACKOFF_MS", "100",
                    "SINK_WEBHOOK_MAX_BACKOFF_MS", "400",
                    "SINK_WEBHOOK_TIMEOUT_MS", "5000",
                    // The killed consumer leaves its groups when its session times out: the broker's minimum.
                    "KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000",
                    "KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "1500"));
            env.putAll(WebhookDeliveryIT.secrets());
        }

        void start() {
            int port = FreePorts.pick();
            env.put("SINK_HTTP_PORT", Integer.toString(port));
            process.start(env);
            Eventually.await("the sink answers /health 200", WITHIN, () -> process.isHealthy(port));
        }
    }
}
