package vn.bhxh.shield.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.ListingReason;

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
    /** Non-null while crowd evidence awaits an officer's decision. */
    Proposal proposal;
    /** End of the short window that last raised a WARNING: the next one needs a window after it. */
    Long warnedUpTo;
    /** Event time of the last OFFICIAL_CHANNEL_SPOOFED alert. */
    Long spoofAlertedAt;
    /** When an operator last delisted it: crowd reports cannot re-list it until the guard has passed. */
    Long delistedAt;
    /** When an officer last rejected its proposal. */
    Long rejectedAt;
    /** The submitting accounts seen before that rejection: only another one can propose it again in the guard. */
    Set<String> accountsAtRejection = new TreeSet<>();
    /** Allowlisted by an ALLOWLIST decision (the allowlist topic may not have caught up yet). */
    boolean official;
    /**
     * When an UNALLOWLIST decision removed it from the allowlist: an allowlist entry added before then (the seed
     * file, written again at every start) no longer makes it official.
     */
    Long unallowlistedAt;
    /** Every province that ever reported it (sightings are pruned): who may decide about it. Slugs, sorted. */
    Set<String> provincesEver = new TreeSet<>();
    /** Every submitting account that ever reported it, capped at {@value #ACCOUNTS_KEPT}. */
    Set<String> accountsEver = new TreeSet<>();
    /** Who listed, confirmed, renewed, delisted, acknowledged it, oldest first, capped. */
    List<IndicatorStatus.AuditStep> audit = new ArrayList<>();
    /**
     * The wall-clock time under which the processor's due index holds this indicator, null when it is not
     * indexed. Bookkeeping of the shell ({@link IndicatorProcessor}), not of the rules.
     */
    Long indexedAt;
    /**
     * Its blocklist entry on the topic was written in an older form (with the audit trail): the upgrade sweep
     * sends it again in the current form, once.
     */
    boolean entryInOldForm;

    /**
     * @param reasonCode why, as partners see it; the people and references behind it are in the audit only
     */
    record Listing(BlocklistStatus status, ListingReason reasonCode, long listedAt, long expiresAt) {
    }

    /**
     * @param proposedAt wall-clock time it was proposed (escalation and "overdue" count from it)
     * @param windowEnd  end of the short window whose evidence proposed it
     * @param escalated  whether the national board has been told it is overdue
     */
    record Proposal(long proposedAt, long windowEnd, boolean escalated) {
    }

    static final int ACCOUNTS_KEPT = 1_000;
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

    /** Another indicator state with the same content, to change without changing this one. */
    IndicatorState copy() {
        IndicatorState copy = new IndicatorState();
        copy.sightings = new ArrayList<>(sightings);
        copy.sampleNotes = new ArrayList<>(sampleNotes);
        copy.firstSeen = firstSeen;
        copy.lastSeen = lastSeen;
        copy.listing = listing;
        copy.proposal = proposal;
        copy.warnedUpTo = warnedUpTo;
        copy.spoofAlertedAt = spoofAlertedAt;
        copy.delistedAt = delistedAt;
        copy.rejectedAt = rejectedAt;
        copy.accountsAtRejection = new TreeSet<>(accountsAtRejection);
        copy.official = official;
        copy.unallowlistedAt = unallowlistedAt;
        copy.provincesEver = new TreeSet<>(provincesEver);
        copy.accountsEver = new TreeSet<>(accountsEver);
        copy.audit = new ArrayList<>(audit);
        copy.indexedAt = indexedAt;
        copy.entryInOldForm = entryInOldForm;
        return copy;
    }

    /**
     * Same content: a record that leaves its indicator's state equal to what was loaded changes nothing, and
     * {@link IndicatorStateCache} writes nothing for it (no RocksDB put, no changelog record). Every field counts;
     * the cheap ones are compared first, the sightings last.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof IndicatorState that
                && official == that.official && entryInOldForm == that.entryInOldForm
                && Objects.equals(lastSeen, that.lastSeen) && Objects.equals(firstSeen, that.firstSeen)
                && Objects.equals(indexedAt, that.indexedAt) && Objects.equals(listing, that.listing)
                && Objects.equals(proposal, that.proposal) && Objects.equals(warnedUpTo, that.warnedUpTo)
                && Objects.equals(spoofAlertedAt, that.spoofAlertedAt) && Objects.equals(delistedAt, that.delistedAt)
                && Objects.equals(rejectedAt, that.rejectedAt)
                && Objects.equals(unallowlistedAt, that.unallowlistedAt)
                && sightings.size() == that.sightings.size() && audit.size() == that.audit.size()
                && accountsEver.size() == that.accountsEver.size()
                && provincesEver.equals(that.provincesEver) && accountsAtRejection.equals(that.accountsAtRejection)
                && sampleNotes.equals(that.sampleNotes) && audit.equals(that.audit)
                && accountsEver.equals(that.accountsEver) && sightings.equals(that.sightings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lastSeen, firstSeen, listing, proposal, sightings.size());
    }

    /** Remembers where a report came from, beyond the sightings' horizon. */
    void remember(String province, String account) {
        if (province != null) {
            provincesEver.add(province);
        }
        if (account != null && accountsEver.size() < ACCOUNTS_KEPT) {
            accountsEver.add(account);
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

    boolean isDelistGuarded(long at, Rules rules) {
        return delistedAt != null && at < delistedAt + rules.delistGuard().toMillis();
    }

    boolean isRejectGuarded(long at, Rules rules) {
        return rejectedAt != null && at < rejectedAt + rules.review().rejectGuard().toMillis();
    }

    /**
     * Nothing left worth keeping: no listing, proposal or guard, not official or unallowlisted, no sighting that can
     * still count.
     */
    boolean isForgettable(long horizon, long now, Rules rules) {
        return listing == null && proposal == null && !official && unallowlistedAt == null
                && !isDelistGuarded(now, rules) && !isRejectGuarded(now, rules)
                && (lastSeen == null || lastSeen < horizon);
    }
}
