package vn.bhxh.shield.topic;

import java.util.Map;

/**
 * How a topic is created: partitions and the topic-level configs we set on purpose. The replication factor is
 * not here: it belongs to the cluster (1 on a laptop, 3 in production), see {@code deploy}.
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    public boolean compacted() {
        String policy = configs.getOrDefault("cleanup.policy", "delete");
        return policy.contains("compact");
    }
}
