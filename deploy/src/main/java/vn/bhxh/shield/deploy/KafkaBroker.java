package vn.bhxh.shield.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import vn.bhxh.shield.runtime.SingleNodeKafka;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller), run from the {@code kafka_2.13}
 * artifact as its own process. Its log directory lives under the stack's data directory and survives restarts;
 * it is formatted only the first time (delete the data directory to start afresh).
 */
final class KafkaBroker {

    private KafkaBroker() {
    }

    static JavaProcess start(LocalStackConfig config) {
        Path home = config.dataDir().resolve("kafka");
        Path logDirs = home.resolve("logs");
        // Written at every start, so a changed port takes effect; the log directory is what persists.
        Path properties = home.resolve("server.properties");
        SingleNodeKafka.writeServerProperties(properties, config.kafkaPort(), config.controllerPort(), logDirs);
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            JavaProcess.runToCompletion("kafka-storage-format", SingleNodeKafka.STORAGE_TOOL_MAIN,
                    SingleNodeKafka.formatArguments(properties), config.logs().resolve("kafka-storage-format.log"));
        }
        return JavaProcess.start("kafka", SingleNodeKafka.BROKER_MAIN, List.of(properties.toString()),
                List.of("-Xmx512m", "-XX:+UseSerialGC"), Map.of(), config.logs().resolve("kafka.log"));
    }
}
