package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.topic.Topic;

/**
 * Reads the compacted appeals topic from the beginning into the {@link AppealBook}, then follows it. Like the
 * blocklist's reader, no consumer group: every instance needs every appeal (any instance answers an owner's receipt
 * and serves the national board).
 */
final class AppealFollower extends ConsumerLoop<String, byte[]> implements HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(AppealFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Topic<String, Appeal> topic;
    private final AppealBook book;
    private final MeterRegistry metrics;
    private final List<TopicPartition> partitions;
    private Map<TopicPartition, Long> loadedAt;

    AppealFollower(Map<String, Object> consumerProps, Topic<String, Appeal> topic, int partitions, AppealBook book,
                   MeterRegistry metrics) {
        super(ConsumerLoop.groupless(consumerProps), "appeals", metrics);
        this.topic = topic;
        this.book = book;
        this.metrics = metrics;
        this.partitions = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic.name(), p)).toList();
    }

    @Override
    protected void begin() {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        loadedAt = consumer.endOffsets(partitions);
    }

    @Override
    protected void pollOnce() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            if (record.value() == null) {
                continue; // nothing writes tombstones here; retention deletes old appeals
            }
            try {
                book.apply(topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
            } catch (RuntimeException e) {
                // Counted, not dead-lettered, as the blocklist's reader does: read again at every start.
                ConsumerMetrics.undecodable(metrics, "appeals", record.topic());
                log.error("cannot decode {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                        e.getMessage());
            }
        }
        if (!book.loaded() && partitions.stream().allMatch(tp -> consumer.position(tp) >= loadedAt.get(tp))) {
            book.markLoaded();
            log.info("appeals loaded: {} open", book.open().size());
        }
    }

    @Override
    public Status check() {
        return book.loaded() ? Status.up(book.open().size() + " open appeals") : Status.down("still loading the appeals");
    }
}
