package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One of the sink's readers: a thread that owns one consumer (consumers are single-threaded), polls until
 * {@link #stop()}, then closes it. {@code stop} interrupts a blocked poll with {@code wakeup()}, never with a thread
 * interrupt, which would break the consumer's clean close.
 */
abstract class ConsumerLoop<K, V> implements Runnable {

    protected final KafkaConsumer<K, V> consumer;
    private final KafkaClientMetrics consumerMetrics;
    private final AtomicBoolean running = new AtomicBoolean(true);

    ConsumerLoop(KafkaConsumer<K, V> consumer, String reader, MeterRegistry metrics) {
        this.consumer = consumer;
        this.consumerMetrics = ConsumerMetrics.bind(consumer, reader, metrics);
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
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Subscribes, or assigns and seeks; on the loop's own thread, like every other use of the consumer. */
    protected abstract void begin();

    protected abstract void pollOnce();

    @Override
    public final void run() {
        try {
            begin();
            while (running.get()) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
            consumerMetrics.close();
        }
    }

    protected boolean running() {
        return running.get();
    }

    void stop() {
        running.set(false);
        consumer.wakeup();
    }
}
