package vn.bhxh.shield.processor;

import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.topic.Topics;

/**
 * Reads operators' decisions from {@code bhxh.decisions.v1}. Every writer (the dashboard, appeal review, the
 * {@code Decide} tool) keys a decision by the canonical form of its indicator, which is what co-partitions it with
 * the indicator records; the processor reads it where it lies, without a repartition. A decision whose indicator
 * cannot be understood, or that is not keyed by its canonical indicator (so it may sit in another task's
 * partition), is a VALIDATION dead letter, to be re-sent under the right key.
 */
public final class DecisionIntakeFlow {

    private DecisionIntakeFlow() {
    }

    static KStream<String, IndicatorInput> buildTopology(StreamsBuilder builder, Topics topics,
                                                         ProcessorMetrics metrics) {
        Normaliser normaliser = new Normaliser();
        KStream<String, Decoded<IndicatorInput>> checked =
                Intake.decoded(builder, topics.decisions(), "decisions", topics, metrics).processValues(
                        () -> new ValidateProcessor<>(topics.decisions(),
                                (key, decision) -> check(key, decision, normaliser)),
                        Named.as("validate-decisions"));
        return Intake.usable(checked, "invalid-decisions", topics, metrics);
    }

    static Verdict<IndicatorInput> check(String key, Decision decision, Normaliser normaliser) {
        Optional<Indicator> indicator = Indicator.parseKey(decision.getIndicator())
                .or(() -> normaliser.any(decision.getIndicator()).accepted());
        if (indicator.isEmpty()) {
            return Verdict.invalid("decision " + decision.getDecisionId() + " is about '" + decision.getIndicator()
                    + "', which is not an indicator");
        }
        String canonical = indicator.get().key();
        if (!canonical.equals(key)) {
            return Verdict.invalid("decision " + decision.getDecisionId() + " is keyed by '" + key
                    + "', not by its canonical indicator '" + canonical + "'");
        }
        return Verdict.valid(new IndicatorInput.DecisionTaken(decision));
    }
}
