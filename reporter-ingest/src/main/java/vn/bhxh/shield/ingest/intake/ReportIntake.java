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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.ingest.security.ReporterPseudonymiser;
import vn.bhxh.shield.runtime.CorrelationId;
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

    /**
     * Writes the outcome's reports (if any); the future completes with its answer once they are committed. Without an
     * Idempotency-Key ({@code idempotencyKey} null or blank) nothing is remembered; with one, the write happens once
     * per key: a retry with the same body gets the stored answer and writes nothing, the same key with another body
     * is refused ({@link IdempotencyKeyReusedException}). Rejected requests (no reports) are not remembered, so they
     * can be corrected. Problems of the request itself ({@code work} throwing) fail the future too.
     *
     * @param scope a name for the caller and endpoint, so two clients' keys never meet
     */
    public CompletableFuture<Outcome> submit(String scope, String idempotencyKey, byte[] body, Supplier<Outcome> work) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return attempt(() -> {
                Outcome outcome = work.get();
                return outcome.reports().isEmpty() ? CompletableFuture.completedFuture(outcome)
                        : publish(outcome.reports(), Map.of()).thenApply(committed -> outcome);
            });
        }
        if (!ledger.ready()) {
            return CompletableFuture.failedFuture(
                    new KafkaUnavailableException("idempotency ledger still loading", null));
        }
        String key = sha256(scope + "\n" + idempotencyKey.strip());
        String requestHash = Hashing.sha256().hashBytes(body).toString();
        return ledger.once(key, () -> {
            Optional<StoredReply> earlier = ledger.find(key);
            if (earlier.isPresent()) {
                if (!earlier.get().requestHash().equals(requestHash)) {
                    throw new IdempotencyKeyReusedException();
                }
                return CompletableFuture.completedFuture(
                        new Outcome(List.of(), earlier.get().status(), earlier.get().body()));
            }
            Outcome outcome = work.get();
            if (outcome.reports().isEmpty()) {
                return CompletableFuture.completedFuture(outcome);
            }
            StoredReply reply = new StoredReply(requestHash, outcome.status(), outcome.body());
            return publish(outcome.reports(), Map.of(key, IdempotencyLedger.encode(reply))).thenApply(committed -> {
                ledger.remember(key, reply);
                return outcome;
            });
        });
    }

    private static <T> CompletableFuture<T> attempt(Supplier<CompletableFuture<T>> attempt) {
        try {
            return attempt.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
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
                publisher.publish(fresh, records);
                replies.forEach(ledger::remember);
                logWritten(fresh);
            }
            return fresh;
        } finally {
            Lists.reverse(held).forEach(Lock::unlock);
        }
    }

    /**
     * Writes; once committed, says what was written (see {@link #logWritten}) beside the reply's chain, not in it:
     * the answer does not wait for the log line.
     */
    private CompletableFuture<Void> publish(List<Report> reports, Map<String, String> idempotencyRecords) {
        CompletableFuture<Void> written = publisher.write(reports, idempotencyRecords);
        written.thenRun(() -> logWritten(reports));
        return written;
    }

    /**
     * A line per report written: ids, channel and counts only, never the reporter nor the notes; with the request's
     * correlation id, so a report can be followed through the logs. For the HTTP endpoints it is written by the
     * thread that completes the commit, not by the request's.
     */
    @SuppressWarnings("try") // the MDC scope is used by being open
    private static void logWritten(List<Report> reports) {
        for (Report report : reports) {
            try (var logs = CorrelationId.inLogs(report.getCorrelationId())) {
                log.info("report {} written: {}, province {}, {} identifiers", report.getReportId(),
                        report.getChannel(), report.getProvince(), report.getPhoneNumbers().size()
                                + report.getUrls().size() + report.getAccounts().size());
            }
        }
    }

    private static String sha256(String text) {
        return Hashing.sha256().hashString(text, StandardCharsets.UTF_8).toString();
    }
}
