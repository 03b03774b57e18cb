package vn.bhxh.shield.ingest.intake;

import java.time.Instant;
import java.util.List;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ContactMethod;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * A report that passed validation, still carrying the reporter's raw id: it never leaves ingest in this form.
 * {@code indicators} are the distinct canonical indicators of the lists, in order: only what the reporter or the
 * operator put there (or ingest took from a fanpage message, which is the report), never numbers the notes mention.
 */
public record ValidReport(Channel channel, String reporterId, String province, ContactMethod contactMethod,
                          List<String> phoneNumbers, List<String> urls, List<String> accounts,
                          List<ScamRequest> requested, long amountLostVnd, String notes, Instant occurredAt,
                          String sourceReference, List<Indicator> indicators) {
}
