package vn.bhxh.shield.processor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;

/** The processor's settings, all from the environment so production changes them without code. */
public record ProcessorConfig(KafkaSettings kafka, String applicationId, Path stateDir, int httpPort,
                              String advertisedHost, int commitIntervalMs, int replicationFactor,
                              int streamThreads, int standbyReplicas, long rocksDbMemoryBytes, Rules rules,
                              Optional<String> instanceId, int sessionTimeoutMs, Faults faults, int stateFormat,
                              WeeklyTrendCounter.TrendSettings trends) {

    /**
     * How the processor treats failures: a record whose processing throws is tried {@code recordAttempts} times
     * before it is dead-lettered; a stream thread that dies for any other reason is replaced at most
     * {@code threadRestarts} times within {@code threadRestartWindow}, after which the process exits; a registry
     * that cannot be reached is waited for with backoff up to {@code registryBackoffMax} between tries.
     */
    public record Faults(int recordAttempts, int threadRestarts, Duration threadRestartWindow,
                         Duration registryBackoffMax) {
        public Faults {
            if (recordAttempts < 1 || threadRestarts < 0) {
                throw new IllegalArgumentException("PROCESSOR_RECORD_ATTEMPTS must be at least 1 and "
                        + "PROCESSOR_THREAD_RESTARTS at least 0");
            }
        }

        static Faults from(Settings settings) {
            return new Faults(
                    settings.integer("PROCESSOR_RECORD_ATTEMPTS", 3),
                    settings.integer("PROCESSOR_THREAD_RESTARTS", 5),
                    Duration.ofSeconds(settings.integer("PROCESSOR_THREAD_RESTART_WINDOW_S", 600)),
                    Duration.ofMillis(settings.integer("PROCESSOR_REGISTRY_BACKOFF_MAX_MS", 30_000)));
        }
    }

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
                Rules.from(settings),
                // Static group membership: a restarted instance with the same id takes its tasks back at once
                // instead of waiting for the group to time the dead one out. Unset: dynamic membership.
                settings.find("PROCESSOR_INSTANCE_ID").filter(id -> !id.isBlank()),
                // How long an instance that never comes back keeps its tasks (static or not): the price of
                // riding out a restart is that a dead-for-good instance is noticed only after this.
                settings.integer("PROCESSOR_SESSION_TIMEOUT_MS", 15_000),
                Faults.from(settings),
                // The indicator store's format: 3, or 2 for the first phase of a rolling upgrade from a build that
                // cannot read 3 (docs/state-format.md). Every build reads both.
                settings.integer("PROCESSOR_STATE_FORMAT", 3),
                WeeklyTrendCounter.TrendSettings.from(settings));
    }

    /** {@code httpPort}: the port actually bound, which differs from the setting when that is 0. */
    public Map<String, Object> streamsProperties(int boundHttpPort) {
        Map<String, Object> props = kafka.common(applicationId);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        // Reports and decisions are independent inputs merged in the same task: waiting to order them by
        // timestamp buys nothing, and with decisions mostly empty the check (which formats its log text whether
        // logged or not) took ~7% of the stream thread.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + boundHttpPort);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        props.put(BoundedRocksDbMemory.TOTAL_BYTES_CONFIG, rocksDbMemoryBytes);
        // Kafka Streams gives each stream thread's consumer "<id>-<thread index>".
        instanceId.ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        clientDefault(props, StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), sessionTimeoutMs);
        // Latency under exactly-once: an output is visible only once its transaction commits, and a report
        // crosses one (ingest's transaction makes it readable; the processor's makes the blocklist entry
        // readable; no repartition topic between). Records sent as they come (not after
        // Streams' default 100 ms linger) leave the commit only its end marker to wait for; the consumer returns
        // what a commit made readable after 20 ms rather than the default 500 ms fetch wait; the thread waits
        // 10 ms rather than 100 for input, so a due commit is not held up by an idle poll; and a send refused
        // with CONCURRENT_TRANSACTIONS while the broker still writes the last commit's markers (every commit,
        // on the next transaction's first send to each partition) is retried after 10 ms, not 100.
        // KAFKA_CLIENT_* settings still win.
        clientDefault(props, StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        clientDefault(props, StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        clientDefault(props, StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 20);
        props.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, 10);
        return props;
    }

    /** {@code prefixedKey}'s value unless the same setting was given for all clients (without the prefix). */
    private static void clientDefault(Map<String, Object> props, String prefixedKey, Object value) {
        String unprefixed = prefixedKey.substring(prefixedKey.indexOf('.') + 1);
        if (!props.containsKey(unprefixed)) {
            props.putIfAbsent(prefixedKey, value);
        }
    }
}
