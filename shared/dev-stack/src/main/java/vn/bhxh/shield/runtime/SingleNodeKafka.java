package vn.bhxh.shield.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * How we run a real single-node Apache Kafka (KRaft broker and controller in one process) from the
 * {@code kafka_2.13} artifact on the current classpath: the local stack's broker and the tests' restartable broker
 * process both start it this way. Loopback listeners only.
 */
public final class SingleNodeKafka {

    /** Kafka's own entry points, as in {@code kafka-server-start.sh} and {@code kafka-storage.sh}. */
    public static final String BROKER_MAIN = "kafka.Kafka";
    public static final String STORAGE_TOOL_MAIN = "kafka.tools.StorageTool";

    private SingleNodeKafka() {
    }

    /** Writes {@code server.properties} for a broker on {@code port} with its controller on {@code controllerPort}. */
    public static void writeServerProperties(Path file, int port, int controllerPort, Path logDirs) {
        String controller = "localhost:" + controllerPort;
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + controller,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://" + controller,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
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

    /** Arguments of {@link #STORAGE_TOOL_MAIN} that format a fresh log directory with a new cluster id. */
    public static List<String> formatArguments(Path serverProperties) {
        return List.of("format", "--cluster-id", Uuid.randomUuid().toString(), "--config", serverProperties.toString());
    }

    /** The command line of a JVM running {@code mainClass} on this JVM's java and classpath. */
    public static List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
