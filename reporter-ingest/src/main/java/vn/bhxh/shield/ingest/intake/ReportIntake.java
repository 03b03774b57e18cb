package vn.bhxh.shield.ingest.intake;

import com.google.common.collect.Lists;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.ingest.security.ReporterPseudonymiser;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;

/**
 * Turns validated reports into events and writes them, at most once per Idempotency-Key. The reporter's raw id
 * and the personal data in the notes stop here: only the pseudonym and the redacted notes go into the
 * {@link Report}.
 */
public final class ReportIntake {

    private static final Logger log = LoggerFactory.getLogger(ReportIntake.class);

    /** What a request produced: the events to write and the answer to give once they are written. */
    public record Outcome(List<Report> reports, int status, String body) {
    }

    private final ReportPublisher publisher;
    private final IdempotencyLedger ledger;
    private final ReporterPseudonymiser pseudonymiser;
    private final NoteRedaction redaction;
    private final Clock clock;

    public ReportIntake(ReportPublisher publisher, IdempotencyLedger ledger, ReporterPseudonymiser pseudonymiser,
                        NoteRedaction redaction, Clock clock) {
        this.publisher = publisher;
        this.ledger = ledger;
        this.pseudonymiser = pseudonymiser;
        this.redaction = redaction;
        this.clock = clock;
    }

    /** The pseudonym a reporter gets in every report: for ids that must be derived from the reporter elsewhere. */
    public String pseudonym(Channel channel, String reporterId) {
        return pseudonymiser.pseudonym(channel, reporterId);
    }

    /**
     * The event of a valid report: the reporter pseudonymised, the notes redacted (only the report's indicators
     * stay readable in them).
     *
     * @param submittedBy the authenticated source: an operator's or police unit's account, a fanpage's page id
     */
    public Report toEvent(ValidReport valid, String submittedBy, String correlationId) {
        return Report.newBuilder()
                .setReportId(UUID.randomUUID().toString())
                .setChannel(valid.channel())
                .setReporterPseudonym(pseudonymiser.pseudonym(valid.channel(), valid.reporterId()))
                .setProvince(valid.province())
                .setContactMethod(valid.contactMethod())
                .setPhoneNumbers(valid.phoneNumbers())
                .setUrls(valid.urls())
                .setAccounts(valid.accounts())
                .setRequested(valid.requested())
                .setAmountLostVnd(valid.amountLostVnd())
                .setNotes(redaction.redact(valid.notes(),
                        valid.indicators().stream().map(Indicator::key).collect(Collectors.toSet())))
                .setOccurredAt(valid.occurredAt())
                .setReceivedAt(clock.instant())
                .setSubmittedBy(submittedBy)
                .setSourceReference(valid.sourceReference())
                .setCorrelationId(correlationId)
                .build();
    }

    /** Writes the outcome's reports (if any) and returns its answer; nothing is remembered for a request without key. */
    public Outcome submit(Supplier<Outcome> work) {
        Outcome outcome = work.get();
        if (!outcome.reports().isEmpty()) {
            publish(outcome.reports(), Map.of());
        }
        return outcome;
    }

    /**
     * The same, once per key: a retry with the same body gets the stored answer and writes nothing; the same key
     * with another body is refused. Rejected requests (no reports) are not remembered, so they can be corrected.
     *
     * @param scope a name for the caller and endpoint, so two clients' keys never meet
     */
    public Outcome submitOnce(String scope, String idempotencyKey, byte[] body, Supplier<Outcome> work) {
        if (!ledger.ready()) {
            throw new KafkaUnavailableException("idempotency ledger still loading", null);
        }
        String key = sha256(scope + "\n" + idempotencyKey);
        String requestHash = Hashing.sha256().hashBytes(body).toString();
        Lock lock = ledger.lockFor(key);
        lock.lock();
        try {
            Optional<StoredReply> earlier = ledger.find(key);
            if (earlier.isPresent()) {
                if (!earlier.get().requestHash().equals(requestHash)) {
                    throw new IdempotencyKeyReusedException();
                }
                return new Outcome(List.of(), earlier.get().status(), earlier.get().body());
            }
            Outcome outcome = work.get();
            if (!outcome.reports().isEmpty()) {
                StoredReply reply = new StoredReply(requestHash, outcome.status(), outcome.body());
                publish(outcome.reports(), Map.of(key, IdempotencyLedger.encode(reply)));
                ledger.remember(key, reply);
            }
            return outcome;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Several independent events, each written at most once per its own id (a fanpage message id, which Facebook
     * re-sends until it gets a 200), all in one transaction. Returns the ones written now. The ids' keys are held
     * until the ledger remembers them: a platform that re-sends while the first delivery is still being written
     * (Zalo waits two seconds) gets nothing written twice.
     */
    public List<Report> submitEachOnce(String scope, Map<String, Report> byId) {
        if (!ledger.ready()) {
            throw new KafkaUnavailableException("idempotency ledger still loading", null);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        byId.keySet().forEach(id -> keys.put(id, sha256(scope + "\n" + id)));
        List<Lock> held = ledger.locksFor(keys.values());
        held.forEach(Lock::lock);
        try {
            Map<String, StoredReply> replies = new LinkedHashMap<>();
            List<Report> fresh = new ArrayList<>();
            byId.forEach((id, report) -> {
                String key = keys.get(id);
                if (ledger.find(key).isEmpty()) {
                    replies.put(key, new StoredReply(sha256(id), 200, report.getReportId()));
                    fresh.add(report);
                }
            });
            if (!fresh.isEmpty()) {
                Map<String, String> records = new LinkedHashMap<>();
                replies.forEach((key, reply) -> records.put(key, IdempotencyLedger.encode(reply)));
                publish(fresh, records);
                replies.forEach(ledger::remember);
            }
            return fresh;
        } finally {
            Lists.reverse(held).forEach(Lock::unlock);
        }
    }

    /** Writes, then says what was written: ids, channel and counts only, never the reporter nor the notes. */
    private void publish(List<Report> reports, Map<String, String> idempotencyRecords) {
        publisher.publish(reports, idempotencyRecords);
        for (Report report : reports) {
            log.info("report {} written: {}, province {}, {} identifiers", report.getReportId(), report.getChannel(),
                    report.getProvince(), report.getPhoneNumbers().size() + report.getUrls().size()
                            + report.getAccounts().size());
        }
    }

    private static String sha256(String text) {
        return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
    }
}
