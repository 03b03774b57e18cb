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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Feeds the {@link AlertBoard}: every alert topic and the decisions topic from {@code replay} ago (found with
 * offsetsForTimes), then live. No consumer group: each sink instance shows the whole recent history, so a
 * reopened dashboard sees the last days without the sink storing anything itself.
 */
final class BoardFollower extends ConsumerLoop<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(BoardFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Topic<String, Alert> alerts;
    private final Topic<String, Decision> decisions;
    private final AlertBoard board;
    private final Duration replay;
    private final MeterRegistry metrics;

    BoardFollower(Map<String, Object> consumerProps, Topic<String, Alert> alerts, Topic<String, Decision> decisions,
                  AlertBoard board, Duration replay, MeterRegistry metrics) {
        super(ConsumerLoop.groupless(consumerProps), "board", metrics);
        this.alerts = alerts;
        this.decisions = decisions;
        this.board = board;
        this.replay = replay;
        this.metrics = metrics;
    }

    @Override
    protected void begin() {
        List<TopicPartition> partitions = Topics.specs().stream()
                .filter(spec -> Topics.ALL_ALERTS.matcher(spec.name()).matches()
                        || spec.name().equals(Topics.DECISIONS))
                .flatMap(spec -> IntStream.range(0, spec.partitions())
                        .mapToObj(p -> new TopicPartition(spec.name(), p)))
                .toList();
        consumer.assign(partitions);
        long since = Instant.now().minus(replay).toEpochMilli();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp start = starts.get(tp);
            if (start == null) {
                consumer.seekToEnd(List.of(tp)); // nothing that recent
            } else {
                consumer.seek(tp, start.offset());
            }
        }
    }

    @Override
    protected void pollOnce() {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
            apply(record);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            if (record.topic().equals(decisions.name())) {
                board.apply(decisions.valueSerde().deserializer().deserialize(record.topic(), record.value()));
            } else {
                board.add(record.topic(), alerts.valueSerde().deserializer().deserialize(record.topic(),
                        record.value()));
            }
        } catch (RuntimeException e) {
            // Counted, not dead-lettered: the alert consumer dead-letters undecodable alerts, and the processor
            // undecodable decisions, once per consumer group; this reader has no group and replays days of history
            // at every start, in every instance, so it would write the same dead letter again and again.
            ConsumerMetrics.undecodable(metrics, "board", record.topic());
            log.warn("not shown on dashboards: {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }
}
