package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
final class BlocklistFollower extends ConsumerLoop<String, byte[]> implements HealthCheck {

    private static final Logger log = LoggerFactory.getLogger(BlocklistFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Topic<String, BlocklistEntry> blocklist;
    private final Topic<String, AllowlistEntry> allowlist;
    private final BlocklistView view;
    private final MeterRegistry metrics;
    private final List<TopicPartition> sources;
    // read_committed end offsets at start: the last stable offsets, which is what the initial load must reach.
    private Map<TopicPartition, Long> loadedAt;

    BlocklistFollower(Map<String, Object> consumerProps, Topic<String, BlocklistEntry> blocklist,
                      Topic<String, AllowlistEntry> allowlist, int blocklistPartitions, int allowlistPartitions,
                      BlocklistView view, MeterRegistry metrics) {
        super(ConsumerLoop.groupless(consumerProps), "blocklist", metrics);
        this.blocklist = blocklist;
        this.allowlist = allowlist;
        this.view = view;
        this.metrics = metrics;
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < blocklistPartitions; p++) {
            partitions.add(new TopicPartition(blocklist.name(), p));
        }
        for (int p = 0; p < allowlistPartitions; p++) {
            partitions.add(new TopicPartition(allowlist.name(), p));
        }
        this.sources = List.copyOf(partitions);
    }

    @Override
    protected void begin() {
        consumer.assign(sources);
        consumer.seekToBeginning(sources);
        loadedAt = consumer.endOffsets(sources);
    }

    @Override
    protected void pollOnce() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            apply(record);
        }
        for (int source = 0; source < sources.size(); source++) {
            view.advance(source, consumer.position(sources.get(source)));
        }
        if (!view.loaded() && sources.stream().allMatch(tp -> consumer.position(tp) >= loadedAt.get(tp))) {
            view.markLoaded();
            log.info("blocklist loaded: {} entries visible to partners", view.size());
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(blocklist.name())) {
                BlocklistEntry entry = record.value() == null ? null
                        : blocklist.valueSerde().deserializer().deserialize(record.topic(), record.value());
                view.applyBlocklist(record.partition(), record.offset(), record.key(), entry);
            } else {
                AllowlistEntry entry = record.value() == null ? null
                        : allowlist.valueSerde().deserializer().deserialize(record.topic(), record.value());
                view.applyAllowlist(record.partition(), record.offset(), record.key(), entry);
            }
        } catch (RuntimeException e) {
            // Counted, not dead-lettered: this reader has no consumer group and reads the compacted topics from
            // the beginning at every start, in every instance, so it would dead-letter the same record again and
            // again. The sink cannot fix the record; the rest of the list must still reach partners.
            ConsumerMetrics.undecodable(metrics, "blocklist", record.topic());
            log.error("cannot decode {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public Status check() {
        return view.loaded() ? Status.up(view.size() + " entries") : Status.down("still loading the blocklist");
    }
}
