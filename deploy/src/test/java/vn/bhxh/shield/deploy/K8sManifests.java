package vn.bhxh.shield.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/** The manifests in {@code deploy/k8s}, parsed: every document by kind and name. */
final class K8sManifests {

    static final Path DIR = Path.of("k8s");

    final Set<String> files;
    final Map<String, Map<String, JsonNode>> byKind;

    private K8sManifests(Set<String> files, Map<String, Map<String, JsonNode>> byKind) {
        this.files = files;
        this.byKind = byKind;
    }

    static K8sManifests load() throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, Map<String, JsonNode>> byKind = new HashMap<>();
        Set<String> files;
        try (Stream<Path> paths = Files.list(DIR)) {
            files = paths.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        for (String file : files) {
            for (JsonNode doc : yaml.readerFor(JsonNode.class).<JsonNode>readValues(DIR.resolve(file).toFile()).readAll()) {
                String name = doc.path("metadata").path("name").asText(file);
                if (byKind.computeIfAbsent(doc.path("kind").asText(), k -> new HashMap<>()).put(name, doc) != null) {
                    throw new IllegalStateException(doc.path("kind").asText() + " " + name + " defined twice");
                }
            }
        }
        return new K8sManifests(files, byKind);
    }

    Map<String, JsonNode> all(String kind) {
        return byKind.getOrDefault(kind, Map.of());
    }

    /**
     * A KafkaUser's ACLs as the Kafka bindings Strimzi's simple authorization creates: principal
     * {@code User:<name>}, any host, allow unless {@code type: deny}.
     */
    List<AclBinding> aclBindings(String user) {
        List<AclBinding> bindings = new ArrayList<>();
        for (JsonNode acl : all("KafkaUser").get(user).path("spec").path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            ResourcePattern pattern = new ResourcePattern(
                    ResourceType.fromString(enumName(resource.path("type").asText())),
                    resource.path("type").asText().equals("cluster") ? "kafka-cluster" : resource.path("name").asText(),
                    resource.path("patternType").asText("literal").equals("prefix") ? PatternType.PREFIXED
                            : PatternType.LITERAL);
            AclPermissionType permission = acl.path("type").asText("allow").equals("deny")
                    ? AclPermissionType.DENY : AclPermissionType.ALLOW;
            for (JsonNode operation : acl.path("operations")) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry("User:" + user,
                        acl.path("host").asText("*"), AclOperation.fromString(enumName(operation.asText())),
                        permission)));
            }
        }
        return bindings;
    }

    /** Strimzi's camel case ({@code transactionalId}, {@code DescribeConfigs}) as Kafka's enum names. */
    private static String enumName(String strimzi) {
        return strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
