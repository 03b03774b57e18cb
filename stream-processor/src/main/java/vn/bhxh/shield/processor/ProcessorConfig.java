package vn.bhxh.shield.processor;

import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;

/** The processor's settings, all from the environment so production changes them without code. */
public record ProcessorConfig(KafkaSettings kafka, String applicationId, Path stateDir, int httpPort,
                              String advertisedHost, int commitIntervalMs, int replicationFactor,
                              int streamThreads, int standbyReplicas, long rocksDbMemoryBytes, Rules rules) {

    public static ProcessorConfig from(Settings settings) {
        return new ProcessorConfig(
                KafkaSettings.from(settings),
                settings.string("PROCESSOR_APPLICATION_ID", "bhxh-stream-processor"),
                Path.of(settings.string("PROCESSOR_STATE_DIR",
                        Path.of(System.getProperty("java.io.tmpdir"), "bhxh-stream-processor").toString())),
                settings.integer("PROCESSOR_HTTP_PORT", 8083),
                // How the other instances reach this one's lookup API to forward a query for a key it owns.
                settings.string("PROCESSOR_ADVERTISED_HOST", "localhost"),
                // Under exactly-once the commit interval is the latency floor of every output; 100 ms is
                // Kafka Streams' own default for EOS.
                settings.integer("PROCESSOR_COMMIT_INTERVAL_MS", 100),
                // -1: take the broker's default.replication.factor (1 on a laptop, 3 in production).
                settings.integer("PROCESSOR_REPLICATION_FACTOR", -1),
                settings.integer("PROCESSOR_STREAM_THREADS", 1),
                // A warm copy of each store on another instance: a failover restores seconds, not the changelog.
                settings.integer("PROCESSOR_STANDBY_REPLICAS", 1),
                settings.integer("PROCESSOR_ROCKSDB_MEMORY_MB", 64) * 1024L * 1024L,
                Rules.from(settings));
    }

    /** {@code httpPort}: the port actually bound, which differs from the setting when that is 0. */
    public Map<String, Object> streamsProperties(int boundHttpPort) {
        Map<String, Object> props = kafka.common(applicationId);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        // Reports and decisions are independent inputs merged before the repartition: waiting to order them by
        // timestamp buys nothing, and with decisions mostly empty the check (which formats its log text whether
        // logged or not) took ~7% of the stream thread.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + boundHttpPort);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        props.put(BoundedRocksDbMemory.TOTAL_BYTES_CONFIG, rocksDbMemoryBytes);
        return props;
    }
}
