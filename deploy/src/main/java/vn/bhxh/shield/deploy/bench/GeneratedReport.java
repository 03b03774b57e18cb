package vn.bhxh.shield.deploy.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ContactMethod;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.runtime.JsonMappers;

/**
 * One report as a person would submit it: identifiers and province written loosely. {@code intendedKeys} are the
 * canonical keys the writer meant (empty for a malformed report, whose identifiers no normaliser accepts).
 */
public record GeneratedReport(Channel channel, String reporterId, String province, ContactMethod contactMethod,
                              List<String> phoneNumbers, List<String> urls, List<ScamRequest> requested,
                              String notes, Instant occurredAt, boolean late, List<String> intendedKeys) {

    private static final ObjectMapper JSON = JsonMappers.create();
    // Vietnam time, as the operator form sends it.
    private static final ZoneOffset VIETNAM = ZoneOffset.ofHours(7);

    public boolean malformed() {
        return intendedKeys.isEmpty();
    }

    /** The event ingest would have written for it; {@code reporterId} stands in for the keyed pseudonym. */
    public Report toAvro(String reportId, Instant receivedAt) {
        return Report.newBuilder()
                .setReportId(reportId)
                .setChannel(channel)
                .setReporterPseudonym("bench-" + Integer.toHexString(reporterId.hashCode()))
                .setProvince(province)
                .setContactMethod(contactMethod)
                .setPhoneNumbers(phoneNumbers)
                .setUrls(urls)
                .setRequested(requested)
                .setNotes(notes)
                .setOccurredAt(occurredAt)
                .setReceivedAt(receivedAt)
                .setSubmittedBy("benchmark")
                .setSourceReference(reportId)
                .build();
    }

    /** The body of {@code POST /api/v1/reports}. */
    public String toJson(String sourceReference) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("channel", channel.name());
        body.put("reporterId", reporterId);
        body.put("province", province);
        body.put("contactMethod", contactMethod.name());
        body.put("phoneNumbers", phoneNumbers);
        body.put("urls", urls);
        body.put("requested", requested.stream().map(Enum::name).toList());
        body.put("notes", notes);
        body.put("occurredAt", occurredAt.atOffset(VIETNAM).toString());
        body.put("sourceReference", sourceReference);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
