package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.metadata.authorizer.StandardAuthorizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.sink.AlertSinkService;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaBrokerProcess;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The production Kafka security, exercised: a real broker with a SASL_SSL listener (SCRAM-SHA-512 over TLS) and
 * the StandardAuthorizer, every KafkaUser of {@code deploy/k8s} created with exactly the ACLs its manifest
 * declares, and the clients configured from the {@code kafka-clients} ConfigMap plus what Strimzi's Secrets
 * give (the user's {@code sasl.jaas.config}, the cluster CA). The three services run on it as their own users;
 * each user is refused what its manifest does not grant.
 */
class KafkaAclIT {

    private static final String LISTENER = "SECURE";
    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final String PROVINCE_A = "thanh-hoa";
    private static final String SEEDED_KEY = "seeded-by-admin";

    private static K8sManifests manifests;
    private static Path dir;
    private static BrokerCertificate certificate;
    private static int securePort;
    private static KafkaBrokerProcess broker;
    private static CapturedLogs logs;
    private static final Map<String, String> passwords = new LinkedHashMap<>();

    @BeforeAll
    static void startSecuredBroker() throws Exception {
        manifests = K8sManifests.load();
        dir = Files.createTempDirectory("kafka-acl-it");
        certificate = BrokerCertificate.create(dir);
        securePort = FreePorts.pick();
        String secure = "listener.name." + LISTENER.toLowerCase() + ".";
        broker = KafkaBrokerProcess.createWithListener(LISTENER, "SASL_SSL", securePort, Map.of(
                "sasl.enabled.mechanisms", "SCRAM-SHA-512",
                secure + "scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                secure + "ssl.keystore.location", certificate.keystore().toString(),
                secure + "ssl.keystore.password", certificate.password(),
                secure + "ssl.keystore.type", "PKCS12",
                "authorizer.class.name", StandardAuthorizer.class.getName(),
                // The controller and inter-broker links are loopback PLAINTEXT here (Strimzi secures its own with
                // mutual TLS); their principal, ANONYMOUS, is the super user, as is the test's admin on them.
                "super.users", "User:ANONYMOUS")).start();
        broker.startRegistry();
        logs = CapturedLogs.start(Map.of("org.apache.kafka.clients", Level.INFO,
                "org.apache.kafka.common.config", Level.INFO, "org.apache.kafka.common.security", Level.DEBUG));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            TopicProvisioner.ensure(admin, Topics.specs());
            List<UserScramCredentialAlteration> credentials = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (String user : manifests.all("KafkaUser").keySet()) {
                passwords.put(user, UUID.randomUUID().toString());
                credentials.add(new UserScramCredentialUpsertion(user,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), passwords.get(user)));
                acls.addAll(manifests.aclBindings(user));
            }
            admin.alterUserScramCredentials(credentials).all().get();
            admin.createAcls(acls).all().get();
            Eventually.await("the broker enforces every ACL of the manifests", WITHIN,
                    () -> describedAcls(admin) == acls.size());
            System.out.printf("%d SCRAM users with %d ACLs from the manifests%n", credentials.size(), acls.size());
            try (var seeder = new KafkaProducer<>(Map.<String, Object>of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                    new StringSerializer(), new StringSerializer())) {
                for (String topic : List.of(Topics.provinceAlertsName(PROVINCE_A), Topics.BLOCKLIST)) {
                    seeder.send(new ProducerRecord<>(topic, SEEDED_KEY, "seeded")).get();
                }
            }
        }
        Eventually.await("SCRAM credentials are in force", WITHIN, () -> {
            try (Admin admin = Admin.create(client("alert-sink"))) {
                admin.describeCluster().nodes().get();
                return true;
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (logs != null) {
            logs.close();
        }
        if (broker != null) {
            broker.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }

    @Test
    void theServicesRunOnTheProductionSettingsAsTheirOwnUsers() throws Exception {
        String phone = "+8490" + ThreadLocalRandom.current().nextInt(1_000_000, 10_000_000);
        String number = "tel:" + phone;
        Path state = Files.createTempDirectory(dir, "processor-state");
        try (ProcessorService processor = ProcessorService.start(Settings.of(service("stream-processor", Map.of(
                     "PROCESSOR_APPLICATION_ID", configValue("stream-processor", "PROCESSOR_APPLICATION_ID"),
                     "PROCESSOR_STATE_DIR", state.toString(),
                     "PROCESSOR_HTTP_PORT", "0"))));
             IngestService ingest = IngestService.start(Settings.of(service("reporter-ingest", Map.of(
                     "INGEST_HTTP_PORT", "0",
                     "INGEST_DEV_MODE", "true",
                     "INGEST_TRANSACTIONAL_ID", "reporter-ingest-acl-it",
                     "PROCESSOR_URL", "http://localhost:" + processor.port()))));
             AlertSinkService sink = AlertSinkService.start(Settings.of(service("alert-sink", Map.of(
                     "SINK_GROUP_ID", configValue("alert-sink", "SINK_GROUP_ID"),
                     "SINK_HTTP_PORT", "0",
                     "SINK_PARTNER_KEYS", "viettel:acl-it-partner-key",
                     // Owners' appeals on: the sink reads (health "appeals") and writes its appeals topic.
                     "SINK_APPEAL_KEY", "YWNsLWl0LWFwcGVhbC1rZXktMzItYnl0ZXMtbG9uZyE=",
                     "PROCESSOR_URL", "http://localhost:" + processor.port()))))) {
            for (int port : List.of(processor.port(), ingest.port(), sink.port())) {
                ServiceProbe.awaitHealthy(port, WITHIN);
            }
            HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + ingest.port() + "/api/v1/reports"))
                    .header("Authorization", "Bearer dev-police-token")
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"channel":"POLICE","reporterId":"PA05","province":"Thanh Hóa","contactMethod":"CALL",
                             "phoneNumbers":["%s"]}""".formatted(phone))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);

            String provinceUser = ManifestGenerator.provinceUserName(Provinces.bySlug(PROVINCE_A).orElseThrow());
            assertThat(readKeys(provinceUser, Topics.provinceAlertsName(PROVINCE_A), provinceUser + "-it", number))
                    .as("the processor's alert, read by the province's own user").contains(number);
            String partnerUser = ManifestGenerator.partnerUserName("viettel");
            assertThat(readKeys(partnerUser, Topics.BLOCKLIST, partnerUser + "-it", number))
                    .as("the processor's listing, read by a partner's own user").contains(number);
            Eventually.await("the sink routed the alert and serves the listing", WITHIN,
                    () -> ServiceProbe.metric(sink.port(), "bhxh_sink_alerts_received_total") >= 2
                            && feed(sink.port()).contains(number));
            HttpResponse<String> appeal = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + sink.port() + "/api/v1/appeals"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"indicator":"%s","contact":"0912345678","explanation":"Số của tôi, không lừa đảo ai."}"""
                            .formatted(phone))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(appeal.statusCode()).as("an owner's appeal, written by the sink's own user: " + appeal.body())
                    .isEqualTo(201);
        }
        for (Map.Entry<String, String> user : passwords.entrySet()) {
            assertThat(logs.containing(user.getValue())).as("log lines with %s's password", user.getKey()).isEmpty();
        }
        assertThat(logs.containing("sasl.jaas.config = [hidden]")).as("the clients' config dumps").isNotEmpty();
    }

    @Test
    void eachServiceUserIsRefusedTopicsItHasNoBusinessWith() {
        assertReadDenied("reporter-ingest", Topics.REPORTS);
        assertWriteDenied("reporter-ingest", Topics.BLOCKLIST);
        assertWriteDenied("stream-processor", Topics.REPORTS);
        assertReadDenied("stream-processor", Topics.INGEST_IDEMPOTENCY);
        assertReadDenied("alert-sink", Topics.REPORTS);
        assertWriteDenied("alert-sink", Topics.BLOCKLIST);
        assertReadDenied("stream-processor", Topics.APPEALS);
        assertReadDenied("reporter-ingest", Topics.APPEALS);
        assertReadDenied("schema-registry", Topics.REPORTS);
    }

    @Test
    void aProvinceUserReadsOnlyItsOwnAlertTopic() {
        String user = ManifestGenerator.provinceUserName(Provinces.bySlug(PROVINCE_A).orElseThrow());
        assertThat(readKeys(user, Topics.provinceAlertsName(PROVINCE_A), user + "-dashboard", SEEDED_KEY))
                .contains(SEEDED_KEY);
        assertReadDenied(user, Topics.provinceAlertsName("ha-noi"));
        assertReadDenied(user, Topics.ALERTS_NATIONAL);
        assertReadDenied(user, Topics.REPORTS);
        assertWriteDenied(user, Topics.provinceAlertsName(PROVINCE_A));
        assertGroupDenied(user, Topics.provinceAlertsName(PROVINCE_A), "bhxh-alert-sink");
    }

    @Test
    void aPartnerUserOnlyReadsTheBlocklist() {
        String user = ManifestGenerator.partnerUserName("vnpt");
        assertThat(readKeys(user, Topics.BLOCKLIST, user + "-sync", SEEDED_KEY)).contains(SEEDED_KEY);
        assertWriteDenied(user, Topics.BLOCKLIST);
        assertReadDenied(user, Topics.ALERTS_NATIONAL);
        assertReadDenied(user, Topics.REPORTS);
        assertReadDenied(user, Topics.ALLOWLIST);
        assertReadDenied(user, Topics.APPEALS);
        assertGroupDenied(user, Topics.BLOCKLIST, ManifestGenerator.partnerUserName("viettel"));
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefused() {
        for (Map<String, Object> props : List.of(client("alert-sink", "not-" + passwords.get("alert-sink")),
                client("nobody", UUID.randomUUID().toString()))) {
            try (Admin admin = Admin.create(props)) {
                assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                        .hasCauseInstanceOf(SaslAuthenticationException.class);
            }
        }
    }

    // --- clients as production configures them -------------------------------------------------------------

    /** A service's environment: the kafka-clients ConfigMap, its user's Secret and the cluster CA, and its own. */
    private static Map<String, String> service(String user, Map<String, String> own) {
        Map<String, String> env = new HashMap<>(environment(user, passwords.get(user)));
        env.putAll(own);
        return env;
    }

    private static Map<String, String> environment(String user, String password) {
        Map<String, String> env = new HashMap<>();
        manifests.all("ConfigMap").get("kafka-clients").path("data").fields()
                .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, "localhost:" + securePort);
        env.put(KafkaSettings.SCHEMA_REGISTRY_URL, broker.registryUrl());
        // What Strimzi puts in the user's Secret (sasl.jaas.config) and the cluster CA Secret (ca.crt).
        env.put("KAFKA_CLIENT_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + user + "\" password=\"" + password + "\";");
        env.put("KAFKA_CLIENT_SSL_TRUSTSTORE_CERTIFICATES", certificate.pem());
        return env;
    }

    private static Map<String, Object> client(String user) {
        return client(user, passwords.get(user));
    }

    private static Map<String, Object> client(String user, String password) {
        Map<String, Object> props = KafkaSettings.from(Settings.of(environment(user, password))).common("acl-it-" + user);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private static String configValue(String configMap, String key) {
        JsonNode value = manifests.all("ConfigMap").get(configMap).path("data").path(key);
        assertThat(value.isTextual()).as("%s in ConfigMap %s", key, configMap).isTrue();
        return value.asText();
    }

    // --- allowed and denied ---------------------------------------------------------------------------------

    /** The keys read from the start of partition 0 with {@code group}'s offsets committed, until {@code key} is seen. */
    private static List<String> readKeys(String user, String topic, String group, String key) {
        Map<String, Object> props = consumer(user);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        List<String> keys = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Eventually.await(user + " reads " + key + " from " + topic, WITHIN, () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(record.key());
                }
                return keys.contains(key);
            });
            consumer.commitSync();
        }
        return keys;
    }

    private static void assertReadDenied(String user, String topic) {
        try (var consumer = new KafkaConsumer<>(consumer(user), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThatThrownBy(() -> {
                long deadline = System.nanoTime() + WITHIN.toNanos();
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500));
                }
            }).as("%s reading %s", user, topic).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static void assertWriteDenied(String user, String topic) {
        Map<String, Object> props = client(user);
        // Not idempotent: the refusal is then about the topic, not the producer id.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get())
                    .as("%s writing %s", user, topic)
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    private static void assertGroupDenied(String user, String topic, String group) {
        Map<String, Object> props = consumer(user);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(30))).as("%s joining %s", user, group)
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    private static Map<String, Object> consumer(String user) {
        Map<String, Object> props = client(user);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    private static int describedAcls(Admin admin) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            return -1;
        }
    }

    private static String feed(int sinkPort) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + sinkPort
                            + "/api/v1/blocklist")).header("Authorization", "Bearer acl-it-partner-key").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        } catch (Exception e) {
            return "";
        }
    }
}
