package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.serde.WireFormatException;

/**
 * A groupless reader that folds topics into something the sink serves (the partner feed's list, the dashboards'
 * board): it assigns its partitions, seeks where its first start wants, decodes every record itself and keeps its
 * place, so a restarted run goes on from there instead of replaying.
 *
 * <p>A record that cannot be decoded because the registry does not answer is sought back to and read again after
 * a backoff, with the loop unready meanwhile; the rest of its partition waits behind it, other partitions go on.
 * One that can never be decoded is counted in {@code bhxh_sink_undecodable_records} and skipped, not dead-lettered:
 * these readers have no consumer group and replay at every start, in every instance, so they would write the same
 * dead letter again and again (the alert consumer dead-letters undecodable alerts once, the processor undecodable
 * decisions).
 */
abstract class Follower extends ConsumerLoop<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(Follower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String reader;
    private final MeterRegistry metrics;
    private final List<TopicPartition> sources;
    /** Where each partition goes on after a restart; empty until the first poll. Only the loop's thread uses it. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    /** For a reader that loads everything first: read_committed end offsets (last stable) at its first run. */
    private Map<TopicPartition, Long> loadUpTo;

    Follower(String reader, Map<String, Object> consumerProps, List<TopicPartition> sources, Backoff backoff,
             MeterRegistry metrics) {
        super(reader, reader, () -> ConsumerLoop.groupless(consumerProps), backoff, STALL_AFTER, metrics);
        this.reader = reader;
        this.metrics = metrics;
        this.sources = List.copyOf(sources);
    }

    protected List<TopicPartition> sources() {
        return sources;
    }

    /** Seeks every source partition for the first run. */
    protected abstract void seekForFirstRun();

    /** A first run that reads every source from its beginning, up to where they end now ({@link #loadedAll}). */
    protected final void loadFromBeginning() {
        consumer.seekToBeginning(sources);
        loadUpTo = consumer.endOffsets(sources);
    }

    /** After {@link #loadFromBeginning}: whether every source was read up to where it ended then. */
    protected final boolean loadedAll() {
        return sources.stream().allMatch(tp -> consumer.position(tp) >= loadUpTo.get(tp));
    }

    /**
     * Folds one decoded record in; throws what the deserializer threw when it cannot decode it. Anything else it
     * throws fails the run, which is restarted from the last poll's positions.
     */
    protected abstract void apply(ConsumerRecord<String, byte[]> record);

    /** After every poll, with the consumer's positions up to date. */
    protected void afterPoll() {
    }

    @Override
    protected final void begin() {
        consumer.assign(sources);
        if (resumeAt.isEmpty()) {
            seekForFirstRun();
        } else {
            resumeAt.forEach(consumer::seek);
        }
    }

    @Override
    protected final void pollOnce() {
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        String waitingFor = null;
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                String where = record.topic() + "-" + record.partition() + "@" + record.offset();
                try {
                    apply(record);
                } catch (SerializationException e) {
                    if (WireFormatException.isTransient(e)) {
                        consumer.seek(partition, record.offset());
                        waitingFor = "cannot decode " + where + " yet: " + e.getMessage();
                        break;
                    }
                    ConsumerMetrics.undecodable(metrics, reader, record.topic());
                    log.error("{}: skipped {}, it cannot be decoded: {}", reader, where, e.getMessage());
                }
            }
        }
        for (TopicPartition partition : sources) {
            resumeAt.put(partition, consumer.position(partition));
        }
        afterPoll();
        if (waitingFor == null) {
            progressed();
        } else {
            retryLater(waitingFor);
        }
    }
}
