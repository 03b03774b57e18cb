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
public final class KafkaBroker {

    private KafkaBroker() {
    }

    static JavaProcess start(LocalStackConfig config) {
        return start(config.dataDir().resolve("kafka"), config.kafkaPort(), config.controllerPort(), config.logs());
    }

    /** A broker whose data lives under {@code home}, its output in {@code logs/kafka.log}. */
    public static JavaProcess start(Path home, int kafkaPort, int controllerPort, Path logs) {
        Path logDirs = home.resolve("logs");
        // Written at every start, so a changed port takes effect; the log directory is what persists.
        Path properties = home.resolve("server.properties");
        SingleNodeKafka.writeServerProperties(properties, kafkaPort, controllerPort, logDirs);
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            JavaProcess.runToCompletion("kafka-storage-format", SingleNodeKafka.STORAGE_TOOL_MAIN,
                    SingleNodeKafka.formatArguments(properties), logs.resolve("kafka-storage-format.log"));
        }
        return JavaProcess.start("kafka", SingleNodeKafka.BROKER_MAIN, List.of(properties.toString()),
                List.of("-Xmx512m", "-XX:+UseSerialGC"), Map.of(), logs.resolve("kafka.log"));
    }
}
