package vn.bhxh.shield.processor;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.KafkaTestCluster;

/** Starts a real processor instance on the test cluster, as its production main would, on a free HTTP port. */
final class RunningProcessor {

    private RunningProcessor() {
    }

    static ProcessorService start(KafkaTestCluster cluster, String applicationId, Path stateDir) {
        return start(cluster, applicationId, stateDir, Map.of());
    }

    /** {@code settings}: more processor settings, or other values for these. */
    static ProcessorService start(KafkaTestCluster cluster, String applicationId, Path stateDir,
                                  Map<String, String> settings) {
        return ProcessorService.start(settings(cluster, applicationId, stateDir, settings));
    }

    /** The settings {@link #start} runs an instance with. */
    static Settings settings(KafkaTestCluster cluster, String applicationId, Path stateDir,
                             Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "PROCESSOR_APPLICATION_ID", applicationId,
                "PROCESSOR_STATE_DIR", stateDir.toString(),
                "PROCESSOR_HTTP_PORT", "0",
                // Every instance counts as caught up, so a second instance gets its share of active tasks at once
                // rather than after a probing rebalance minutes later (the tests run several instances briefly).
                "KAFKA_CLIENT_ACCEPTABLE_RECOVERY_LAG", Long.toString(Long.MAX_VALUE)));
        all.putAll(settings);
        return Settings.of(all);
    }
}
