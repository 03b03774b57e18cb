package vn.bhxh.shield.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.topic.TopicSpec;
import vn.bhxh.shield.topic.Topics;

/**
 * Renders the repetitive production manifests from the code that defines them: a {@code KafkaTopic} per entry of
 * {@link Topics#specs()} and a read-only {@code KafkaUser} per province and per telecom partner. The output is
 * checked in under {@code deploy/k8s}; {@link ManifestsTest} fails when it is stale, and rewrites it when run with
 * {@code -Dmanifests.regenerate=true}.
 */
final class ManifestGenerator {

    static final String CLUSTER = "bhxh";
    static final int REPLICAS = 3;
    // With 3 replicas, acks=all survives one broker down (a rolling update) without refusing writes.
    static final int MIN_INSYNC_REPLICAS = 2;
    /** Telecom partners that read bhxh.blocklist.v1 and bhxh.do-not-originate.v1 directly with a Kafka client. */
    static final List<String> PARTNERS = List.of("viettel", "vnpt", "mobifone", "vietnamobile", "gmobile");

    static final String TOPICS_FILE = "topics.yaml";
    static final String PROVINCE_USERS_FILE = "users-provinces.yaml";
    static final String PARTNER_USERS_FILE = "users-partners.yaml";

    // Keys sorted: Map.of iterates in a per-JVM random order, and the checked-in output must not depend on it.
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private ManifestGenerator() {
    }

    /** File name (in deploy/k8s) to content. */
    static Map<String, String> render() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(TOPICS_FILE, documents(Topics.specs(), ManifestGenerator::topic));
        files.put(PROVINCE_USERS_FILE, documents(Provinces.all(), ManifestGenerator::provinceUser));
        files.put(PARTNER_USERS_FILE, documents(PARTNERS, ManifestGenerator::partnerUser));
        return files;
    }

    static String provinceUserName(Province province) {
        return "province-" + province.slug();
    }

    static String partnerUserName(String partner) {
        return "partner-" + partner;
    }

    private static Map<String, Object> topic(TopicSpec spec) {
        Map<String, Object> config = new TreeMap<>(spec.configs());
        config.put("min.insync.replicas", Integer.toString(MIN_INSYNC_REPLICAS));
        return resource("KafkaTopic", spec.name(), Map.of(
                "partitions", spec.partitions(),
                "replicas", REPLICAS,
                "config", config));
    }

    // A province office reads its own alert topic only, with consumer groups named after its user.
    private static Map<String, Object> provinceUser(Province province) {
        String user = provinceUserName(province);
        return readOnlyUser(user, Topics.provinceAlertsName(province.slug()));
    }

    private static Map<String, Object> partnerUser(String partner) {
        return readOnlyUser(partnerUserName(partner), Topics.BLOCKLIST, Topics.DO_NOT_ORIGINATE);
    }

    private static Map<String, Object> readOnlyUser(String user, String... topics) {
        List<Map<String, Object>> acls = new ArrayList<>();
        for (String topic : topics) {
            acls.add(acl("topic", topic, "literal", List.of("Read", "Describe")));
        }
        acls.add(acl("group", user, "prefix", List.of("Read")));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("authentication", Map.of("type", "scram-sha-512"));
        spec.put("authorization", Map.of("type", "simple", "acls", acls));
        return resource("KafkaUser", user, spec);
    }

    private static Map<String, Object> acl(String type, String name, String patternType, List<String> operations) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("type", type);
        resource.put("name", name);
        resource.put("patternType", patternType);
        Map<String, Object> acl = new LinkedHashMap<>();
        acl.put("resource", resource);
        acl.put("operations", operations);
        return acl;
    }

    private static Map<String, Object> resource(String kind, String name, Map<String, Object> spec) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("labels", Map.of("strimzi.io/cluster", CLUSTER));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "kafka.strimzi.io/v1beta2");
        doc.put("kind", kind);
        doc.put("metadata", metadata);
        doc.put("spec", spec);
        return doc;
    }

    private static <T> String documents(List<T> items, Function<T, Map<String, Object>> render) {
        StringBuilder out = new StringBuilder("# Generated by ManifestGenerator (deploy test sources); do not edit.\n");
        for (T item : items) {
            try {
                out.append(YAML.writeValueAsString(render.apply(item)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }
}
