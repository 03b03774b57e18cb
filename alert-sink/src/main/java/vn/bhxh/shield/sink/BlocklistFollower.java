package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.topic.Topic;

/**
 * Reads the compacted blocklist and allowlist topics from the beginning into a {@link BlocklistView}, then
 * follows them. No consumer group: every sink instance needs the whole list, and the view's version is made of
 * the partitions' offsets, so nothing is committed. read_committed: only listings of committed processor
 * transactions reach partners.
 */
final class BlocklistFollower extends Follower {

    private static final Logger log = LoggerFactory.getLogger(BlocklistFollower.class);

    private final Topic<String, BlocklistEntry> blocklist;
    private final Topic<String, AllowlistEntry> allowlist;
    private final BlocklistView view;

    BlocklistFollower(Map<String, Object> consumerProps, Topic<String, BlocklistEntry> blocklist,
                      Topic<String, AllowlistEntry> allowlist, int blocklistPartitions, int allowlistPartitions,
                      BlocklistView view, Backoff backoff, MeterRegistry metrics) {
        super("blocklist", consumerProps, sources(blocklist, blocklistPartitions, allowlist, allowlistPartitions),
                backoff, metrics);
        this.blocklist = blocklist;
        this.allowlist = allowlist;
        this.view = view;
    }

    private static List<TopicPartition> sources(Topic<?, ?> blocklist, int blocklistPartitions,
                                                Topic<?, ?> allowlist, int allowlistPartitions) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < blocklistPartitions; p++) {
            partitions.add(new TopicPartition(blocklist.name(), p));
        }
        for (int p = 0; p < allowlistPartitions; p++) {
            partitions.add(new TopicPartition(allowlist.name(), p));
        }
        return partitions;
    }

    @Override
    protected void seekForFirstRun() {
        loadFromBeginning();
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(blocklist.name())) {
            BlocklistEntry entry = record.value() == null ? null
                    : blocklist.valueSerde().deserializer().deserialize(record.topic(), record.value());
            view.applyBlocklist(record.partition(), record.offset(), record.timestamp(), record.key(), entry);
        } else {
            AllowlistEntry entry = record.value() == null ? null
                    : allowlist.valueSerde().deserializer().deserialize(record.topic(), record.value());
            view.applyAllowlist(record.partition(), record.offset(), record.timestamp(), record.key(), entry);
        }
    }

    @Override
    protected void afterPoll() {
        List<TopicPartition> sources = sources();
        for (int source = 0; source < sources.size(); source++) {
            view.advance(source, consumer.position(sources.get(source)));
        }
        if (!view.loaded() && loadedAll()) {
            view.markLoaded();
            log.info("blocklist loaded: {} entries visible to partners", view.size());
        }
    }

    /** Besides the loop's own checks, ready only once the whole list was read. */
    @Override
    void registerIn(Health health) {
        super.registerIn(health);
        health.ready("blocklist-loaded", () -> view.loaded() ? HealthCheck.Status.up(view.size() + " entries")
                : HealthCheck.Status.down("still loading the blocklist"));
    }
}
