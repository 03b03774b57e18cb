package vn.bhxh.shield.lookup;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the stream-processor knows about one indicator, as served by its lookup API
 * ({@code GET /api/v1/indicators/{indicator}} on port 8083) and read by reporter-ingest (the receipt) and
 * alert-sink (the dashboard's search box). JSON, field names as here; times are ISO-8601 instants.
 *
 * @param indicator canonical key, e.g. {@code tel:+84904038115}
 * @param display   the form people read, e.g. {@code 0904 038 115}
 * @param kind      PHONE, DOMAIN, URL, BANK_ACCOUNT, SOCIAL_ACCOUNT or E_WALLET
 * @param status    {@link Status}
 * @param last24h   counts in the current 24-hour window
 * @param last7d    counts in the current 7-day window
 * @param firstSeen event time of the earliest report, null if never reported
 * @param lastSeen  event time of the latest report, null if never reported
 * @param listedAt  when it was (last) listed, null if not listed
 * @param expiresAt when the listing lapses unless renewed, null if not listed or never expiring
 * @param audit     who proposed, listed, confirmed, rejected, renewed or delisted it, oldest first (internal: names
 *                  officers and police units)
 * @param provinces slugs of every province that ever reported it (sorted): the offices that may decide about it
 * @param submittingAccounts distinct reporters per submitting account (operator account, fanpage page id, police
 *                  unit) in the last 7 days; never the reporters
 * @param reasonCode why it is listed (POLICE_CONFIRMED, OFFICER_CONFIRMED, CROWD_AUTO_LISTED), null if not listed
 * @param proposedAt when crowd evidence proposed it, while the proposal awaits a decision; null otherwise
 * @param escalated  whether that proposal has been escalated to the national board
 * @param burstAccount the submitting account that entered most of the last 7 days' reporters within minutes, if any
 * @param linked    the indicators named together with it in reports (its campaign), most reports first, capped
 */
public record IndicatorStatus(String indicator, String display, String kind, Status status, Counts last24h,
                              Counts last7d, Instant firstSeen, Instant lastSeen, Instant listedAt,
                              Instant expiresAt, List<AuditStep> audit, List<String> provinces,
                              Map<String, Integer> submittingAccounts, String reasonCode, Instant proposedAt,
                              boolean escalated, String burstAccount, List<Linked> linked) {

    public enum Status {
        /** Reported, below the listing thresholds (or never reported). */
        NOT_LISTED,
        /** Crowd evidence reached the listing thresholds: awaiting an officer's confirmation or rejection. */
        PROPOSED,
        /** An officer rejected its proposal; crowd reports cannot propose it again for a while. */
        REJECTED,
        /** On the blocklist from citizens' reports, confirmed by an officer (or auto-listed where enabled). */
        LISTED,
        /** On the blocklist, confirmed by police. */
        CONFIRMED,
        /** Lifted by an operator; crowd reports cannot re-list it for a while. */
        DELISTED,
        /** An official BHXH channel: never blocked; reports of it mean it is being spoofed. */
        OFFICIAL_CHANNEL
    }

    /** Evidence in one window: each reporter counted once; weighted by channel. */
    public record Counts(int reportCount, int distinctReporters, double weightedReporters, List<String> provinces,
                         Map<String, Integer> channelCounts) {
    }

    public record AuditStep(Instant at, String action, String actor, String reason) {
    }

    /**
     * Another indicator named together with this one in reports.
     *
     * @param indicator canonical key
     * @param display   the form people read
     * @param reports   how many reports named both
     * @param since     event time of the first report that named both
     */
    public record Linked(String indicator, String display, int reports, Instant since) {
    }
}
