package vn.bhxh.shield.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kubernetes' NetworkPolicy semantics over the manifests, so a test can ask whether one pod may open a connection
 * to another: a connection needs the source's egress and the destination's ingress to admit it, each asked here on
 * its own; a pod no policy of a direction selects is open in that direction, a selected one admits what any rule of
 * any selecting policy admits. Strimzi's
 * listeners count as the policies Strimzi generates from them (each listener's port, from its
 * {@code networkPolicyPeers}, or from anywhere without them).
 */
final class NetworkPolicyModel {

    /** A pod (or, with a null namespace, an address outside the cluster) that connections go from or to. */
    record Endpoint(String name, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
                    String ip) {

        static Endpoint pod(String name, String namespace, Map<String, String> namespaceLabels,
                Map<String, String> labels, String ip) {
            return new Endpoint(name, namespace, namespaceLabels, labels, ip);
        }

        static Endpoint outside(String name, String ip) {
            return new Endpoint(name, null, Map.of(), Map.of(), ip);
        }

        boolean inCluster() {
            return namespace != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final List<JsonNode> policies;

    NetworkPolicyModel(K8sManifests manifests, String namespace) {
        this.namespace = namespace;
        this.policies = new ArrayList<>(manifests.all("NetworkPolicy").values());
        manifests.all("Kafka").values().forEach(kafka -> policies.add(strimziListenerPolicy(kafka)));
    }

    /** Whether {@code to}'s ingress admits a connection from {@code from} on this port and protocol. */
    boolean admitsIngress(Endpoint from, Endpoint to, int port, String protocol) {
        return admits(to, "Ingress", "ingress", "from", from, port, protocol);
    }

    /** Whether {@code from}'s egress lets it open a connection to {@code to} on this port and protocol. */
    boolean admitsEgress(Endpoint from, Endpoint to, int port, String protocol) {
        return admits(from, "Egress", "egress", "to", to, port, protocol);
    }

    private boolean admits(Endpoint subject, String type, String rulesField, String peersField, Endpoint peer,
            int port, String protocol) {
        if (!subject.inCluster() || !subject.namespace().equals(namespace)) {
            return true; // no policy of ours governs it
        }
        List<JsonNode> selecting = policies.stream()
                .filter(p -> policyTypes(p).contains(type))
                .filter(p -> matches(p.path("spec").path("podSelector"), subject.labels()))
                .toList();
        if (selecting.isEmpty()) {
            return true;
        }
        for (JsonNode policy : selecting) {
            for (JsonNode rule : policy.path("spec").path(rulesField)) {
                if (peerMatches(rule.path(peersField), peer) && portMatches(rule.path("ports"), port, protocol)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> policyTypes(JsonNode policy) {
        List<String> types = new ArrayList<>();
        policy.path("spec").path("policyTypes").forEach(t -> types.add(t.asText()));
        if (types.isEmpty()) {
            types.add("Ingress");
            if (policy.path("spec").has("egress")) {
                types.add("Egress");
            }
        }
        return types;
    }

    private boolean peerMatches(JsonNode peers, Endpoint peer) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true; // no from/to: every peer
        }
        for (JsonNode p : peers) {
            if (p.has("ipBlock")) {
                if (inBlock(p.path("ipBlock"), peer.ip())) {
                    return true;
                }
            } else if (peer.inCluster()) {
                boolean namespaceOk = p.has("namespaceSelector")
                        ? matches(p.path("namespaceSelector"), peer.namespaceLabels())
                        : peer.namespace().equals(namespace);
                boolean podOk = !p.has("podSelector") || matches(p.path("podSelector"), peer.labels());
                if (namespaceOk && podOk) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean portMatches(JsonNode ports, int port, String protocol) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            if (!p.path("port").isInt() || p.has("endPort")) {
                // Named ports and ranges would need the destination's containers; the manifests use numbers.
                throw new AssertionError("a NetworkPolicy port must be one number: " + p);
            }
            if (p.path("port").asInt() == port && p.path("protocol").asText("TCP").equals(protocol)) {
                return true;
            }
        }
        return false;
    }

    /** A label selector: every matchLabels entry and every matchExpressions requirement holds; empty matches all. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        var entries = selector.path("matchLabels").fields();
        while (entries.hasNext()) {
            var entry = entries.next();
            if (!entry.getValue().asText().equals(labels.get(entry.getKey()))) {
                return false;
            }
        }
        for (JsonNode requirement : selector.path("matchExpressions")) {
            String value = labels.get(requirement.path("key").asText());
            List<String> values = new ArrayList<>();
            requirement.path("values").forEach(v -> values.add(v.asText()));
            boolean holds = switch (requirement.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator in " + requirement);
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    private static boolean inBlock(JsonNode block, String ip) {
        if (!inCidr(block.path("cidr").asText(), ip)) {
            return false;
        }
        for (JsonNode except : block.path("except")) {
            if (inCidr(except.asText(), ip)) {
                return false;
            }
        }
        return true;
    }

    private static boolean inCidr(String cidr, String ip) {
        String[] parts = cidr.split("/");
        byte[] network = address(parts[0]);
        byte[] candidate = address(ip);
        if (network.length != candidate.length) {
            return false;
        }
        int bits = Integer.parseInt(parts[1]);
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((network[i / 8] & mask) != (candidate[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] address(String literal) {
        try {
            return InetAddress.getByName(Objects.requireNonNull(literal)).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError("not an IP address: " + literal, e);
        }
    }

    /** What Strimzi generates for the broker pods: each listener's port, from its peers (or from anywhere). */
    private static JsonNode strimziListenerPolicy(JsonNode kafka) {
        ObjectNode policy = JSON.createObjectNode();
        ObjectNode spec = policy.putObject("spec");
        spec.putObject("podSelector").putObject("matchLabels")
                .put("strimzi.io/cluster", kafka.path("metadata").path("name").asText())
                .put("strimzi.io/broker-role", "true");
        spec.putArray("policyTypes").add("Ingress");
        ArrayNode ingress = spec.putArray("ingress");
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            ObjectNode rule = ingress.addObject();
            rule.putArray("ports").addObject().put("protocol", "TCP").put("port", listener.path("port").asInt());
            if (listener.has("networkPolicyPeers")) {
                rule.set("from", listener.path("networkPolicyPeers"));
            }
        }
        return policy;
    }
}
