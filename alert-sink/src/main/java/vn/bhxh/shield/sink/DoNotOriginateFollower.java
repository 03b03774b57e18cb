package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.topic.Topic;

/**
 * Reads the compacted Do-Not-Originate topic from the beginning into a {@link DoNotOriginateView}, then follows it.
 * Like the blocklist's reader: no consumer group (every instance serves the whole list, its version is made of the
 * offsets), read_committed.
 */
final class DoNotOriginateFollower extends Follower {

    private static final Logger log = LoggerFactory.getLogger(DoNotOriginateFollower.class);

    private final Topic<String, DoNotOriginateEntry> topic;
    private final DoNotOriginateView view;

    DoNotOriginateFollower(Map<String, Object> consumerProps, Topic<String, DoNotOriginateEntry> topic, int partitions,
                           DoNotOriginateView view, Backoff backoff, MeterRegistry metrics) {
        super("do-not-originate", consumerProps, IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic.name(), p)).toList(), backoff, metrics);
        this.topic = topic;
        this.view = view;
    }

    @Override
    protected void seekForFirstRun() {
        loadFromBeginning();
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        DoNotOriginateEntry entry = record.value() == null ? null
                : topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
        view.apply(record.partition(), record.offset(), record.key(), entry);
    }

    @Override
    protected void afterPoll() {
        List<TopicPartition> sources = sources();
        for (TopicPartition partition : sources) {
            view.advance(partition.partition(), consumer.position(partition));
        }
        if (!view.loaded() && loadedAll()) {
            view.markLoaded();
            log.info("do-not-originate list loaded: {} numbers", view.size());
        }
    }

    /** Besides the loop's own checks, ready only once the whole list was read. */
    @Override
    void registerIn(Health health) {
        super.registerIn(health);
        health.ready("do-not-originate-loaded", () -> view.loaded()
                ? HealthCheck.Status.up(view.size() + " numbers")
                : HealthCheck.Status.down("still loading the do-not-originate list"));
    }
}
