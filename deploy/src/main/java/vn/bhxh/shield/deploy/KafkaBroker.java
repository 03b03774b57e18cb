package vn.bhxh.shield.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

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
        Path properties = home.resolve("server.properties");
        writeProperties(properties, logDirs, config);
        if (!Files.exists(logDirs.resolve("meta.properties"))) {
            JavaProcess.runToCompletion("kafka-storage-format", "kafka.tools.StorageTool",
                    List.of("format", "--cluster-id", Uuid.randomUuid().toString(), "--config", properties.toString()),
                    config.logs().resolve("kafka-storage-format.log"));
        }
        return JavaProcess.start("kafka", "kafka.Kafka", List.of(properties.toString()),
                List.of("-Xmx512m", "-XX:+UseSerialGC"), Map.of(), config.logs().resolve("kafka.log"));
    }

    private static void writeProperties(Path file, Path logDirs, LocalStackConfig config) {
        String controller = "localhost:" + config.controllerPort();
        String text = String.join("\n",
                "# Written by the local stack at every start; edit LocalStackConfig or KafkaBroker instead.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + controller,
                // Loopback only: the local stack is for this machine.
                "listeners=PLAINTEXT://localhost:" + config.kafkaPort() + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://localhost:" + config.kafkaPort(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + logDirs,
                // One broker: every internal topic has one replica, which exactly-once transactions accept.
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // Topics are created deliberately (partitions, compaction, retention), never by a typo.
                "auto.create.topics.enable=false",
                "");
        try {
            Files.createDirectories(logDirs);
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
