package vn.bhxh.shield.processor;

import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.IndicatorEvent;

/**
 * What happens to one indicator: a report names it (ingest's per-indicator record), or a person decides about it.
 * Both topics are keyed by the canonical indicator and co-partitioned, so one task owns everything about an
 * indicator without a repartition.
 */
sealed interface IndicatorInput {

    record ReportSeen(IndicatorEvent event) implements IndicatorInput {
    }

    record DecisionTaken(Decision decision) implements IndicatorInput {
    }
}
