package vn.bhxh.shield.deploy.bench;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.topic.Topics;

/**
 * The limit the processor is compared with: a Kafka Streams application with the processor's guarantee
 * (exactly-once v2, the same commit interval), the same input, serde and hops (none: ingest's per-indicator
 * records are already keyed by indicator), but no logic: each record is decoded, encoded and written out. Run as
 * its own process like the processor.
 */
public final class PassThroughApp {

    static final String OUTPUT = "bench.passthrough.v1";
    static final String APPLICATION_ID = "BENCH_APPLICATION_ID";
    static final String STATE_DIR = "BENCH_STATE_DIR";
    static final String COMMIT_INTERVAL_MS = "BENCH_COMMIT_INTERVAL_MS";

    private PassThroughApp() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        KafkaSettings kafka = KafkaSettings.from(settings);
        Serde<IndicatorEvent> events = new Topics(new SchemaRegistryClient(kafka.schemaRegistryUrl()))
                .indicatorEvents().valueSerde();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.INDICATOR_EVENTS, Consumed.with(Serdes.String(), events))
                .to(OUTPUT, Produced.with(Serdes.String(), events));

        String applicationId = settings.string(APPLICATION_ID, "bench-passthrough");
        Map<String, Object> props = kafka.common(applicationId);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.integer(COMMIT_INTERVAL_MS, 100));
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.string(STATE_DIR, System.getProperty("java.io.tmpdir")));
        KafkaStreams streams = new KafkaStreams(builder.build(), new StreamsConfig(props));
        ServiceLifecycle.runUntilShutdown("bench-passthrough", streams, streams::start);
    }
}
