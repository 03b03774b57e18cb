package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Feeds the {@link AlertBoard}: every alert topic and the decisions topic from {@code replay} ago (found with
 * offsetsForTimes), then live. No consumer group: each sink instance shows the whole recent history, so a
 * reopened dashboard sees the last days without the sink storing anything itself.
 */
final class BoardFollower extends Follower {

    private final Topic<String, Alert> alerts;
    private final Topic<String, Decision> decisions;
    private final AlertBoard board;
    private final Duration replay;

    BoardFollower(Map<String, Object> consumerProps, Topic<String, Alert> alerts, Topic<String, Decision> decisions,
                  AlertBoard board, Duration replay, Backoff backoff, MeterRegistry metrics) {
        super("board", consumerProps, boardSources(), backoff, metrics);
        this.alerts = alerts;
        this.decisions = decisions;
        this.board = board;
        this.replay = replay;
    }

    private static List<TopicPartition> boardSources() {
        return Topics.specs().stream()
                .filter(spec -> Topics.ALL_ALERTS.matcher(spec.name()).matches()
                        || spec.name().equals(Topics.DECISIONS))
                .flatMap(spec -> IntStream.range(0, spec.partitions())
                        .mapToObj(p -> new TopicPartition(spec.name(), p)))
                .toList();
    }

    @Override
    protected void seekForFirstRun() {
        long since = Instant.now().minus(replay).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        sources().forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
        for (TopicPartition tp : sources()) {
            OffsetAndTimestamp start = starts.get(tp);
            if (start == null) {
                consumer.seekToEnd(List.of(tp)); // nothing that recent
            } else {
                consumer.seek(tp, start.offset());
            }
        }
    }

    @Override
    protected void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        if (record.topic().equals(decisions.name())) {
            board.apply(decisions.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        } else {
            board.add(record.topic(), alerts.valueSerde().deserializer().deserialize(record.topic(), record.value()));
        }
    }
}
