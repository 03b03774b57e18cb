package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.topic.Topic;

/**
 * Reads the compacted {@code bhxh.trends.v1} from its beginning into the {@link WeeklyTrendBook}, then follows it;
 * read_committed, so only counts of committed processor transactions are shown. No consumer group: every instance
 * serves the national board and the metrics.
 */
final class TrendFollower extends Follower {

    private final Deserializer<WeeklyTrend> trends;
    private final WeeklyTrendBook book;

    TrendFollower(Map<String, Object> consumerProps, Topic<String, WeeklyTrend> topic, List<TopicPartition> sources,
                  WeeklyTrendBook book, Backoff backoff, MeterRegistry metrics) {
        super("trends", consumerProps, sources, backoff, metrics);
        this.trends = topic.valueSerde().deserializer();
        this.book = book;
    }

    @Override
    protected void seekForFirstRun() {
        loadFromBeginning();
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            book.remove(record.key());
        } else {
            book.put(record.key(), trends.deserialize(record.topic(), record.value()));
        }
    }

    @Override
    protected void afterPoll() {
        if (!book.loaded() && loadedAll()) {
            book.markLoaded();
        }
    }
}
