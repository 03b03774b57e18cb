package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.topic.TopicProvisioner;

/**
 * Keeps deploy/docker-compose.yml honest like {@link ManifestsTest} keeps the manifests: every variable a service
 * container sets is one its code reads, ports and health checks match the images, the services reach the broker and
 * registry the file defines, topics come from {@link TopicProvisioner} (so exactly from {@code Topics.specs()}),
 * and Prometheus scrapes each service where it listens.
 */
class ComposeTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static JsonNode services;

    @BeforeAll
    static void parse() throws IOException {
        services = YAML.readTree(new File("docker-compose.yml")).path("services");
        assertThat(services.isObject()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void eachServiceIsBuiltFromItsDockerfileAndSetsOnlyWhatItReads(DeployedService service) throws IOException {
        JsonNode compose = service(service.name);
        assertThat(compose.path("build").asText()).isEqualTo("../" + service.name);
        assertThat(compose.path("image").asText()).isEqualTo(service.image());
        Map<String, String> env = environment(compose);
        env.keySet().forEach(name ->
                assertThat(service.reads(name)).as("%s: its code never reads %s", service.name, name).isTrue());

        int port = Dockerfile.in(service.module()).exposedPorts().get(0);
        assertThat(env).containsEntry(service.portSetting, Integer.toString(port));
        assertThat(compose.path("ports")).extracting(JsonNode::asText).containsExactly(port + ":" + port);
        // No healthcheck here: the image's HEALTHCHECK (GET /health on the port setting) applies.
        assertThat(compose.has("healthcheck")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void eachServiceReachesTheBrokerAndRegistryOfThisFileOnceTopicsExist(DeployedService service) {
        JsonNode compose = service(service.name);
        Map<String, String> env = environment(compose);
        assertThat(env.get(KafkaSettings.BOOTSTRAP_SERVERS)).isEqualTo(internalListener());
        assertThat(env.get(KafkaSettings.SCHEMA_REGISTRY_URL))
                .isEqualTo("http://schema-registry:" + registryPort() + "/apis/ccompat/v7");
        assertThat(compose.path("depends_on").path("topics").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(compose.path("depends_on").path("schema-registry").path("condition").asText())
                .isEqualTo("service_healthy");
        if (env.containsKey("PROCESSOR_URL")) {
            int processorPort = Dockerfile.inUnchecked(DeployedService.STREAM_PROCESSOR.module()).exposedPorts().get(0);
            assertThat(env.get("PROCESSOR_URL")).isEqualTo("http://stream-processor:" + processorPort);
        }
    }

    @Test
    void topicsAreCreatedByTheTopicProvisionerFromAServiceImage() {
        JsonNode topics = service("topics");
        assertThat(topics.path("image").asText()).isEqualTo(DeployedService.REPORTER_INGEST.image());
        List<String> entrypoint = new ArrayList<>();
        topics.path("entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        List<String> imageEntrypoint = Dockerfile.inUnchecked(DeployedService.REPORTER_INGEST.module()).entrypoint();
        // The image's java and classpath, TopicProvisioner's main instead of the service's.
        assertThat(entrypoint).containsExactly("java", "-cp",
                imageEntrypoint.get(imageEntrypoint.indexOf("-cp") + 1), TopicProvisioner.class.getName());
        assertThat(environment(topics)).containsOnlyKeys(KafkaSettings.BOOTSTRAP_SERVERS)
                .containsEntry(KafkaSettings.BOOTSTRAP_SERVERS, internalListener());
        assertThat(environment(service("kafka"))).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    }

    @Test
    void theBrokerIsTheKafkaVersionTheServicesAreBuiltWith() {
        assertThat(service("kafka").path("image").asText()).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(environment(service("kafka")).get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    }

    @Test
    void theRegistryIsTheOneProductionRunsWithTheSameStorage() throws IOException {
        JsonNode production = null;
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(new File("k8s/schema-registry.yaml"))
                .readAll()) {
            if (doc.path("kind").asText().equals("Deployment")) {
                production = doc.path("spec").path("template").path("spec").path("containers").get(0);
            }
        }
        assertThat(production).isNotNull();
        JsonNode laptop = service("schema-registry");
        assertThat(laptop.path("image").asText()).isEqualTo(production.path("image").asText());
        assertThat(environment(laptop)).containsEntry("APICURIO_STORAGE_KIND", "kafkasql")
                .containsEntry("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS", internalListener());
    }

    @Test
    void prometheusScrapesEachServiceWhereItListensAndGrafanaGetsItsProvisioning() throws IOException {
        JsonNode prometheus = service("prometheus");
        assertThat(prometheus.path("volumes")).extracting(JsonNode::asText)
                .contains("./observability/prometheus:/etc/prometheus:ro");
        JsonNode config = YAML.readTree(new File("observability/prometheus/prometheus.yml"));
        Map<String, String> targets = new TreeMap<>();
        config.path("scrape_configs").forEach(job -> {
            assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
            targets.put(job.path("job_name").asText(),
                    job.path("static_configs").get(0).path("targets").get(0).asText());
        });
        Map<String, String> expected = new TreeMap<>();
        for (DeployedService service : DeployedService.values()) {
            expected.put(service.name, service.name + ":"
                    + Dockerfile.inUnchecked(service.module()).exposedPorts().get(0));
        }
        assertThat(targets).isEqualTo(expected);
        assertThat(config.path("rule_files")).extracting(JsonNode::asText).containsExactly("/etc/prometheus/alerts.yml");

        JsonNode grafana = service("grafana");
        assertThat(grafana.path("volumes")).extracting(JsonNode::asText).containsExactlyInAnyOrder(
                "./observability/grafana/provisioning:/etc/grafana/provisioning:ro",
                "./observability/grafana/dashboards:/var/lib/grafana/dashboards:ro");
        JsonNode provider = YAML.readTree(new File("observability/grafana/provisioning/dashboards/bhxh-shield.yml"))
                .path("providers").get(0);
        assertThat(provider.path("options").path("path").asText()).isEqualTo("/var/lib/grafana/dashboards");
        JsonNode datasource = YAML.readTree(new File("observability/grafana/provisioning/datasources/prometheus.yml"))
                .path("datasources").get(0);
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:"
                + service("prometheus").path("ports").get(0).asText().split(":")[1]);
    }

    private static String internalListener() {
        Map<String, String> kafka = environment(service("kafka"));
        String internal = kafka.get("KAFKA_INTER_BROKER_LISTENER_NAME");
        for (String listener : kafka.get("KAFKA_ADVERTISED_LISTENERS").split(",")) {
            if (listener.startsWith(internal + "://")) {
                return listener.substring(internal.length() + 3);
            }
        }
        throw new AssertionError("kafka advertises no " + internal + " listener");
    }

    private static String registryPort() {
        return service("schema-registry").path("ports").get(0).asText().split(":")[1];
    }

    private static JsonNode service(String name) {
        JsonNode service = services.path(name);
        assertThat(service.isObject()).as("compose service %s", name).isTrue();
        return service;
    }

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new TreeMap<>();
        service.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }
}
