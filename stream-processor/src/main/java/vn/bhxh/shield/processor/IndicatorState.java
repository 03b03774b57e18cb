package vn.bhxh.shield.processor;

import java.util.ArrayList;
import java.util.List;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.schema.BlocklistStatus;

/**
 * Everything the processor knows about one indicator, the value of the {@value IndicatorProcessor#STORE} store.
 * Mutable on purpose: the processor is its only writer and loads, changes and stores it within one record.
 * Times are epoch millis; sightings and first/last seen are event time, the rest wall-clock or decision time.
 */
final class IndicatorState {

    /**
     * Recent sightings, merged per reporter, channel, province and hour (see {@link Sighting}) so that their number
     * grows with the people reporting, not with the reports; pruned past the widest window plus grace, and capped
     * at the newest {@link Rules#maxSightings()}.
     */
    List<Sighting> sightings = new ArrayList<>();
    /** A few notes from the reports, newest last, capped in number and length; never the reporter. */
    List<String> sampleNotes = new ArrayList<>();
    Long firstSeen;
    Long lastSeen;
    /** Non-null while on the blocklist. */
    Listing listing;
    /** End of the short window that last raised a WARNING: the next one needs a window after it. */
    Long warnedUpTo;
    /** Event time of the last OFFICIAL_CHANNEL_SPOOFED alert. */
    Long spoofAlertedAt;
    /** When an operator last delisted it: crowd reports cannot re-list it until the guard has passed. */
    Long delistedAt;
    /** Allowlisted by an ALLOWLIST decision (the allowlist topic may not have caught up yet). */
    boolean official;
    /** Who listed, confirmed, renewed, delisted, acknowledged it, oldest first, capped. */
    List<IndicatorStatus.AuditStep> audit = new ArrayList<>();

    record Listing(BlocklistStatus status, String reason, long listedAt, long expiresAt) {
    }

    private static final int AUDIT_KEPT = 50;

    /**
     * Adds a sighting. Past {@code max} sightings the one seen longest ago goes: every report of a number reported
     * by thousands of people then costs the same as any other (the whole list is read and written per report),
     * while the counts of an indicator's alerts and entry stop growing at what {@code max} sightings hold.
     */
    void see(Sighting sighting, int max) {
        touch(sighting.last());
        for (int i = 0; i < sightings.size(); i++) {
            if (sightings.get(i).mergesWith(sighting)) {
                sightings.set(i, sightings.get(i).merge(sighting));
                return;
            }
        }
        sightings.add(sighting);
        if (sightings.size() > max) {
            int oldest = 0;
            for (int i = 1; i < sightings.size(); i++) {
                if (sightings.get(i).last() < sightings.get(oldest).last()) {
                    oldest = i;
                }
            }
            sightings.remove(oldest);
        }
    }

    void touch(long eventTime) {
        firstSeen = firstSeen == null ? eventTime : Math.min(firstSeen, eventTime);
        lastSeen = lastSeen == null ? eventTime : Math.max(lastSeen, eventTime);
    }

    void keepNote(String note, Rules rules) {
        if (note == null || note.isBlank() || sampleNotes.contains(note.strip())) {
            return;
        }
        String stripped = note.strip();
        sampleNotes.add(stripped.length() <= rules.sampleNoteChars()
                ? stripped : stripped.substring(0, rules.sampleNoteChars() - 1) + "…");
        while (sampleNotes.size() > rules.sampleNotes()) {
            sampleNotes.remove(0);
        }
    }

    void prune(long horizon) {
        sightings.removeIf(sighting -> sighting.last() < horizon);
    }

    void audit(IndicatorStatus.AuditStep step) {
        audit.add(step);
        while (audit.size() > AUDIT_KEPT) {
            audit.remove(0);
        }
    }

    boolean isGuarded(long at, Rules rules) {
        return delistedAt != null && at < delistedAt + rules.delistGuard().toMillis();
    }

    /** Nothing left worth keeping: no listing, no guard, not official, no sighting that can still count. */
    boolean isForgettable(long horizon, long now, Rules rules) {
        return listing == null && !official && !isGuarded(now, rules)
                && (lastSeen == null || lastSeen < horizon);
    }
}
