package vn.bhxh.shield.processor;

import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads operators' decisions from {@code bhxh.decisions.v1} and keys each by the canonical form of its indicator
 * (a dashboard may send what a person typed); a decision whose indicator cannot be understood is a VALIDATION
 * dead letter.
 */
public final class DecisionIntakeFlow {

    private DecisionIntakeFlow() {
    }

    static KStream<String, IndicatorInput> buildTopology(StreamsBuilder builder, Topics topics,
                                                         ProcessorMetrics metrics) {
        Normaliser normaliser = new Normaliser();
        KStream<String, Decoded<List<IndicatorInput.Routed>>> checked =
                Intake.decoded(builder, topics.decisions(), "decisions", topics, metrics).processValues(
                        () -> new ValidateProcessor<>(topics.decisions(), decision -> route(decision, normaliser)),
                        Named.as("validate-decisions"));
        return Intake.usable(checked, "invalid-decisions", topics, metrics)
                .process(FanOutProcessor::new, Named.as("key-decisions-by-indicator"));
    }

    static Verdict<List<IndicatorInput.Routed>> route(Decision decision, Normaliser normaliser) {
        return Indicator.parseKey(decision.getIndicator())
                .or(() -> normaliser.any(decision.getIndicator()).accepted())
                .<Verdict<List<IndicatorInput.Routed>>>map(indicator -> Verdict.valid(List.of(new IndicatorInput.Routed(
                        indicator.key(), new IndicatorInput.DecisionTaken(decision),
                        decision.getDecidedAt().toEpochMilli()))))
                .orElseGet(() -> Verdict.invalid("decision " + decision.getDecisionId()
                        + " is about '" + decision.getIndicator() + "', which is not an indicator"));
    }
}
