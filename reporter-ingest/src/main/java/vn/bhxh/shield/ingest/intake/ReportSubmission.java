package vn.bhxh.shield.ingest.intake;

import java.util.List;

/**
 * The JSON body of {@code POST /api/v1/reports} and {@code POST /api/v1/validate}, as typed by a person or sent
 * by a client: nothing here is trusted until {@link ReportValidator} has read it.
 */
public record ReportSubmission(String channel, String reporterId, String province, String contactMethod,
                               List<String> phoneNumbers, List<String> urls, List<String> accounts,
                               List<String> requested, Long amountLostVnd, String notes, String occurredAt,
                               String sourceReference) {

    public ReportSubmission {
        phoneNumbers = phoneNumbers == null ? List.of() : phoneNumbers;
        urls = urls == null ? List.of() : urls;
        accounts = accounts == null ? List.of() : accounts;
        requested = requested == null ? List.of() : requested;
    }
}
