package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.topic.Topic;

/**
 * Reads the compacted appeals topic from the beginning into the {@link AppealBook}, then follows it. Like the
 * blocklist's reader, no consumer group: every instance needs every appeal (any instance answers an owner's receipt
 * and serves the national board).
 */
final class AppealFollower extends Follower {

    private static final Logger log = LoggerFactory.getLogger(AppealFollower.class);

    private final Topic<String, Appeal> topic;
    private final AppealBook book;

    AppealFollower(Map<String, Object> consumerProps, Topic<String, Appeal> topic, int partitions, AppealBook book,
                   Backoff backoff, MeterRegistry metrics) {
        super("appeals", consumerProps, IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic.name(), p)).toList(), backoff, metrics);
        this.topic = topic;
        this.book = book;
    }

    @Override
    protected void seekForFirstRun() {
        loadFromBeginning();
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null) { // nothing writes tombstones here; retention deletes old appeals
            book.apply(topic.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
    }

    @Override
    protected void afterPoll() {
        if (!book.loaded() && loadedAll()) {
            book.markLoaded();
            log.info("appeals loaded: {} open", book.open().size());
        }
    }

    /** Besides the loop's own checks, ready only once every appeal was read. */
    @Override
    void registerIn(Health health) {
        super.registerIn(health);
        health.ready("appeals-loaded", () -> book.loaded() ? HealthCheck.Status.up(book.open().size()
                + " open appeals") : HealthCheck.Status.down("still loading the appeals"));
    }
}
