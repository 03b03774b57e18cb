package vn.bhxh.shield.processor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.registry.InMemorySchemaRegistry;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Drives one flow's {@code buildTopology} through {@link TopologyTestDriver}, with no broker and no registry
 * server. The serdes are the real ones over an {@link InMemorySchemaRegistry} (the embedded registry's ids,
 * versions and compatibility checks), so the bytes are exactly those of production.
 */
abstract class TopologyTestBase {

    protected Topics topics;
    protected TopologyTestDriver driver;
    protected Topology topology;
    /** The processor's counters, as the flows under test updated them. */
    protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    protected final ProcessorMetrics metrics = new ProcessorMetrics(registry);
    /** Its own state directory: two builds on one machine would otherwise fight over /tmp/kafka-streams' locks. */
    @TempDir
    Path stateDir;

    /** The flow under test, wired into {@code builder}. */
    protected abstract void buildTopology(StreamsBuilder builder, Topics topics);

    @BeforeEach
    void startDriver() {
        topics = new Topics(new InMemorySchemaRegistry());
        StreamsBuilder builder = new StreamsBuilder();
        buildTopology(builder, topics);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, getClass().getSimpleName());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        topology = builder.build();
        driver = new TopologyTestDriver(topology, props);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    protected <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    protected TestInputTopic<String, byte[]> rawInput(String topic) {
        return driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    /** {@code report} as ingest writes it for the processor: one record per canonical indicator. */
    protected void send(Report report) {
        new IngestedReports(topics).pipe(rawInput(Topics.INDICATOR_EVENTS), report);
    }

    protected <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }
}
