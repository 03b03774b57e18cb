package vn.bhxh.shield.lookup;

import java.time.Instant;
import java.util.List;

/**
 * The reports behind one indicator, for the police: served by the stream-processor's lookup API
 * ({@code GET /api/v1/indicators/{indicator}/evidence} on port 8083) and exported from the national board as CSV or
 * JSON with its SHA-256. Pseudonymised and redacted as ingest wrote them: no reporter's number, name or ID number,
 * only the reporter's keyed pseudonym. JSON, field names as here; times are ISO-8601 instants.
 *
 * @param indicator canonical key
 * @param display   the form people read
 * @param reports   the reports that named it, oldest first (by event time)
 * @param truncated whether older reports exist that the processor no longer keeps (it keeps a bounded number per
 *                  indicator, for a bounded time)
 */
public record IndicatorEvidence(String indicator, String display, List<ReportEvidence> reports, boolean truncated) {

    /**
     * One report as the police see it.
     *
     * @param reportId          the receipt id ingest gave the report (BHXH can find the call or message from it)
     * @param occurredAt        when the scammer made contact, null if unknown
     * @param receivedAt        when ingest accepted the report
     * @param province          province slug of the citizen, null when the channel does not say
     * @param channel           HOTLINE, FANPAGE or POLICE
     * @param contactMethod     how the scammer reached the citizen, null if unknown
     * @param requested         what the scammer asked for (OTP, PASSWORD, MONEY_TRANSFER, ...)
     * @param amountLostVnd     money lost, in đồng
     * @param notes             the notes as redacted by ingest, null if none
     * @param submittedBy       the account that entered it (operator account, fanpage page id, police unit)
     * @param reporterPseudonym the reporter's keyed pseudonym: the same citizen across reports, never who
     * @param coIndicators      the other indicators named in the same report
     */
    public record ReportEvidence(String reportId, Instant occurredAt, Instant receivedAt, String province,
                                 String channel, String contactMethod, List<String> requested, long amountLostVnd,
                                 String notes, String submittedBy, String reporterPseudonym,
                                 List<String> coIndicators) {
    }
}
