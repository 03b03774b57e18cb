package vn.bhxh.shield.ingest.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import com.google.common.util.concurrent.Striped;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.runtime.SupervisedLoop;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;
import vn.bhxh.shield.runtime.JsonMappers;

/**
 * The replies already given to requests with an Idempotency-Key, rebuilt at start-up from the compacted
 * idempotency topic (read_committed, so only keys whose report was committed) and then tailed, so keys written by
 * other instances arrive too. Kafka is the only store: nothing is kept on disk. A key is kept as long as the topic
 * keeps it (its retention, 7 days), then evicted: see {@link RecentReplies} for the memory it takes.
 * <p>
 * Within one instance, {@link #once} serialises requests with the same key, so concurrent retries cannot both
 * write, even when two group-commit batches are in flight: a request whose key is being written waits (holding no
 * thread) until that write has committed and been remembered, or failed, and only then looks again. Across instances the window is the tailing delay (milliseconds): two instances that receive the same key
 * at the same moment may both write. Route by Idempotency-Key (or run one instance) where that matters.
 */
public final class IdempotencyLedger implements HealthCheck, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyLedger.class);
    private static final ObjectMapper JSON = JsonMappers.create();

    /** How often expired keys are swept out; until then {@link RecentReplies#find} already ignores them. */
    private static final Duration EVICT_EVERY = Duration.ofMinutes(1);

    private final RecentReplies replies;
    private final Clock clock;
    private final OneWritePerKey writes = new OneWritePerKey();
    /**
     * Webhook deliveries (several message ids at once, answered only once they are written) hold these while their
     * request's thread waits; a report's Idempotency-Key goes through {@link #once}. The two never share a key:
     * every key is scoped by who sent it.
     */
    private final Striped<Lock> locks = Striped.lazyWeakLock(4096);
    private final Map<String, Object> consumerProps;
    private final Topic<String, String> idempotency;
    private final MeterRegistry metrics;
    private final Counter unreadable;
    private final SupervisedLoop tailer;
    /** The current run's consumer; used only by the tailer's thread, except for {@code wakeup()}. */
    private volatile KafkaConsumer<String, String> consumer;
    /** Where each partition goes on after a restart; empty until the first poll. Only the tailer's thread uses it. */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    private Map<TopicPartition, Long> loadedAt;
    private volatile boolean caughtUp;
    private volatile String problem = "not read yet";

    /**
     * @param maxKeys the most keys held in memory, oldest forgotten first (see {@link RecentReplies})
     * @param backoff between restarts of the tailer after it failed, and between tries while Kafka is away
     */
    public IdempotencyLedger(Map<String, Object> common, Topic<String, String> idempotency, Clock clock,
                             MeterRegistry metrics, int maxKeys, Backoff backoff) {
        this.replies = new RecentReplies(retentionOf(idempotency.name()), maxKeys);
        this.clock = clock;
        FunctionCounter.builder("ingest_idempotency_evicted_early", replies, RecentReplies::evictedEarly)
                .description("Idempotency keys forgotten before the topic's retention because the most were held")
                .register(metrics);
        Gauge.builder("ingest_idempotency_keys", replies, RecentReplies::size)
                .description("Idempotency keys held in memory (those younger than the topic's retention)")
                .register(metrics);
        this.unreadable = Counter.builder("ingest_idempotency_unreadable_records")
                .description("Idempotency records that are not a stored reply; skipped").register(metrics);
        Map<String, Object> props = new HashMap<>(common);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A kept position that retention has since removed: go on from the oldest record left.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumerProps = props;
        this.idempotency = idempotency;
        this.metrics = metrics;
        this.tailer = new SupervisedLoop("idempotency-ledger", this::tail, this::wakeup, backoff,
                Duration.ofMinutes(5), metrics);
        tailer.start(); // after the field is set: the tailer's thread reads it
    }

    public Optional<StoredReply> find(String scopedKey) {
        return replies.find(scopedKey, clock.instant());
    }

    /** Records a reply this instance has just committed, before the tailer reads it back. */
    public void remember(String scopedKey, StoredReply reply) {
        replies.put(scopedKey, reply, clock.instant());
    }

    /**
     * Runs {@code attempt} for {@code scopedKey} once no other attempt of this instance is writing that key, and
     * returns what it returns. An attempt that writes must {@link #remember} its reply before its future completes,
     * so the next one finds it; a failed attempt leaves the key free for the next.
     */
    public <T> CompletableFuture<T> once(String scopedKey, Supplier<CompletableFuture<T>> attempt) {
        return writes.run(scopedKey, attempt);
    }

    /**
     * The locks of several keys, in the one order every caller takes them in, so two batches sharing keys cannot
     * deadlock; a lock may come twice (two keys, one stripe) and is reentrant.
     */
    public List<Lock> locksFor(Collection<String> scopedKeys) {
        List<Lock> all = new ArrayList<>();
        locks.bulkGet(scopedKeys).forEach(all::add);
        return all;
    }

    /** False until every record committed before start-up has been read: until then a retry could be missed. */
    public boolean ready() {
        return caughtUp;
    }

    /** Ready once caught up, and while the tailer reads (not restarting after a failure). */
    @Override
    public Status check() {
        if (!caughtUp) {
            return Status.down(problem);
        }
        Status tailing = tailer.readiness().check();
        return tailing.up() ? Status.up(replies.size() + " idempotency keys") : tailing;
    }

    public static String encode(StoredReply reply) {
        return JsonMappers.write(reply);
    }

    /** The liveness of the tailer: its thread runs (reading, or waiting to restart) and no poll is wedged. */
    public HealthCheck liveness() {
        return tailer.liveness();
    }

    /** One run of the tailer; {@link SupervisedLoop} restarts it, with a fresh consumer, when it throws. */
    private void tail() {
        KafkaConsumer<String, String> fresh = new KafkaConsumer<>(consumerProps,
                idempotency.keySerde().deserializer(), idempotency.valueSerde().deserializer());
        KafkaClientMetrics clientMetrics = new KafkaClientMetrics(fresh);
        clientMetrics.bindTo(metrics);
        consumer = fresh;
        try {
            List<TopicPartition> partitions = awaitPartitions(fresh);
            if (partitions.isEmpty()) {
                return; // closing
            }
            fresh.assign(partitions);
            if (resumeAt.isEmpty()) {
                fresh.seekToBeginning(partitions);
                loadedAt = fresh.endOffsets(partitions);
            } else {
                resumeAt.forEach(fresh::seek);
            }
            Instant evictedAt = clock.instant();
            while (tailer.running()) {
                for (ConsumerRecord<String, String> record : fresh.poll(Duration.ofMillis(500))) {
                    apply(record);
                }
                partitions.forEach(p -> resumeAt.put(p, fresh.position(p)));
                if (!clock.instant().isBefore(evictedAt.plus(EVICT_EVERY))) {
                    evictedAt = clock.instant();
                    int evicted = replies.evictExpired(evictedAt);
                    if (evicted > 0) {
                        log.info("idempotency ledger: {} keys older than the topic's retention evicted", evicted);
                    }
                }
                if (!caughtUp && partitions.stream().allMatch(p -> resumeAt.get(p) >= loadedAt.get(p))) {
                    caughtUp = true;
                    log.info("idempotency ledger caught up: {} keys", replies.size());
                }
                tailer.progressed();
            }
        } finally {
            fresh.close(Duration.ofSeconds(5));
            clientMetrics.close();
        }
    }

    private void wakeup() {
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /** Waits for the topic (Kafka may be down or the topic not created yet at start-up). */
    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, String> fresh) {
        String topic = idempotency.name();
        while (tailer.running()) {
            try {
                var infos = fresh.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
                }
                problem = "topic " + topic + " does not exist";
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                problem = "Kafka unreachable: " + e.getMessage();
            }
            tailer.retryLater(problem);
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            replies.remove(record.key());
            return;
        }
        if (replies.find(record.key(), clock.instant()).isPresent()) {
            // Mostly this instance's own write, remembered when it committed: nothing new to decode (tailing
            // the ledger was a tenth of ingest's time in the benchmark). Another instance's reply to the same key
            // at the same moment is the race the class comment describes; either reply is a true answer.
            return;
        }
        try {
            // The record's time is when its report was written, as for the topic's retention.
            replies.put(record.key(), JSON.readValue(record.value(), StoredReply.class),
                    Instant.ofEpochMilli(record.timestamp()));
        } catch (JsonProcessingException e) {
            unreadable.increment();
            log.warn("unreadable idempotency record at {}-{}@{}", record.topic(), record.partition(), record.offset());
        }
    }

    /** The retention the topic is created with: the ledger keeps a key exactly as long as Kafka does. */
    private static Duration retentionOf(String topic) {
        return Topics.specs().stream().filter(spec -> spec.name().equals(topic)).findFirst()
                .map(spec -> Duration.ofMillis(Long.parseLong(spec.configs().get("retention.ms"))))
                .orElseThrow(() -> new IllegalStateException("no topic spec for " + topic));
    }

    @Override
    public void close() {
        tailer.close();
    }
}
