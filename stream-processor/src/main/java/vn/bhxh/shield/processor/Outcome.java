package vn.bhxh.shield.processor;

import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.DeadLetter;

/** What the indicator processor emits; {@link IndicatorFlow} routes each kind to its topic. */
sealed interface Outcome {

    /** An alert for one topic: a province's or the national one. */
    record AlertRaised(String topic, Alert alert) implements Outcome {
    }

    /** The indicator's blocklist entry; null lifts the listing (a tombstone). */
    record BlocklistChanged(BlocklistEntry entry) implements Outcome {
    }

    /** The indicator's allowlist entry; null removes it from the allowlist (a tombstone). */
    record Allowlisted(AllowlistEntry entry) implements Outcome {
    }

    record Rejected(DeadLetter letter) implements Outcome {
    }
}
