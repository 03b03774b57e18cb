package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Signed webhooks to provincial offices against real receivers. Each test uses its own provinces (and a fresh
 * consumer group), so alerts of one test never reach another's receivers. Retry budgets and backoffs are
 * compressed (seconds and 100 ms instead of a day and a second); the code paths are those of production.
 */
class WebhookDeliveryIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String NOTE = "Gọi tự xưng cán bộ BHXH, đòi mã OTP";

    private static KafkaTestCluster cluster;
    private static Topics topics;

    @BeforeAll
    static void topics() throws Exception {
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        topics = new Topics(cluster.registryClient());
    }

    @Test
    void retriesAFlakyOfficeAndDeliversEachAlertOnceInOrder() throws Exception {
        String run = "run" + System.nanoTime();
        try (WebhookReceiver office = new WebhookReceiver(secret("lai-chau"), 3);
             AlertSinkService sink = start(run, Map.of("SINK_WEBHOOKS", "lai-chau=" + office.url()))) {
            List<String> sent = List.of(run + "/1", run + "/2", run + "/3");
            for (String alertId : sent) {
                publish("lai-chau", alertId);
            }

            Eventually.await("the three alerts are accepted", WITHIN, () -> ours(office.accepted(), run).size() == 3);
            assertThat(ours(office.accepted(), run)).extracting(WebhookReceiver.Call::idempotencyKey)
                    .containsExactlyElementsOf(sent);
            assertThat(office.calls()).allMatch(WebhookReceiver.Call::signatureValid);
            assertThat(office.accepted().get(0).body()).contains("\"display\":\"0904 038 115\"");
            assertThat(office.calls().size()).as("the 3 refused calls were retried").isGreaterThan(3);
            assertThat(ServiceProbe.metric(sink.port(), "bhxh_sink_webhook_retries_total")).isGreaterThan(0);
        }
    }

    @Test
    void aDeadOfficeIsDeadLetteredWithoutHoldingUpTheOthers() throws Exception {
        String run = "run" + System.nanoTime();
        String dead = "http://localhost:" + FreePorts.pick() + "/alerts"; // nobody listens: refused
        try (WebhookReceiver sonLa = new WebhookReceiver(secret("son-la"), 0);
             WebhookReceiver dienBienBackup = new WebhookReceiver(secret("dien-bien"), 0);
             AlertSinkService sink = start(run, Map.of(
                     "SINK_WEBHOOKS", "dien-bien=" + dead + "," + dienBienBackup.url() + ";son-la=" + sonLa.url(),
                     "SINK_WEBHOOK_RETRY_BUDGET", "PT2S"))) {
            publish("dien-bien", run + "/dien-bien");
            publish("son-la", run + "/son-la");

            Eventually.await("Sơn La and Điện Biên's working endpoint get their alerts", WITHIN,
                    () -> ours(sonLa.accepted(), run).size() == 1 && ours(dienBienBackup.accepted(), run).size() == 1);
            Eventually.await("the alert for the dead endpoint is dead-lettered", WITHIN,
                    () -> deadLetters(Topics.provinceAlertsName("dien-bien")).stream()
                            .anyMatch(letter -> letter.getError().contains(run + "/dien-bien")));
            DeadLetter letter = deadLetters(Topics.provinceAlertsName("dien-bien")).stream()
                    .filter(l -> l.getError().contains(run + "/dien-bien")).findFirst().orElseThrow();
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.DELIVERY);
            assertThat(letter.getError()).contains(dead).contains("within the retry budget PT2S")
                    .contains("ConnectException");
            assertThat(ServiceProbe.metric(sink.port(),
                    "bhxh_sink_webhook_deliveries_total{endpoint=\"" + dead)).isEqualTo(1);
        }
    }

    @Test
    void aCrashBetweenDeliveryAndCommitResendsTheAlertWhichTheOfficeDeduplicates() throws Exception {
        String run = "run" + System.nanoTime();
        try (WebhookReceiver office = new WebhookReceiver(secret("lang-son"), 0)) {
            Map<String, String> webhook = Map.of("SINK_WEBHOOKS", "lang-son=" + office.url());
            office.holdCalls();
            try (AlertSinkService sink = start(run, webhook)) {
                publish("lang-son", run + "/1");
                Eventually.await("the office received the alert", WITHIN, () -> ours(office.calls(), run).size() == 1);
            } // stopped while the office has not answered: the offset was not committed
            office.release();
            try (AlertSinkService restarted = start(run, webhook)) {
                Eventually.await("the restarted sink sends it again", WITHIN,
                        () -> ours(office.calls(), run).size() >= 2);
                assertThat(ours(office.accepted(), run)).extracting(WebhookReceiver.Call::idempotencyKey)
                        .containsExactly(run + "/1");
            }
        }
    }

    @Test
    void anOfficeDownLongerThanTheOldEightAttemptsGetsEveryAlertOnceInOrderWhenItComesBack() throws Exception {
        String run = "run" + System.nanoTime();
        int port = FreePorts.pick(); // nobody listens there yet: every call is refused
        String url = "http://localhost:" + port + "/alerts";
        try (AlertSinkService sink = start(run, Map.of("SINK_WEBHOOKS", "lao-cai=" + url,
                "SINK_WEBHOOK_RETRY_BUDGET", "PT30S",
                // Shorter than the outage: a member that did not poll while it waits would lose its group.
                "KAFKA_CLIENT_MAX_POLL_INTERVAL_MS", "3000"))) {
            List<String> sent = List.of(run + "/1", run + "/2", run + "/3");
            for (String alertId : sent) {
                publish("lao-cai", alertId);
            }
            // The old budget, 8 attempts 100 ms doubling to 400 ms, was spent in about 2 s.
            Eventually.await("the sink retries the first alert", WITHIN, () -> ServiceProbe.metric(sink.port(),
                    "bhxh_sink_webhook_retries_total{endpoint=\"" + url) >= 8);
            Thread.sleep(6_000);
            assertThat(deadLetters(Topics.provinceAlertsName("lao-cai")))
                    .noneMatch(letter -> letter.getError().contains(run + "/"));

            try (WebhookReceiver office = WebhookReceiver.onPort(secret("lao-cai"), port)) {
                Eventually.await("the office gets the three alerts", WITHIN,
                        () -> ours(office.accepted(), run).size() == 3);
                assertThat(ours(office.calls(), run)).as("each alert once, in topic order")
                        .extracting(WebhookReceiver.Call::idempotencyKey).containsExactlyElementsOf(sent);
                assertThat(office.calls()).allMatch(WebhookReceiver.Call::signatureValid);
            }
        }
    }

    @Test
    void aRestartWhileAnAlertWaitsForItsNextAttemptResumesWithThatAlert() throws Exception {
        String run = "run" + System.nanoTime();
        int port = FreePorts.pick();
        String url = "http://localhost:" + port + "/alerts";
        Map<String, String> webhook = Map.of("SINK_WEBHOOKS", "quang-ngai=" + url,
                "SINK_WEBHOOK_RETRY_BUDGET", "PT30S");
        try (AlertSinkService sink = start(run, webhook)) {
            publish("quang-ngai", run + "/1");
            publish("quang-ngai", run + "/2");
            Eventually.await("the first alert waits between attempts", WITHIN, () -> ServiceProbe.metric(sink.port(),
                    "bhxh_sink_webhook_retries_total{endpoint=\"" + url) >= 2);
        } // stopped during a backoff: nothing was committed
        try (WebhookReceiver office = WebhookReceiver.onPort(secret("quang-ngai"), port);
             AlertSinkService restarted = start(run, webhook)) {
            Eventually.await("the restarted sink delivers both", WITHIN, () -> ours(office.accepted(), run).size() == 2);
            assertThat(ours(office.calls(), run)).extracting(WebhookReceiver.Call::idempotencyKey)
                    .containsExactly(run + "/1", run + "/2");
        }
    }

    @Test
    void retryAfterIsWaitedAndTheDeliveryIdStaysTheSame() throws Exception {
        String run = "run" + System.nanoTime();
        try (WebhookReceiver office = new WebhookReceiver(secret("thai-nguyen"), 0)
                .answerFirst(new WebhookReceiver.Answer(429, "2"));
             AlertSinkService sink = start(run, Map.of("SINK_WEBHOOKS", "thai-nguyen=" + office.url(),
                     "SINK_WEBHOOK_RETRY_BUDGET", "PT20S"))) {
            publish("thai-nguyen", run + "/1");

            Eventually.await("the alert is accepted", WITHIN, () -> ours(office.accepted(), run).size() == 1);
            List<WebhookReceiver.Call> calls = ours(office.calls(), run);
            assertThat(calls).hasSize(2);
            assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
                    .as("Retry-After: 2, not the 100 ms backoff").isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
            assertThat(calls.get(1).webhookId()).startsWith("msg_").isEqualTo(calls.get(0).webhookId());
            assertThat(Long.parseLong(calls.get(1).timestamp())).as("webhook-timestamp is the attempt's")
                    .isGreaterThan(Long.parseLong(calls.get(0).timestamp()));
            assertThat(calls).allMatch(WebhookReceiver.Call::signatureValid);
        }
    }

    @Test
    void aPermanentRefusalIsDeadLetteredAfterOneCallWhile429And503AreRetried() throws Exception {
        String run = "run" + System.nanoTime();
        try (WebhookReceiver gone = new WebhookReceiver(secret("phu-tho"), 0).answerAlways(404);
             WebhookReceiver busy = new WebhookReceiver(secret("bac-ninh"), 0)
                     .answerFirst(WebhookReceiver.Answer.of(429), WebhookReceiver.Answer.of(503));
             AlertSinkService sink = start(run, Map.of(
                     "SINK_WEBHOOKS", "phu-tho=" + gone.url() + ";bac-ninh=" + busy.url(),
                     "SINK_WEBHOOK_RETRY_BUDGET", "PT20S"))) {
            publish("phu-tho", run + "/phu-tho");
            publish("bac-ninh", run + "/bac-ninh");

            Eventually.await("Bắc Ninh's busy endpoint takes its alert", WITHIN,
                    () -> ours(busy.accepted(), run).size() == 1);
            assertThat(ours(busy.calls(), run)).as("429, 503, then 200").hasSize(3);
            Eventually.await("the alert the endpoint refused for good is dead-lettered", WITHIN,
                    () -> deadLetters(Topics.provinceAlertsName("phu-tho")).stream()
                            .anyMatch(letter -> letter.getError().contains(run + "/phu-tho")));
            DeadLetter letter = deadLetters(Topics.provinceAlertsName("phu-tho")).stream()
                    .filter(l -> l.getError().contains(run + "/phu-tho")).findFirst().orElseThrow();
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.DELIVERY);
            assertThat(letter.getError()).contains("HTTP 404").contains("not retried");
            assertThat(ours(gone.calls(), run)).as("a 404 is not asked again").hasSize(1);
        }
    }

    @Test
    void eachProvinceSignsWithItsOwnSecretPerStandardWebhooksAndSendsNoNotes() throws Exception {
        String run = "run" + System.nanoTime();
        try (WebhookReceiver hungYen = new WebhookReceiver(secret("hung-yen"), 0);
             WebhookReceiver ninhBinh = new WebhookReceiver(secret("ninh-binh"), 0);
             AlertSinkService sink = start(run, Map.of(
                     "SINK_WEBHOOKS", "hung-yen=" + hungYen.url() + ";ninh-binh=" + ninhBinh.url()))) {
            publish("hung-yen", run + "/hung-yen");
            publish("ninh-binh", run + "/ninh-binh");

            Eventually.await("both offices get their alert", WITHIN,
                    () -> ours(hungYen.accepted(), run).size() == 1 && ours(ninhBinh.accepted(), run).size() == 1);
            WebhookReceiver.Call call = ours(hungYen.accepted(), run).get(0);
            assertThat(call.signatureValid()).as("verified with Hưng Yên's own secret").isTrue();
            assertThat(ours(ninhBinh.accepted(), run).get(0).signatureValid()).isTrue();
            Instant now = Instant.now();
            assertThat(WebhookReceiver.verifies(Webhook.key("k", secret("ninh-binh")), call, now))
                    .as("Ninh Bình's secret cannot verify Hưng Yên's alerts").isFalse();
            assertThat(WebhookReceiver.verifies(Webhook.key("k", secret("hung-yen")), call,
                    now.plus(WebhookReceiver.REPLAY_WINDOW).plusSeconds(30)))
                    .as("a call replayed after the window is refused").isFalse();
            assertThat(call.body()).contains("\"alertId\":\"" + run + "/hung-yen\"")
                    .doesNotContain("sampleNotes").doesNotContain(NOTE).doesNotContain("OTP");
        }
    }

    private static AlertSinkService start(String group, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-webhook-it-" + group,
                "SINK_HTTP_PORT", "0",
                "SINK_WEBHOOK_BACKOFF_MS", "100",
                "SINK_WEBHOOK_MAX_BACKOFF_MS", "400",
                "SINK_WEBHOOK_TIMEOUT_MS", "5000"));
        settings.putAll(secrets());
        settings.putAll(extra);
        AlertSinkService sink = AlertSinkService.start(Settings.of(settings));
        ServiceProbe.awaitHealthy(sink.port(), WITHIN);
        return sink;
    }

    /** Each province's own webhook secret (at least 16 bytes, none like another's). */
    static String secret(String province) {
        return "webhook-it-" + province + "-secret";
    }

    static Map<String, String> secrets() {
        Map<String, String> secrets = new HashMap<>();
        for (Province province : Provinces.all()) {
            secrets.put(Webhook.secretName(province.slug()), secret(province.slug()));
        }
        return secrets;
    }

    private static List<WebhookReceiver.Call> ours(List<WebhookReceiver.Call> calls, String run) {
        return calls.stream().filter(call -> call.idempotencyKey().startsWith(run + "/")).toList();
    }

    private static void publish(String province, String alertId) throws Exception {
        try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.provinceAlerts(province).valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(Topics.provinceAlertsName(province), "tel:+84904038115",
                    alert(alertId, province))).get();
        }
    }

    static Alert alert(String alertId, String province) {
        Instant at = Instant.now();
        return Alert.newBuilder()
                .setAlertId(alertId)
                .setIndicator("tel:+84904038115")
                .setKind(IndicatorKind.PHONE)
                .setLevel(AlertLevel.WARNING)
                .setReason("3 người báo cáo trong 24 giờ")
                .setProvinces(List.of(province))
                .setDistinctReporters(3)
                .setWeightedReporters(3.0)
                .setReportCount(3)
                .setSampleNotes(List.of(NOTE))
                .setWindowStart(at.minus(Duration.ofHours(24)))
                .setWindowEnd(at)
                .setFirstSeen(at.minus(Duration.ofHours(2)))
                .setLastSeen(at)
                .setRaisedAt(at)
                .build();
    }

    private static List<DeadLetter> deadLetters(String originalTopic) {
        List<DeadLetter> found = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(cluster.consumerProps("dl-reader-" + System.nanoTime()),
                new StringDeserializer(), topics.deadLetters().valueSerde().deserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTER));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            var records = consumer.poll(Duration.ofSeconds(2));
            while (!records.isEmpty() || (found.isEmpty() && System.nanoTime() < deadline)) {
                for (ConsumerRecord<String, DeadLetter> record : records) {
                    if (record.value().getOriginalTopic().equals(originalTopic)) {
                        found.add(record.value());
                    }
                }
                records = consumer.poll(Duration.ofSeconds(1));
            }
        }
        return found;
    }
}
