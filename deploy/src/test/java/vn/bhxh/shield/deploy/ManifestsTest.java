package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.ingest.IngestSettings;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.topic.TopicSpec;
import vn.bhxh.shield.topic.Topics;

/**
 * Keeps deploy/k8s honest: topics, ACLs, ports, probes and environment variables must agree with what the code
 * defines and reads, so a renamed setting or a new topic fails the build instead of a production rollout.
 */
class ManifestsTest {

    private static final Path K8S = K8sManifests.DIR;
    private static final Set<String> READ_ONLY = Set.of("Read", "Describe");

    private static Map<String, Map<String, JsonNode>> byKind;
    private static Set<String> files;

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        K8sManifests manifests = K8sManifests.load();
        byKind = manifests.byKind;
        files = manifests.files;
    }

    @Test
    void generatedManifestsAreUpToDate() throws IOException {
        boolean regenerate = Boolean.getBoolean("manifests.regenerate");
        for (Map.Entry<String, String> file : ManifestGenerator.render().entrySet()) {
            Path path = K8S.resolve(file.getKey());
            if (regenerate) {
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            }
            assertThat(Files.readString(path, StandardCharsets.UTF_8))
                    .as("%s is stale: run ManifestsTest with -Dmanifests.regenerate=true", path)
                    .isEqualTo(file.getValue());
        }
    }

    @Test
    void theKustomizationAppliesEveryManifest() {
        Set<String> listed = new TreeSet<>();
        one("Kustomization", "kustomization.yaml").path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> manifests = new TreeSet<>(files);
        manifests.remove("kustomization.yaml");
        assertThat(listed).isEqualTo(manifests);
    }

    @Test
    void everyTopicMatchesItsSpec() {
        Map<String, JsonNode> topics = all("KafkaTopic");
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(
                Topics.specs().stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : Topics.specs()) {
            JsonNode topic = topics.get(spec.name()).path("spec");
            assertThat(topic.path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(topic.path("replicas").asInt()).as(spec.name()).isEqualTo(3);
            Map<String, String> expected = new TreeMap<>(spec.configs());
            expected.put("min.insync.replicas", "2");
            assertThat(textMap(topic.path("config"))).as(spec.name()).isEqualTo(expected);
        }
    }

    @Test
    void eachProvinceUserReadsOnlyItsOwnAlertTopic() {
        assertThat(all("KafkaUser").keySet().stream().filter(u -> u.startsWith("province-")))
                .hasSize(Provinces.all().size());
        for (Province province : Provinces.all()) {
            String user = ManifestGenerator.provinceUserName(province);
            assertReadsOnly(user, Topics.provinceAlertsName(province.slug()));
        }
    }

    @Test
    void eachTelecomPartnerReadsOnlyTheBlocklist() {
        assertThat(all("KafkaUser").keySet().stream().filter(u -> u.startsWith("partner-")))
                .hasSameSizeAs(ManifestGenerator.PARTNERS);
        for (String partner : ManifestGenerator.PARTNERS) {
            assertReadsOnly(ManifestGenerator.partnerUserName(partner), Topics.BLOCKLIST);
        }
    }

    @Test
    void serviceUsersHoldExactlyTheGrantsTheirCodeNeeds() {
        String applicationId = configValue(DeployedService.STREAM_PROCESSOR, "PROCESSOR_APPLICATION_ID");
        String sinkGroup = configValue(DeployedService.ALERT_SINK, "SINK_GROUP_ID");
        String alerts = "bhxh.alerts.";
        assertThat(Topics.ALL_ALERTS.matcher(Topics.ALERTS_NATIONAL).matches()).isTrue();

        assertThat(grants("reporter-ingest")).containsExactlyInAnyOrder(
                "topic:" + Topics.REPORTS + ":literal:Write", "topic:" + Topics.REPORTS + ":literal:Describe",
                "topic:" + Topics.INGEST_IDEMPOTENCY + ":literal:Read",
                "topic:" + Topics.INGEST_IDEMPOTENCY + ":literal:Write",
                "topic:" + Topics.INGEST_IDEMPOTENCY + ":literal:Describe",
                "transactionalId:" + IngestService.NAME + "-:prefix:Write",
                "transactionalId:" + IngestService.NAME + "-:prefix:Describe");
        assertThat(grants("stream-processor")).containsExactlyInAnyOrder(
                "topic:" + Topics.REPORTS + ":literal:Read", "topic:" + Topics.REPORTS + ":literal:Describe",
                "topic:" + Topics.DECISIONS + ":literal:Read", "topic:" + Topics.DECISIONS + ":literal:Describe",
                "topic:" + Topics.ALLOWLIST + ":literal:Read", "topic:" + Topics.ALLOWLIST + ":literal:Write",
                "topic:" + Topics.ALLOWLIST + ":literal:Describe",
                "topic:" + alerts + ":prefix:Write", "topic:" + alerts + ":prefix:Describe",
                "topic:" + Topics.BLOCKLIST + ":literal:Write", "topic:" + Topics.BLOCKLIST + ":literal:Describe",
                "topic:" + Topics.DEAD_LETTER + ":literal:Write", "topic:" + Topics.DEAD_LETTER + ":literal:Describe",
                "topic:" + applicationId + ":prefix:All",
                "group:" + applicationId + ":prefix:Read", "group:" + applicationId + ":prefix:Describe",
                "transactionalId:" + applicationId + ":prefix:Write",
                "transactionalId:" + applicationId + ":prefix:Describe");
        assertThat(grants("alert-sink")).containsExactlyInAnyOrder(
                "topic:" + alerts + ":prefix:Read", "topic:" + alerts + ":prefix:Describe",
                "topic:" + Topics.BLOCKLIST + ":literal:Read", "topic:" + Topics.BLOCKLIST + ":literal:Describe",
                "topic:" + Topics.ALLOWLIST + ":literal:Read", "topic:" + Topics.ALLOWLIST + ":literal:Describe",
                "topic:" + Topics.DECISIONS + ":literal:Read", "topic:" + Topics.DECISIONS + ":literal:Write",
                "topic:" + Topics.DECISIONS + ":literal:Describe",
                "topic:" + Topics.DEAD_LETTER + ":literal:Write", "topic:" + Topics.DEAD_LETTER + ":literal:Describe",
                "topic:" + Topics.APPEALS + ":literal:Read", "topic:" + Topics.APPEALS + ":literal:Write",
                "topic:" + Topics.APPEALS + ":literal:Describe",
                "group:" + sinkGroup + ":prefix:Read", "group:" + sinkGroup + ":prefix:Describe");
    }

    @Test
    void everyLiteralTopicInAnAclIsATopicWeCreate() {
        Set<String> topics = Topics.specs().stream().map(TopicSpec::name).collect(Collectors.toSet());
        all("KafkaUser").forEach((user, doc) -> doc.path("spec").path("authorization").path("acls").forEach(acl -> {
            JsonNode resource = acl.path("resource");
            if (resource.path("type").asText().equals("topic") && resource.path("patternType").asText().equals("literal")) {
                assertThat(topics).as("%s's ACL", user).contains(resource.path("name").asText());
            }
        }));
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void everyEnvironmentVariableIsOneTheServiceReads(DeployedService service) {
        Set<String> env = environment(service);
        for (String name : env) {
            assertThat(service.reads(name)).as("%s: its code never reads %s (or it is no Kafka client setting)",
                    service.name, name).isTrue();
        }
        assertThat(env).contains(KafkaSettings.BOOTSTRAP_SERVERS, KafkaSettings.SCHEMA_REGISTRY_URL, service.portSetting,
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "KAFKA_CLIENT_SASL_MECHANISM", "KAFKA_CLIENT_SASL_JAAS_CONFIG");
        assertThat(secretOf(service, "KAFKA_CLIENT_SASL_JAAS_CONFIG"))
                .as("%s authenticates as its own KafkaUser", service.name).isEqualTo(service.name);
        assertThat(all("KafkaUser")).containsKey(service.name);
    }

    @Test
    void reporterIngestGetsEverySecretItRequiresAndNoDevelopmentValues() {
        Set<String> env = environment(DeployedService.REPORTER_INGEST);
        assertThat(env).doesNotContain(IngestSettings.DEV_MODE);
        for (String secret : IngestSettings.DEVELOPMENT.keySet()) {
            assertThat(env).contains(secret);
            assertThat(secretOf(DeployedService.REPORTER_INGEST, secret)).as(secret).isEqualTo("reporter-ingest-secrets");
        }
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void portsProbesAndScrapeAnnotationsMatchThePortTheServiceListensOn(DeployedService service) {
        int port = Integer.parseInt(configValue(service, service.portSetting));
        JsonNode container = container(service);
        assertThat(container.path("ports")).hasSize(1);
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        String portName = container.path("ports").get(0).path("name").asText();
        for (String probe : List.of("readinessProbe", "livenessProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as(probe).isEqualTo("/health");
            assertThat(get.path("port").asText()).as(probe).isEqualTo(portName);
        }
        JsonNode scrape = workload(service).path("spec").path("template").path("metadata").path("annotations");
        assertThat(scrape.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(scrape.path("prometheus.io/port").asText()).isEqualTo(Integer.toString(port));
        assertThat(scrape.path("prometheus.io/path").asText()).isEqualTo("/metrics");
        JsonNode servicePort = one("Service", service.name).path("spec").path("ports").get(0);
        assertThat(servicePort.path("port").asInt()).isEqualTo(port);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo(portName);
        assertThat(container.path("resources").path("requests").path("memory").isMissingNode()).isFalse();
        assertThat(container.path("resources").path("limits").path("memory").isMissingNode()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void everyServiceHasAPodDisruptionBudgetAndAServiceOverItsPods(DeployedService service) {
        JsonNode selector = workload(service).path("spec").path("selector").path("matchLabels");
        assertThat(one("PodDisruptionBudget", service.name).path("spec").path("selector").path("matchLabels"))
                .isEqualTo(selector);
        assertThat(one("Service", service.name).path("spec").path("selector")).isEqualTo(selector);
        assertThat(workload(service).path("spec").path("template").path("metadata").path("labels")).isEqualTo(selector);
    }

    @Test
    void nothingIsReachableFromOutsideTheCluster() {
        // /health, /metrics and the processor's lookup API answer without credentials (README, Reliability and
        // security): only what an operator adds on purpose, with only the public paths, may face the outside.
        assertThat(all("Service")).isNotEmpty();
        all("Service").forEach((name, service) -> assertThat(service.path("spec").path("type").asText("ClusterIP"))
                .as("Service %s", name).isEqualTo("ClusterIP"));
        assertThat(all("Ingress")).isEmpty();
    }

    @Test
    void processorReplicasDoNotExceedTheReportPartitions() {
        int partitions = Topics.specs().stream().filter(s -> s.name().equals(Topics.REPORTS)).findFirst()
                .orElseThrow().partitions();
        assertThat(workload(DeployedService.STREAM_PROCESSOR).path("spec").path("replicas").asInt())
                .isBetween(2, partitions);
    }

    private static void assertReadsOnly(String user, String topic) {
        JsonNode acls = one("KafkaUser", user).path("spec").path("authorization").path("acls");
        assertThat(acls).as(user).isNotEmpty();
        for (JsonNode acl : acls) {
            JsonNode resource = acl.path("resource");
            Set<String> operations = new HashSet<>();
            acl.path("operations").forEach(o -> operations.add(o.asText()));
            if (resource.path("type").asText().equals("topic")) {
                assertThat(resource.path("name").asText()).as(user).isEqualTo(topic);
                assertThat(resource.path("patternType").asText()).as(user).isEqualTo("literal");
                assertThat(operations).as(user).containsExactlyInAnyOrderElementsOf(READ_ONLY);
            } else {
                // Only its own consumer groups besides the topic: no transactional ids, no cluster rights.
                assertThat(resource.path("type").asText()).as(user).isEqualTo("group");
                assertThat(resource.path("name").asText()).as(user).isEqualTo(user);
                assertThat(operations).as(user).containsExactly("Read");
            }
        }
    }

    /** Every grant as type:name:patternType:operation. */
    private static List<String> grants(String user) {
        return Stream.of(one("KafkaUser", user).path("spec").path("authorization").path("acls"))
                .flatMap(acls -> java.util.stream.StreamSupport.stream(acls.spliterator(), false))
                .flatMap(acl -> java.util.stream.StreamSupport.stream(acl.path("operations").spliterator(), false)
                        .map(op -> acl.path("resource").path("type").asText() + ":" + acl.path("resource").path("name").asText()
                                + ":" + acl.path("resource").path("patternType").asText() + ":" + op.asText()))
                .toList();
    }

    /** The container's explicit variables plus the keys of the ConfigMaps it takes whole. */
    private static Set<String> environment(DeployedService service) {
        JsonNode container = container(service);
        Set<String> names = new TreeSet<>();
        container.path("env").forEach(e -> assertThat(names.add(e.path("name").asText())).as("%s set twice", e).isTrue());
        container.path("envFrom").forEach(from -> {
            String configMap = from.path("configMapRef").path("name").asText();
            one("ConfigMap", configMap).path("data").fieldNames().forEachRemaining(name ->
                    assertThat(names.add(name)).as("%s: %s set twice", service.name, name).isTrue());
        });
        return names;
    }

    private static String secretOf(DeployedService service, String variable) {
        for (JsonNode e : container(service).path("env")) {
            if (e.path("name").asText().equals(variable)) {
                return e.path("valueFrom").path("secretKeyRef").path("name").asText();
            }
        }
        throw new AssertionError(service.name + " does not set " + variable);
    }

    private static String configValue(DeployedService service, String name) {
        JsonNode value = one("ConfigMap", service.name).path("data").path(name);
        assertThat(value.isTextual()).as("%s in ConfigMap %s", name, service.name).isTrue();
        return value.asText();
    }

    private static JsonNode workload(DeployedService service) {
        JsonNode workload = all("Deployment").getOrDefault(service.name, all("StatefulSet").get(service.name));
        assertThat(workload).as("Deployment or StatefulSet %s", service.name).isNotNull();
        return workload;
    }

    private static JsonNode container(DeployedService service) {
        JsonNode containers = workload(service).path("spec").path("template").path("spec").path("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static Map<String, JsonNode> all(String kind) {
        return byKind.getOrDefault(kind, Map.of());
    }

    private static JsonNode one(String kind, String name) {
        JsonNode doc = all(kind).get(name);
        assertThat(doc).as("%s %s", kind, name).isNotNull();
        return doc;
    }

    private static Map<String, String> textMap(JsonNode node) {
        Map<String, String> map = new TreeMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
