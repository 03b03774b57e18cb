package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.SupervisedLoop;
import vn.bhxh.shield.serde.WireFormatException;

/**
 * One of the sink's readers: a thread that owns one consumer (consumers are single-threaded) and polls until
 * {@link #stop()}, kept running by a {@link SupervisedLoop}: a run that throws is logged, counted and started again
 * with a fresh consumer, which resumes where the reader's progress says (its group's committed offsets, or the
 * position a groupless reader kept). {@code stop} interrupts a blocked poll with {@code wakeup()}, never with a
 * thread interrupt, which would break the consumer's clean close.
 */
abstract class ConsumerLoop<K, V> {

    /** Far beyond any step of a reader (a 0.5 s poll, a 10 s registry call, a dead letter's 2 min delivery). */
    static final Duration STALL_AFTER = Duration.ofMinutes(5);

    private final String reader;
    private final Supplier<KafkaConsumer<K, V>> consumers;
    private final MeterRegistry metrics;
    private final SupervisedLoop loop;
    /** The current run's consumer; used only by the loop's thread, except for {@code wakeup()}. */
    protected volatile KafkaConsumer<K, V> consumer;

    /**
     * @param reader    the reader's tag on its consumer metrics (alerts, webhook, blocklist, board)
     * @param loopName  the loop's name in health and {@code bhxh_loop_*}, unique in the service
     * @param stallAfter see {@link SupervisedLoop}
     */
    ConsumerLoop(String reader, String loopName, Supplier<KafkaConsumer<K, V>> consumers, Backoff backoff,
                 Duration stallAfter, MeterRegistry metrics) {
        this.reader = reader;
        this.consumers = consumers;
        this.metrics = metrics;
        this.loop = new SupervisedLoop(loopName, this::runOnce, this::wakeup, backoff, stallAfter, metrics);
    }

    /**
     * A consumer of raw bytes for a reader that keeps no group (it assigns partitions and replays from a point it
     * chooses at every start) and sees only committed transactions.
     */
    static KafkaConsumer<String, byte[]> groupless(Map<String, Object> consumerProps) {
        Map<String, Object> props = new HashMap<>(consumerProps);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A kept position that compaction or retention has since removed: go on from the oldest record left.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Subscribes, or assigns and seeks; on the loop's own thread, at every (re)start, with a fresh consumer. */
    protected abstract void begin();

    /** One poll and what follows; calls {@link #progressed()} or {@link #retryLater(String)}. */
    protected abstract void pollOnce();

    private void runOnce() {
        KafkaConsumer<K, V> fresh = consumers.get();
        KafkaClientMetrics clientMetrics = ConsumerMetrics.bind(fresh, reader, metrics);
        consumer = fresh;
        try {
            begin();
            while (loop.running()) {
                pollOnce();
            }
        } finally {
            fresh.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            clientMetrics.close();
        }
    }

    private void wakeup() {
        KafkaConsumer<K, V> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    protected boolean running() {
        return loop.running();
    }

    /** The step read what it had to. */
    protected void progressed() {
        loop.progressed();
    }

    /** The step could not read for a transient reason: readiness down, a backoff, then the same records again. */
    protected void retryLater(String why) {
        loop.retryLater(why);
    }

    /**
     * A record the consumer's deserializer refused. Transient (the registry did not answer): the consumer is put
     * back on it and it is read again after a backoff, never skipped. Permanent (bad bytes, an unknown schema id):
     * {@code permanent} takes it (dead-letters or counts it), then the consumer goes past it.
     */
    protected void undecodable(RecordDeserializationException e, Consumer<RecordDeserializationException> permanent) {
        if (WireFormatException.isTransient(e)) {
            consumer.seek(e.topicPartition(), e.offset());
            retryLater("cannot decode " + e.topicPartition() + "@" + e.offset() + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        } else {
            try {
                permanent.accept(e);
            } catch (RuntimeException failed) {
                if (!WireFormatException.isTransient(failed)) {
                    throw failed;
                }
                // The dead letter itself needs the registry: the record waits, as it would for its own decoding.
                consumer.seek(e.topicPartition(), e.offset());
                retryLater("cannot dead-letter " + e.topicPartition() + "@" + e.offset() + ": " + failed.getMessage());
                return;
            }
            consumer.seek(e.topicPartition(), e.offset() + 1);
            progressed();
        }
    }

    void start() {
        loop.start();
    }

    /** Asks the loop to end; {@link #awaitStopped} waits for it. */
    void stop() {
        loop.stop();
    }

    void awaitStopped(Duration within) {
        loop.awaitStopped(within);
    }

    /** The loop's liveness and readiness; a reader with more to say about readiness adds its own check. */
    void registerIn(Health health) {
        loop.registerIn(health);
    }
}
