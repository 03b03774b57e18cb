package vn.bhxh.shield.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import vn.bhxh.shield.registry.EmbeddedSchemaRegistry;
import vn.bhxh.shield.topic.TopicProvisioner;

/**
 * A real in-JVM Kafka (one combined KRaft node, configured so transactions and exactly-once work on a single broker)
 * plus an {@link EmbeddedSchemaRegistry} on a random port, for integration tests.
 *
 * <p>Most test classes should use {@link #shared()}: started once per JVM, closed by a shutdown hook; they then use
 * unique topic names. Use {@link #start()} for a private cluster a test may break.
 */
public final class KafkaTestCluster implements KafkaEndpoints, AutoCloseable {

    private static KafkaTestCluster shared;

    private final KafkaClusterTestKit kafka;
    private final Admin admin;
    private EmbeddedSchemaRegistry registry;

    private KafkaTestCluster(KafkaClusterTestKit kafka) {
        this.kafka = kafka;
        this.admin = kafka.admin();
        this.registry = new EmbeddedSchemaRegistry(kafka.bootstrapServers(), 0).start();
    }

    /** Starts a private cluster; the caller closes it. */
    public static KafkaTestCluster start() {
        try {
            KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
                    // As strings: the broker parses them to its types (a boxed Integer is refused for a short).
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kafka.format();
            kafka.startup();
            kafka.waitForReadyBrokers();
            return new KafkaTestCluster(kafka);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka test cluster did not start", e);
        }
    }

    /** The JVM-wide cluster, started on first use and closed when the JVM exits. Do not close it. */
    public static synchronized KafkaTestCluster shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // Kafka's own hook deletes the broker's temp log dir while this one closes the broker; the broker
                // then sees its log dir vanish and halts the JVM with status 1, failing a test run that passed.
                // The JVM is exiting anyway, so a halt from here on must not change its status.
                org.apache.kafka.common.utils.Exit.setHaltProcedure((status, message) -> { });
                shared.close();
            }, "kafka-test-cluster-shutdown"));
        }
        return shared;
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public synchronized String registryUrl() {
        return registry.url();
    }

    /** An admin client owned by the cluster: use it, do not close it. */
    public Admin admin() {
        return admin;
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
            // Tests produce at once: without this an idempotent producer can lose its first request (KAFKA-15591).
            TopicProvisioner.awaitWritable(admin, List.of(name));
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    /** Stops the registry and starts a new one on the same port and Kafka topic, as a process restart would. */
    public synchronized void restartRegistry() {
        int port = registry.port();
        registry.close();
        registry = new EmbeddedSchemaRegistry(bootstrapServers(), port).start();
    }

    @Override
    public synchronized void close() {
        registry.close();
        admin.close();
        try {
            kafka.close();
        } catch (Exception e) {
            throw new IllegalStateException("Kafka test cluster did not close cleanly", e);
        }
    }
}
