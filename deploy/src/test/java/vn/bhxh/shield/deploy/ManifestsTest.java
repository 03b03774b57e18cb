package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.bhxh.shield.deploy.NetworkPolicyModel.Endpoint;
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

    /** Holds each registry user's password under the user's name (README, Production). */
    private static final String REGISTRY_USERS_SECRET = "schema-registry-users";
    private static final long MIB = 1024L * 1024L;
    // A heap below this starves the Kafka clients' buffers and the services' caches.
    private static final long MIN_HEAP = 512 * MIB;
    // Metaspace, thread stacks, direct buffers and the JIT's code cache of a service like ours.
    private static final long MIN_NON_HEAP = 256 * MIB;

    private static K8sManifests manifests;
    private static Map<String, Map<String, JsonNode>> byKind;
    private static Set<String> files;
    private static String namespace;

    @BeforeAll
    static void parseEveryManifest() throws IOException {
        manifests = K8sManifests.load();
        byKind = manifests.byKind;
        files = manifests.files;
        namespace = one("Kustomization", "kustomization.yaml").path("namespace").asText();
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
    void eachTelecomPartnerReadsOnlyTheBlocklistAndTheDoNotOriginateList() {
        assertThat(all("KafkaUser").keySet().stream().filter(u -> u.startsWith("partner-")))
                .hasSameSizeAs(ManifestGenerator.PARTNERS);
        for (String partner : ManifestGenerator.PARTNERS) {
            assertReadsOnly(ManifestGenerator.partnerUserName(partner), Topics.BLOCKLIST, Topics.DO_NOT_ORIGINATE);
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
                "topic:" + Topics.INDICATOR_EVENTS + ":literal:Write",
                "topic:" + Topics.INDICATOR_EVENTS + ":literal:Describe",
                "topic:" + Topics.INGEST_IDEMPOTENCY + ":literal:Read",
                "topic:" + Topics.INGEST_IDEMPOTENCY + ":literal:Write",
                "topic:" + Topics.INGEST_IDEMPOTENCY + ":literal:Describe",
                "transactionalId:" + IngestService.NAME + "-:prefix:Write",
                "transactionalId:" + IngestService.NAME + "-:prefix:Describe");
        assertThat(grants("stream-processor")).containsExactlyInAnyOrder(
                "topic:" + Topics.INDICATOR_EVENTS + ":literal:Read",
                "topic:" + Topics.INDICATOR_EVENTS + ":literal:Describe",
                "topic:" + Topics.DECISIONS + ":literal:Read", "topic:" + Topics.DECISIONS + ":literal:Describe",
                "topic:" + Topics.ALLOWLIST + ":literal:Read", "topic:" + Topics.ALLOWLIST + ":literal:Write",
                "topic:" + Topics.ALLOWLIST + ":literal:Describe",
                "topic:" + Topics.DO_NOT_ORIGINATE + ":literal:Read",
                "topic:" + Topics.DO_NOT_ORIGINATE + ":literal:Write",
                "topic:" + Topics.DO_NOT_ORIGINATE + ":literal:Describe",
                "topic:" + alerts + ":prefix:Write", "topic:" + alerts + ":prefix:Describe",
                "topic:" + Topics.BLOCKLIST + ":literal:Write", "topic:" + Topics.BLOCKLIST + ":literal:Describe",
                "topic:" + Topics.DEAD_LETTER + ":literal:Write", "topic:" + Topics.DEAD_LETTER + ":literal:Describe",
                "topic:" + Topics.TRENDS + ":literal:Write", "topic:" + Topics.TRENDS + ":literal:Describe",
                "topic:" + applicationId + ":prefix:All",
                "group:" + applicationId + ":prefix:Read", "group:" + applicationId + ":prefix:Describe",
                "transactionalId:" + applicationId + ":prefix:Write",
                "transactionalId:" + applicationId + ":prefix:Describe");
        assertThat(grants("alert-sink")).containsExactlyInAnyOrder(
                "topic:" + alerts + ":prefix:Read", "topic:" + alerts + ":prefix:Describe",
                "topic:" + Topics.BLOCKLIST + ":literal:Read", "topic:" + Topics.BLOCKLIST + ":literal:Describe",
                "topic:" + Topics.ALLOWLIST + ":literal:Read", "topic:" + Topics.ALLOWLIST + ":literal:Describe",
                "topic:" + Topics.DO_NOT_ORIGINATE + ":literal:Read",
                "topic:" + Topics.DO_NOT_ORIGINATE + ":literal:Describe",
                "topic:" + Topics.DECISIONS + ":literal:Read", "topic:" + Topics.DECISIONS + ":literal:Write",
                "topic:" + Topics.DECISIONS + ":literal:Describe",
                "topic:" + Topics.DEAD_LETTER + ":literal:Write", "topic:" + Topics.DEAD_LETTER + ":literal:Describe",
                "topic:" + Topics.WEBHOOK_REDELIVERY + ":literal:Read",
                "topic:" + Topics.WEBHOOK_REDELIVERY + ":literal:Describe",
                "topic:" + Topics.APPEALS + ":literal:Read", "topic:" + Topics.APPEALS + ":literal:Write",
                "topic:" + Topics.APPEALS + ":literal:Describe",
                "topic:" + Topics.TRENDS + ":literal:Read", "topic:" + Topics.TRENDS + ":literal:Describe",
                "group:" + sinkGroup + ":prefix:Read", "group:" + sinkGroup + ":prefix:Describe",
                "transactionalId:" + sinkGroup + ":prefix:Write", "transactionalId:" + sinkGroup + ":prefix:Describe");
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
        Set<String> expanded = expandedIntoOthers(service);
        for (String name : env) {
            assertThat(service.reads(name) || expanded.contains(name))
                    .as("%s: its code never reads %s (or it is no Kafka client setting) and no variable it reads "
                            + "is made from it", service.name, name).isTrue();
        }
        assertThat(env).contains(KafkaSettings.BOOTSTRAP_SERVERS, KafkaSettings.SCHEMA_REGISTRY_URL, service.portSetting,
                "KAFKA_CLIENT_SECURITY_PROTOCOL", "KAFKA_CLIENT_SASL_MECHANISM", "KAFKA_CLIENT_SASL_JAAS_CONFIG",
                KafkaSettings.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO);
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
    void portsAndScrapeAnnotationsMatchThePortTheServiceListensOn(DeployedService service) {
        int port = Integer.parseInt(configValue(service, service.portSetting));
        JsonNode container = container(service);
        assertThat(container.path("ports")).hasSize(1);
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(port);
        String portName = container.path("ports").get(0).path("name").asText();
        JsonNode scrape = workload(service).path("spec").path("template").path("metadata").path("annotations");
        assertThat(scrape.path("prometheus.io/scrape").asText()).isEqualTo("true");
        assertThat(scrape.path("prometheus.io/port").asText()).isEqualTo(Integer.toString(port));
        assertThat(scrape.path("prometheus.io/path").asText()).isEqualTo("/metrics");
        JsonNode servicePort = one("Service", service.name).path("spec").path("ports").get(0);
        assertThat(servicePort.path("port").asInt()).isEqualTo(port);
        assertThat(servicePort.path("targetPort").asText()).isEqualTo(portName);
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

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void livenessAndReadinessAreApartAndAStartupProbeCoversTheStart(DeployedService service) {
        JsonNode container = container(service);
        String portName = container.path("ports").get(0).path("name").asText();
        Map<String, String> paths = Map.of("livenessProbe", "/health/live", "readinessProbe", "/health/ready",
                "startupProbe", "/health/live");
        paths.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertThat(get.path("path").asText()).as("%s %s", service.name, probe).isEqualTo(path);
            assertThat(get.path("port").asText()).as("%s %s", service.name, probe).isEqualTo(portName);
        });
        // A long GC pause or one slow answer is no reason to restart; a hung process is, within a minute or so.
        assertThat(probeBudgetSeconds(container.path("livenessProbe"))).as(service.name).isBetween(30, 120);
        // The processor writes the official channels to the allowlist, waiting for Kafka and the registry, before it
        // answers at all; the others only start a JVM and their HTTP server.
        int startup = service == DeployedService.STREAM_PROCESSOR ? 300 : 60;
        assertThat(probeBudgetSeconds(container.path("startupProbe"))).as(service.name).isGreaterThanOrEqualTo(startup);
    }

    @Test
    void theProcessorKeepsItsStateOnItsOwnVolumeAndIsReachedUnderItsPodName() {
        JsonNode processor = one("StatefulSet", DeployedService.STREAM_PROCESSOR.name);
        JsonNode pod = processor.path("spec").path("template").path("spec");
        String stateDir = configValue(DeployedService.STREAM_PROCESSOR, "PROCESSOR_STATE_DIR");
        String volume = null;
        for (JsonNode mount : container(DeployedService.STREAM_PROCESSOR).path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(stateDir)) {
                volume = mount.path("name").asText();
            }
        }
        assertThat(volume).as("a volume at PROCESSOR_STATE_DIR %s", stateDir).isNotNull();
        JsonNode claim = null;
        for (JsonNode template : processor.path("spec").path("volumeClaimTemplates")) {
            if (template.path("metadata").path("name").asText().equals(volume)) {
                claim = template.path("spec");
            }
        }
        assertThat(claim).as("a volumeClaimTemplate %s", volume).isNotNull();
        assertThat(claim.path("accessModes")).extracting(JsonNode::asText).containsExactly("ReadWriteOnce");
        assertThat(claim.path("resources").path("requests").path("storage").isTextual()).isTrue();
        for (JsonNode podVolume : pod.path("volumes")) {
            assertThat(podVolume.path("name").asText()).as("a pod volume would hide the claim").isNotEqualTo(volume);
        }
        // The volume is made writable for the image's user.
        assertThat(pod.path("securityContext").path("fsGroup").asInt())
                .isEqualTo(pod.path("securityContext").path("runAsGroup").asInt());

        String serviceName = processor.path("spec").path("serviceName").asText();
        JsonNode headless = one("Service", serviceName).path("spec");
        assertThat(headless.path("clusterIP").asText()).isEqualTo("None");
        // A restoring instance is not ready, and must still be reachable by name for forwarded lookups.
        assertThat(headless.path("publishNotReadyAddresses").asBoolean()).isTrue();
        assertThat(headless.path("selector")).isEqualTo(processor.path("spec").path("selector").path("matchLabels"));
        assertThat(headless.path("ports").get(0).path("port").asInt())
                .isEqualTo(Integer.parseInt(configValue(DeployedService.STREAM_PROCESSOR, "PROCESSOR_HTTP_PORT")));
        // With static membership a restarted instance rejoins without a rebalance, so the others never learn a new
        // address: it must be the pod's stable DNS name, not its IP.
        String podName = podNameVariable(DeployedService.STREAM_PROCESSOR);
        assertThat(env(DeployedService.STREAM_PROCESSOR).get("PROCESSOR_ADVERTISED_HOST").path("value").asText())
                .isEqualTo("$(" + podName + ")." + serviceName);
    }

    @ParameterizedTest
    @EnumSource(value = DeployedService.class, names = {"STREAM_PROCESSOR", "ALERT_SINK"})
    void aStaticGroupMemberIsAStatefulSetPodWhoseNameIsItsInstanceId(DeployedService service) {
        // A replaced pod gets its predecessor's name, and so its static membership and partitions, at once.
        assertThat(all("StatefulSet")).as(service.name).containsKey(service.name);
        String instanceId = service == DeployedService.STREAM_PROCESSOR ? "PROCESSOR_INSTANCE_ID" : "SINK_INSTANCE_ID";
        Map<String, JsonNode> env = env(service);
        if (service.reads(instanceId)) {
            JsonNode setting = env.get(instanceId);
            assertThat(setting).as("%s sets %s", service.name, instanceId).isNotNull();
            assertThat(setting.path("valueFrom").path("fieldRef").path("fieldPath").asText().equals("metadata.name")
                    || setting.path("value").asText().equals("$(" + podNameVariable(service) + ")"))
                    .as("%s is the pod's name", instanceId).isTrue();
        } else {
            assertThat(env).doesNotContainKey(instanceId); // its code does not read it yet: dynamic membership
        }
    }

    @Test
    void everyPodRunsUnprivilegedOnAReadOnlyRootWithItsMemoryReserved() {
        Map<String, JsonNode> workloads = new TreeMap<>(all("Deployment"));
        workloads.putAll(all("StatefulSet"));
        assertThat(workloads).containsKeys(Stream.of(DeployedService.values()).map(s -> s.name).toArray(String[]::new))
                .containsKey("schema-registry");
        workloads.forEach((name, workload) -> {
            JsonNode pod = workload.path("spec").path("template").path("spec");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(name).isFalse();
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                assertThat(pod.path(host).asBoolean()).as("%s %s", name, host).isFalse();
            }
            JsonNode podSecurity = pod.path("securityContext");
            assertThat(podSecurity.path("runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(podSecurity.path("runAsUser").asInt()).as(name).isPositive();
            assertThat(podSecurity.path("seccompProfile").path("type").asText()).as(name).isEqualTo("RuntimeDefault");
            Map<String, JsonNode> emptyDirs = new TreeMap<>();
            for (JsonNode volume : pod.path("volumes")) {
                assertThat(volume.has("hostPath")).as("%s volume %s", name, volume).isFalse();
                if (volume.has("emptyDir")) {
                    emptyDirs.put(volume.path("name").asText(), volume.path("emptyDir"));
                }
            }
            assertThat(pod.path("initContainers")).as(name).isEmpty();
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
                assertThat(security.path("privileged").asBoolean()).as(name).isFalse();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
                assertThat(security.path("capabilities").path("drop")).extracting(JsonNode::asText).as(name)
                        .containsExactly("ALL");
                assertThat(security.path("capabilities").has("add")).as(name).isFalse();
                // A JVM needs a writable /tmp (its perf data, RocksDB's native library): a bounded scratch volume.
                String tmp = null;
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (mount.path("mountPath").asText().equals("/tmp")) {
                        tmp = mount.path("name").asText();
                    }
                }
                assertThat(emptyDirs).as("%s: /tmp from an emptyDir", name).containsKey(tmp);
                assertThat(emptyDirs.get(tmp).path("sizeLimit").isTextual()).as(name).isTrue();
                JsonNode resources = container.path("resources");
                assertThat(resources.path("requests").path("cpu").isTextual()).as(name).isTrue();
                // The JVM sizes its heap from the limit and will use it: the request is the limit.
                assertThat(bytes(resources.path("requests").path("memory").asText()))
                        .as("%s memory request", name).isEqualTo(bytes(resources.path("limits").path("memory").asText()));
            }
        });
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void eachServiceRunsAsItsImagesUserAndItsHeapLeavesRoomInTheMemoryLimit(DeployedService service) throws IOException {
        Dockerfile image = Dockerfile.in(service.module());
        String[] user = image.one("USER").split(":");
        JsonNode podSecurity = workload(service).path("spec").path("template").path("spec").path("securityContext");
        assertThat(podSecurity.path("runAsUser").asText()).isEqualTo(user[0]);
        assertThat(podSecurity.path("runAsGroup").asText()).isEqualTo(user[1]);

        int heapPercent = image.entrypoint().stream().filter(a -> a.startsWith("-XX:MaxRAMPercentage="))
                .map(a -> Integer.parseInt(a.substring(a.indexOf('=') + 1))).findFirst().orElseThrow();
        long offHeap = service == DeployedService.STREAM_PROCESSOR
                ? Long.parseLong(configValue(service, "PROCESSOR_ROCKSDB_MEMORY_MB")) * MIB : 0;
        assertHeapFits(service.name, bytes(container(service).path("resources").path("limits").path("memory").asText()),
                heapPercent, offHeap);
    }

    @Test
    void theRegistryAsksEveryCallerForCredentialsAndOnlyWritersMayRegister() {
        JsonNode registry = one("Deployment", "schema-registry").path("spec").path("template").path("spec")
                .path("containers").get(0);
        Map<String, JsonNode> env = new TreeMap<>();
        registry.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        assertThat(env.get("QUARKUS_HTTP_AUTH_BASIC").path("value").asText()).isEqualTo("true");
        assertThat(env.get("QUARKUS_OIDC_TENANT_ENABLED").path("value").asText()).isEqualTo("false");
        assertThat(env.get("APICURIO_AUTH_ROLE_BASED_AUTHORIZATION").path("value").asText()).isEqualTo("true");
        assertThat(env.get("APICURIO_RULES_GLOBAL_COMPATIBILITY").path("value").asText())
                .as("partners' and offices' consumers read every version of their subjects").isEqualTo("FULL_TRANSITIVE");
        for (String open : List.of("APICURIO_AUTH_ANONYMOUS_READ_ACCESS_ENABLED",
                "APICURIO_AUTH_AUTHENTICATED_READ_ACCESS_ENABLED", "APICURIO_AUTH_ADMIN_OVERRIDE_ENABLED")) {
            assertThat(env.getOrDefault(open, MissingNode.getInstance()).path("value").asText("false"))
                    .as(open).isEqualTo("false");
        }
        String users = "QUARKUS_SECURITY_USERS_EMBEDDED_USERS_";
        String roles = "QUARKUS_SECURITY_USERS_EMBEDDED_ROLES_";
        Map<String, String> granted = new TreeMap<>();
        env.forEach((name, e) -> {
            if (name.startsWith(users)) {
                String user = name.substring(users.length());
                assertThat(e.path("valueFrom").path("secretKeyRef")).as("%s's password", user)
                        .isEqualTo(secretKey(REGISTRY_USERS_SECRET, user));
                granted.put(user, env.get(roles + user).path("value").asText());
            }
        });

        Map<String, String> expected = new TreeMap<>(Map.of("ops", "sr-readonly", "admin", "sr-admin"));
        for (DeployedService service : DeployedService.values()) {
            Map<String, JsonNode> serviceEnv = env(service);
            String userInfo = serviceEnv.get(KafkaSettings.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO).path("value").asText();
            Matcher m = Pattern.compile("([a-z]+):\\$\\(([A-Z_]+)\\)").matcher(userInfo);
            assertThat(m.matches()).as("%s: user:$(PASSWORD VARIABLE), not %s", service.name, userInfo).isTrue();
            assertThat(serviceEnv.get(m.group(2)).path("valueFrom").path("secretKeyRef"))
                    .as("%s's registry password", service.name).isEqualTo(secretKey(REGISTRY_USERS_SECRET, m.group(1)));
            assertThat(expected.put(m.group(1), writesRegisteredSchemas(service) ? "sr-developer" : "sr-readonly"))
                    .as("%s shares its registry user", service.name).isNull();
        }
        assertThat(granted).isEqualTo(expected);

        assertHeapFits("schema-registry", bytes(registry.path("resources").path("limits").path("memory").asText()),
                Integer.parseInt(env.get("JAVA_MAX_MEM_RATIO").path("value").asText()), 0);
    }

    @Test
    void networkPoliciesLetThroughOnlyWhatTheCodeConnectsTo() {
        NetworkPolicyModel policies = new NetworkPolicyModel(manifests, namespace);
        Map<String, String> ours = Map.of("kubernetes.io/metadata.name", namespace);
        Map<String, Endpoint> pods = new TreeMap<>();
        Map<String, JsonNode> workloads = new TreeMap<>(Map.of("schema-registry", one("Deployment", "schema-registry")));
        for (DeployedService service : DeployedService.values()) {
            workloads.put(service.name, workload(service));
        }
        workloads.forEach((name, workload) -> pods.put(name, Endpoint.pod(name, namespace, ours,
                textMap(workload.path("spec").path("template").path("metadata").path("labels")),
                "10.1.0." + (pods.size() + 1))));
        Endpoint broker = Endpoint.pod("broker", namespace, ours, Map.of(
                "strimzi.io/cluster", ManifestGenerator.CLUSTER, "strimzi.io/kind", "Kafka",
                "strimzi.io/name", ManifestGenerator.CLUSTER + "-kafka", "strimzi.io/broker-role", "true",
                "strimzi.io/pool-name", "brokers"), "10.1.1.1");
        Endpoint stranger = Endpoint.pod("stranger", namespace, ours, Map.of("app", "debug"), "10.1.2.1");
        Endpoint ingressController = Endpoint.pod("ingress-controller", "ingress-nginx",
                Map.of("kubernetes.io/metadata.name", "ingress-nginx", "bhxh-shield/network-role", "ingress"),
                Map.of("app.kubernetes.io/name", "ingress-nginx"), "10.2.0.1");
        Map<String, String> monitoring = Map.of("kubernetes.io/metadata.name", "monitoring",
                "bhxh-shield/network-role", "monitoring");
        Endpoint prometheus = Endpoint.pod("prometheus", "monitoring", monitoring,
                Map.of("app.kubernetes.io/name", "prometheus"), "10.3.0.1");
        Endpoint grafana = Endpoint.pod("grafana", "monitoring", monitoring,
                Map.of("app.kubernetes.io/name", "grafana"), "10.3.0.2");
        // Labelled like ours, in another namespace.
        Endpoint elsewhere = Endpoint.pod("elsewhere", "default",
                Map.of("kubernetes.io/metadata.name", "default"), Map.of("app", "reporter-ingest"), "10.4.0.1");
        Endpoint dns = Endpoint.pod("dns", "kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
                Map.of("k8s-app", "kube-dns"), "10.0.0.10");
        Endpoint internet = Endpoint.outside("internet", "203.0.113.10");
        Endpoint metadataService = Endpoint.outside("metadata-service", "169.254.169.254");
        // Addresses a webhook URL could name to get into the cluster, a node, a VPN or a cloud metadata service.
        List<Endpoint> privateAddresses = List.of(Endpoint.outside("private-10", "10.20.30.40"),
                Endpoint.outside("private-172", "172.20.0.5"), Endpoint.outside("private-192", "192.168.10.5"),
                Endpoint.outside("shared-100", "100.64.1.1"), Endpoint.outside("link-local", "169.254.169.254"),
                Endpoint.outside("loopback", "127.0.0.1"));

        // Ports as the code and its settings define them.
        Map<String, Integer> servicePorts = new TreeMap<>();
        for (DeployedService service : DeployedService.values()) {
            servicePorts.put(service.name, Integer.parseInt(configValue(service, service.portSetting)));
        }
        JsonNode clients = one("ConfigMap", "kafka-clients").path("data");
        int registryPort = URI.create(clients.path(KafkaSettings.SCHEMA_REGISTRY_URL).asText()).getPort();
        servicePorts.put("schema-registry", registryPort);
        String bootstrap = clients.path(KafkaSettings.BOOTSTRAP_SERVERS).asText();
        int kafkaPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
        assertThat(one("Deployment", "schema-registry").path("spec").path("template").path("spec")
                .path("containers").get(0).path("ports").get(0).path("containerPort").asInt()).isEqualTo(registryPort);

        record Target(Endpoint endpoint, int port, String protocol) {
            @Override
            public String toString() {
                return endpoint.name() + ":" + port + (protocol.equals("TCP") ? "" : "/" + protocol);
            }
        }
        List<Target> targets = new ArrayList<>();
        pods.forEach((name, pod) -> targets.add(new Target(pod, servicePorts.get(name), "TCP")));
        targets.add(new Target(broker, kafkaPort, "TCP"));
        // Any other pod in the namespace, e.g. one added later without its own policy.
        targets.add(new Target(stranger, 8080, "TCP"));
        targets.add(new Target(dns, 53, "UDP"));
        targets.add(new Target(dns, 53, "TCP"));
        targets.add(new Target(internet, 443, "TCP"));
        targets.add(new Target(internet, 80, "TCP"));
        targets.add(new Target(metadataService, 80, "TCP"));
        privateAddresses.forEach(address -> targets.add(new Target(address, 443, "TCP")));
        List<Endpoint> sources = new ArrayList<>(pods.values());
        sources.addAll(List.of(broker, stranger, ingressController, prometheus, grafana, elsewhere));

        // Whom each of our pods and the brokers' in-cluster listener admit, whatever the source's own egress says.
        Map<String, Set<String>> reachedBy = new TreeMap<>();
        for (Target target : targets.subList(0, pods.size() + 2)) {
            Set<String> from = new TreeSet<>();
            sources.stream().filter(s -> policies.admitsIngress(s, target.endpoint(), target.port(), target.protocol()))
                    .forEach(s -> from.add(s.name()));
            reachedBy.put(target.toString(), from);
        }
        String ingest = DeployedService.REPORTER_INGEST.name;
        String processor = DeployedService.STREAM_PROCESSOR.name;
        String sink = DeployedService.ALERT_SINK.name;
        assertThat(reachedBy).isEqualTo(Map.of(
                ingest + ":" + servicePorts.get(ingest), Set.of("ingress-controller", "prometheus"),
                sink + ":" + servicePorts.get(sink), Set.of("ingress-controller", "prometheus"),
                // The lookup API (and /metrics on the same port); instances forward lookups to each other.
                processor + ":" + servicePorts.get(processor), Set.of(ingest, sink, processor, "prometheus"),
                "schema-registry:" + registryPort, Set.of(ingest, processor, sink),
                "broker:" + kafkaPort, Set.of(ingest, processor, sink, "schema-registry"),
                "stranger:8080", Set.of()));

        // Where each of our pods may connect, whatever the destination's own ingress says.
        Map<String, Set<String>> reaches = new TreeMap<>();
        pods.forEach((name, pod) -> {
            Set<String> to = new TreeSet<>();
            targets.stream().filter(t -> policies.admitsEgress(pod, t.endpoint(), t.port(), t.protocol()))
                    .forEach(t -> to.add(t.toString()));
            reaches.put(name, to);
        });
        Set<String> base = Set.of("dns:53/UDP", "dns:53", "broker:" + kafkaPort, "schema-registry:" + registryPort);
        String lookups = processor + ":" + servicePorts.get(processor);
        assertThat(reaches).isEqualTo(Map.of(
                ingest, union(base, lookups),
                processor, union(base, lookups),
                // Signed webhooks: HTTPS to the internet, never to a private or link-local address.
                sink, union(base, lookups, "internet:443"),
                "schema-registry", Set.of("dns:53/UDP", "dns:53", "broker:" + kafkaPort)));
    }

    private static void assertReadsOnly(String user, String... topics) {
        JsonNode acls = one("KafkaUser", user).path("spec").path("authorization").path("acls");
        assertThat(acls).as(user).isNotEmpty();
        Set<String> read = new TreeSet<>();
        for (JsonNode acl : acls) {
            JsonNode resource = acl.path("resource");
            Set<String> operations = new HashSet<>();
            acl.path("operations").forEach(o -> operations.add(o.asText()));
            if (resource.path("type").asText().equals("topic")) {
                read.add(resource.path("name").asText());
                assertThat(resource.path("patternType").asText()).as(user).isEqualTo("literal");
                assertThat(operations).as(user).containsExactlyInAnyOrderElementsOf(READ_ONLY);
            } else {
                // Only its own consumer groups besides the topic: no transactional ids, no cluster rights.
                assertThat(resource.path("type").asText()).as(user).isEqualTo("group");
                assertThat(resource.path("name").asText()).as(user).isEqualTo(user);
                assertThat(operations).as(user).containsExactly("Read");
            }
        }
        assertThat(read).as(user).containsExactlyInAnyOrder(topics);
    }

    /** Variables of the container referenced as $(NAME) by a later one, which Kubernetes expands. */
    private static Set<String> expandedIntoOthers(DeployedService service) {
        Set<String> defined = new TreeSet<>();
        Set<String> expanded = new TreeSet<>();
        Pattern reference = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
        for (JsonNode e : container(service).path("env")) {
            Matcher m = reference.matcher(e.path("value").asText());
            while (m.find()) {
                // Only a variable defined before is expanded; otherwise the text stays "$(NAME)".
                assertThat(defined).as("%s: %s refers to %s", service.name, e.path("name").asText(), m.group(1))
                        .contains(m.group(1));
                expanded.add(m.group(1));
            }
            defined.add(e.path("name").asText());
        }
        return expanded;
    }

    /** The container's explicit variables by name. */
    private static Map<String, JsonNode> env(DeployedService service) {
        Map<String, JsonNode> env = new TreeMap<>();
        container(service).path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    /** The variable that holds the pod's name, from the downward API. */
    private static String podNameVariable(DeployedService service) {
        return env(service).values().stream()
                .filter(e -> e.path("valueFrom").path("fieldRef").path("fieldPath").asText().equals("metadata.name"))
                .map(e -> e.path("name").asText()).findFirst()
                .orElseThrow(() -> new AssertionError(service.name + " has no variable with its pod's name"));
    }

    private static JsonNode secretKey(String secret, String key) {
        return new ObjectMapper().createObjectNode().put("name", secret).put("key", key);
    }

    /** How long a probe fails before Kubernetes acts, in seconds (its defaults: every 10 s, 3 times). */
    private static int probeBudgetSeconds(JsonNode probe) {
        return probe.path("periodSeconds").asInt(10) * probe.path("failureThreshold").asInt(3);
    }

    private static void assertHeapFits(String workload, long memoryLimit, int heapPercent, long otherOffHeap) {
        long heap = memoryLimit * heapPercent / 100;
        assertThat(heap).as("%s heap of %d %% of the limit", workload, heapPercent).isGreaterThanOrEqualTo(MIN_HEAP);
        assertThat(memoryLimit - heap - otherOffHeap).as("%s memory beside the heap", workload)
                .isGreaterThanOrEqualTo(MIN_NON_HEAP);
    }

    /** A Kubernetes memory quantity in bytes; the manifests use Mi and Gi. */
    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
        assertThat(m.matches()).as("memory quantity %s in Mi or Gi", quantity).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 * MIB : MIB);
    }

    /**
     * Whether the service writes a topic whose values are Avro and so registers their schema on first write: every
     * topic but ingest's idempotency records (plain JSON, {@code Topics}).
     */
    private static boolean writesRegisteredSchemas(DeployedService service) {
        return grants(service.name).stream().anyMatch(g -> g.startsWith("topic:")
                && (g.endsWith(":Write") || g.endsWith(":All")) && !g.startsWith("topic:" + Topics.INGEST_IDEMPOTENCY + ":"));
    }

    @SafeVarargs
    private static <T> Set<T> union(Set<T> base, T... more) {
        Set<T> union = new TreeSet<>(base);
        union.addAll(List.of(more));
        return union;
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
            if (from.has("secretRef")) {
                // A Secret taken whole holds a per-province family (SINK_WEBHOOK_SECRET_<SLUG>) whose keys are
                // deployment data: its name is checked, its keys by the service at start-up.
                assertThat(from.path("secretRef").path("name").asText()).as("%s: whole Secret", service.name)
                        .isEqualTo("alert-sink-webhook-secrets");
                return;
            }
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
