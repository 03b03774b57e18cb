package vn.bhxh.shield.processor;

import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.Report;

/**
 * What happens to one indicator: a report names it, or a person decides about it. Both travel through the same
 * repartition topic keyed by indicator, so one task owns everything about an indicator and one repartition
 * suffices for the whole topology.
 */
sealed interface IndicatorInput {

    record ReportSeen(Report report) implements IndicatorInput {
    }

    record DecisionTaken(Decision decision) implements IndicatorInput {
    }

    /** One input re-keyed by its canonical indicator, stamped with its event time. */
    record Routed(String indicator, IndicatorInput input, long eventTime) {
    }
}
