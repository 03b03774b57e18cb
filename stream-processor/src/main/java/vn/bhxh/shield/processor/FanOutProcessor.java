package vn.bhxh.shield.processor;

import java.util.List;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards each {@link IndicatorInput.Routed} as its own record keyed by indicator and timestamped with its event
 * time, so that the repartition topic, and so the stream time of the indicator tasks, run on event time.
 */
final class FanOutProcessor extends ContextualProcessor<String, List<IndicatorInput.Routed>, String, IndicatorInput> {

    @Override
    public void process(Record<String, List<IndicatorInput.Routed>> record) {
        for (IndicatorInput.Routed routed : record.value()) {
            context().forward(record.withKey(routed.indicator()).withValue(routed.input())
                    .withTimestamp(routed.eventTime()));
        }
    }
}
