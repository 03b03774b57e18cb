package vn.bhxh.shield.processor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/**
 * Applies the rules to everything that happens to one indicator: counts its sightings in event-time windows,
 * raises an alert when a level is crossed (once, never on every update), keeps its blocklist entry and obeys
 * operators' decisions.
 * <p>
 * Processor API with one store of recent sightings per indicator rather than DSL windowed aggregations: the rules
 * need distinct reporters (a set per window, not a sum), "crossed once" memory across windows (warnedUpTo,
 * listing), and the listing, decisions and windows of an indicator in one place so they change atomically. A
 * sliding window over a short list of merged sightings gives all of that in one store and one changelog.
 * <p>
 * Late reports: a window ending at {@code e} stays open until stream time passes {@code e + grace}. A report
 * counts in every open window that contains it; one older than stream time minus the 7-day window minus grace
 * can count nowhere: it is ignored and counted in {@code bhxh_processor_reports_too_late} (not dead-lettered: it
 * is valid, and stays in bhxh.reports.v1), except that a police referral still confirms the indicator.
 * <p>
 * What a record causes carries its correlation id (the report's, or the header of a decision): as the
 * {@code bhxh-correlation-id} header of every output record, and in the MDC of the log lines it causes.
 */
final class IndicatorProcessor extends ContextualProcessor<String, IndicatorProcessor.Input, String, Outcome> {

    private static final Logger log = LoggerFactory.getLogger(IndicatorProcessor.class);
    static final String STORE = "indicator-state";
    /** Listed indicators whose entry is due to be re-sent: key to the correlation id of the last report ("" none). */
    static final String RENEWALS_DUE = "renewals-due";
    static final String RULES_ACTOR = "rules";

    /** An input for the indicator, with its allowlist entry if the allowlist topic has it. */
    record Input(IndicatorInput input, AllowlistEntry allowlisted) {
    }

    private final Rules rules;
    private final Topics topics;
    private final ProcessorMetrics metrics;
    private KeyValueStore<String, IndicatorState> store;
    private KeyValueStore<String, String> renewalsDue;
    /** Of the record being processed (the report's, or a decision's header); null for none, and in punctuations. */
    private String correlationId;

    IndicatorProcessor(Rules rules, Topics topics, ProcessorMetrics metrics) {
        this.rules = rules;
        this.topics = topics;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        super.init(context);
        store = context.getStateStore(STORE);
        renewalsDue = context.getStateStore(RENEWALS_DUE);
        context.schedule(rules.expiryCheck(), PunctuationType.WALL_CLOCK_TIME, this::expireListings);
        context.schedule(rules.renewInterval(), PunctuationType.WALL_CLOCK_TIME, this::sendRenewals);
    }

    @Override
    @SuppressWarnings("try") // the MDC scope is used by being open
    public void process(Record<String, Input> record) {
        correlationId = CorrelationId.of(record.headers(),
                record.value().input() instanceof IndicatorInput.ReportSeen seen
                        ? seen.report().getCorrelationId() : null).orElse(null);
        try (var logs = CorrelationId.inLogs(correlationId)) {
            apply(record);
        } finally {
            correlationId = null;
        }
    }

    private void apply(Record<String, Input> record) {
        Indicator indicator = Indicator.parseKey(record.key()).orElseThrow(() ->
                new IllegalStateException("not a canonical indicator key upstream: " + record.key()));
        IndicatorState state = store.get(record.key());
        if (state == null) {
            state = new IndicatorState();
        }
        boolean official = state.official || record.value().allowlisted() != null;
        if (record.value().input() instanceof IndicatorInput.ReportSeen seen) {
            onReport(indicator, state, seen.report(), record.timestamp(), official);
        } else {
            onDecision(indicator, state, ((IndicatorInput.DecisionTaken) record.value().input()).decision(),
                    official);
        }
        store.put(record.key(), state);
    }

    private void onReport(Indicator indicator, IndicatorState state, Report report, long at, boolean official) {
        long streamTime = context().currentStreamTimeMs();
        boolean tooLate = at < rules.horizon(streamTime);
        if (tooLate) {
            metrics.tooLate();
        } else {
            state.see(Sighting.of(report, at), rules.maxSightings());
            state.keepNote(report.getNotes(), rules);
            state.prune(rules.horizon(streamTime));
        }
        if (official) {
            if (!tooLate) {
                spoofed(indicator, state, report, at);
            }
        } else if (report.getChannel() == Channel.POLICE) {
            state.touch(at);
            confirmedByPolice(indicator, state, report, at);
        } else if (!tooLate) {
            applyCrowdRules(indicator, state, report, at, streamTime);
        }
    }

    /** An official channel is never listed; reports naming it mean it is spoofed: one alert per short window. */
    private void spoofed(Indicator indicator, IndicatorState state, Report report, long at) {
        if (state.spoofAlertedAt != null && at < state.spoofAlertedAt + rules.shortWindow().toMillis()) {
            return;
        }
        state.spoofAlertedAt = at;
        Evidence window = shortWindowEndingAt(state, at);
        raise(indicator, state, AlertLevel.OFFICIAL_CHANNEL_SPOOFED, window, true,
                "Kênh chính thức của BHXH " + indicator.display() + " bị giả mạo: " + window.distinctReporters()
                        + " người báo cáo trong 24 giờ. Không chặn kênh này; cảnh báo người dân.");
    }

    private void confirmedByPolice(Indicator indicator, IndicatorState state, Report report, long at) {
        if (state.listing != null && state.listing.status() == BlocklistStatus.CONFIRMED) {
            renew(indicator, state);
            return;
        }
        String reason = "Cơ quan công an xác nhận là số/kênh lừa đảo (" + report.getSubmittedBy()
                + (report.getSourceReference() == null ? "" : ", " + report.getSourceReference()) + ").";
        state.delistedAt = null; // police may re-list what an operator delisted
        state.audit(step(BlocklistStatus.CONFIRMED.name(), report.getSubmittedBy(), reason));
        list(indicator, state, BlocklistStatus.CONFIRMED, reason, shortWindowEndingAt(state, at));
    }

    /**
     * Evaluates the open short windows containing the report: those ending at each later sighting within a
     * window's length, never before the oldest still-open end. In order they usually are just one: the window
     * ending at this report.
     */
    private void applyCrowdRules(Indicator indicator, IndicatorState state, Report report, long at,
                                 long streamTime) {
        if (state.listing != null) {
            renew(indicator, state);
            return;
        }
        long length = rules.shortWindow().toMillis();
        long oldestOpenEnd = streamTime - rules.grace().toMillis();
        TreeSet<Long> ends = new TreeSet<>();
        for (Sighting sighting : state.sightings) {
            for (long time : sighting.times()) {
                long end = Math.max(time, oldestOpenEnd);
                if (time >= at && end - length < at) {
                    ends.add(end);
                }
            }
        }
        for (long end : ends) {
            Evidence window = Evidence.over(state.sightings, end - length, end, rules);
            boolean listable = window.weightedReporters() >= rules.listingWeighted()
                    || window.provinces().size() >= rules.listingProvinces();
            if (listable && !state.isGuarded(end, rules)) {
                String reason = String.format(Locale.ROOT, "%d người báo cáo (trọng số %.1f) từ %d tỉnh/thành"
                                + " trong 24 giờ.", window.distinctReporters(), window.weightedReporters(),
                        window.provinces().size());
                state.audit(step("LISTED", RULES_ACTOR, reason));
                list(indicator, state, BlocklistStatus.LISTED, reason, window);
                return;
            }
            if (window.weightedReporters() >= rules.warningWeighted()
                    && (state.warnedUpTo == null || window.from() >= state.warnedUpTo)) {
                state.warnedUpTo = window.to();
                raise(indicator, state, AlertLevel.WARNING, window, false,
                        String.format(Locale.ROOT, "Cảnh báo: %d người báo cáo (trọng số %.1f) %s trong 24 giờ.",
                                window.distinctReporters(), window.weightedReporters(), indicator.display()));
            }
        }
    }

    private void list(Indicator indicator, IndicatorState state, BlocklistStatus status, String reason,
                      Evidence window) {
        boolean wasListed = state.listing != null;
        long now = context().currentSystemTimeMs();
        state.listing = new IndicatorState.Listing(status, reason, now, expiry(state));
        metrics.listing(status.name());
        sendEntry(indicator, state);
        if (!wasListed) {
            raise(indicator, state, AlertLevel.BLOCKED, window, true,
                    "Đã đưa " + indicator.display() + " vào danh sách chặn: " + reason);
        }
    }

    /**
     * A new report of a listed indicator pushes its expiry back and refreshes the evidence partners see: at once
     * in the state (and so in the lookup API and the expiry check), and on the blocklist with the next
     * {@link #sendRenewals} rather than per report. The due list is a changelogged store, so a renewal made due
     * in a committed transaction is sent even if the instance dies before sending it.
     */
    private void renew(Indicator indicator, IndicatorState state) {
        state.listing = new IndicatorState.Listing(state.listing.status(), state.listing.reason(),
                state.listing.listedAt(), expiry(state));
        renewalsDue.put(indicator.key(), correlationId == null ? "" : correlationId);
    }

    /** The entry as it is now, at once; a renewal still due would only repeat it. */
    private void sendEntry(Indicator indicator, IndicatorState state) {
        dropRenewal(indicator);
        emit(indicator.key(), new Outcome.BlocklistChanged(entry(indicator, state)));
    }

    /** Looked up first: deleting a key that is not there would still write a tombstone to the changelog. */
    private void dropRenewal(Indicator indicator) {
        if (renewalsDue.get(indicator.key()) != null) {
            renewalsDue.delete(indicator.key());
        }
    }

    /** Wall-clock: the entry of each indicator renewed since the last time, as it is now (if still listed). */
    private void sendRenewals(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (var all = renewalsDue.all()) {
            all.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> renewal : due) {
            IndicatorState state = store.get(renewal.key);
            if (state != null && state.listing != null) {
                Indicator indicator = Indicator.parseKey(renewal.key).orElseThrow();
                // Carries the id of the last report that renewed it.
                emit(renewal.key, new Outcome.BlocklistChanged(entry(indicator, state)),
                        renewal.value.isEmpty() ? null : renewal.value);
            }
            renewalsDue.delete(renewal.key);
        }
    }

    private long expiry(IndicatorState state) {
        return state.lastSeen + rules.listingTtl().toMillis();
    }

    private void onDecision(Indicator indicator, IndicatorState state, Decision decision, boolean official) {
        AuditStep step = new AuditStep(decision.getDecidedAt(), decision.getAction().name(), decision.getActor(),
                decision.getReason());
        switch (decision.getAction()) {
            case DELIST -> {
                state.audit(step);
                state.delistedAt = decision.getDecidedAt().toEpochMilli();
                lift(indicator, state, "DELISTED");
            }
            case CONFIRM -> {
                if (official) {
                    emit(indicator.key(), new Outcome.Rejected(rejected(indicator, decision,
                            "an official BHXH channel can not be confirmed as a scam; remove it from the allowlist"
                                    + " first if it is no longer official")));
                    return;
                }
                state.audit(step);
                state.delistedAt = null;
                String reason = "Xác nhận bởi " + decision.getActor()
                        + (decision.getReason() == null ? "" : ": " + decision.getReason());
                if (state.lastSeen == null) {
                    state.touch(decision.getDecidedAt().toEpochMilli());
                }
                if (state.listing == null) {
                    list(indicator, state, BlocklistStatus.CONFIRMED, reason,
                            shortWindowEndingAt(state, state.lastSeen));
                } else {
                    state.listing = new IndicatorState.Listing(BlocklistStatus.CONFIRMED, reason,
                            state.listing.listedAt(), state.listing.expiresAt());
                    metrics.listing(BlocklistStatus.CONFIRMED.name());
                    sendEntry(indicator, state);
                }
            }
            case ALLOWLIST -> {
                state.audit(step);
                state.official = true;
                emit(indicator.key(), new Outcome.Allowlisted(AllowlistEntry.newBuilder()
                        .setIndicator(indicator.key())
                        .setKind(indicator.kind())
                        .setName(decision.getReason() == null ? "Kênh chính thức của BHXH" : decision.getReason())
                        .setIncludeSubdomains(false)
                        .setSource(decision.getActor())
                        .setAddedAt(decision.getDecidedAt())
                        .build()));
                metrics.listing("ALLOWLISTED");
                lift(indicator, state, null);
            }
            case ACKNOWLEDGE -> state.audit(step);
        }
    }

    private void lift(Indicator indicator, IndicatorState state, String change) {
        if (state.listing != null) {
            state.listing = null;
            if (change != null) {
                metrics.listing(change);
            }
            dropRenewal(indicator);
            emit(indicator.key(), new Outcome.BlocklistChanged(null));
        }
    }

    /** Wall-clock: lapsed listings are lifted, and indicators with nothing left worth keeping are forgotten. */
    private void expireListings(long now) {
        long horizon = rules.horizon(context().currentStreamTimeMs());
        List<String> forgotten = new ArrayList<>();
        List<KeyValue<String, IndicatorState>> expired = new ArrayList<>();
        try (var all = store.all()) {
            all.forEachRemaining(entry -> {
                IndicatorState state = entry.value;
                if (state.listing != null && state.listing.expiresAt() <= now) {
                    expired.add(entry);
                } else if (state.isForgettable(horizon, now, rules)) {
                    forgotten.add(entry.key);
                }
            });
        }
        for (KeyValue<String, IndicatorState> entry : expired) {
            entry.value.listing = null;
            entry.value.audit(new AuditStep(Instant.ofEpochMilli(now), "EXPIRED", RULES_ACTOR,
                    "Không có báo cáo mới trong " + rules.listingTtl().toDays() + " ngày."));
            metrics.listing("EXPIRED");
            store.put(entry.key, entry.value);
            context().forward(new Record<>(entry.key, new Outcome.BlocklistChanged(null), now));
        }
        forgotten.forEach(store::delete);
    }

    private Evidence shortWindowEndingAt(IndicatorState state, long end) {
        return Evidence.over(state.sightings, end - rules.shortWindow().toMillis(), end, rules);
    }

    private void raise(Indicator indicator, IndicatorState state, AlertLevel level, Evidence window,
                       boolean national, String reason) {
        Alert alert = Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes((indicator.key() + "|" + level + "|" + window.to())
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setIndicator(indicator.key())
                .setKind(indicator.kind())
                .setLevel(level)
                .setReason(reason)
                .setProvinces(window.provinces())
                .setDistinctReporters(window.distinctReporters())
                .setWeightedReporters(window.weightedReporters())
                .setReportCount(window.reportCount())
                .setChannelCounts(window.channelCounts())
                .setRequested(window.requested())
                .setAmountLostVnd(window.amountLostVnd())
                .setSampleNotes(List.copyOf(state.sampleNotes))
                .setWindowStart(Instant.ofEpochMilli(window.from()))
                .setWindowEnd(Instant.ofEpochMilli(window.to()))
                .setFirstSeen(Instant.ofEpochMilli(state.firstSeen))
                .setLastSeen(Instant.ofEpochMilli(state.lastSeen))
                .setRaisedAt(Instant.ofEpochMilli(context().currentSystemTimeMs()))
                .setCorrelationId(correlationId)
                .setHourlyReports(Evidence.hourlyReports(state.sightings, window.to()))
                .build();
        metrics.alert(level);
        log.info("alert {} {} for {}: {} reporters in {}", alert.getAlertId(), level, indicator.key(),
                window.distinctReporters(), window.provinces());
        for (String province : window.provinces()) {
            metrics.alertTo(level, province);
            emit(indicator.key(), new Outcome.AlertRaised(Topics.provinceAlertsName(province), alert));
        }
        // Nobody would hear of an alert without a province (fanpage reports carry none) unless it goes national.
        if (national || window.provinces().isEmpty()) {
            metrics.alertTo(level, ProcessorMetrics.NATIONAL);
            emit(indicator.key(), new Outcome.AlertRaised(Topics.ALERTS_NATIONAL, alert));
        }
    }

    private BlocklistEntry entry(Indicator indicator, IndicatorState state) {
        Evidence evidence = Evidence.over(state.sightings, state.lastSeen - rules.longWindow().toMillis(),
                state.lastSeen, rules);
        return BlocklistEntry.newBuilder()
                .setIndicator(indicator.key())
                .setKind(indicator.kind())
                .setStatus(state.listing.status())
                .setReason(state.listing.reason())
                .setDistinctReporters(evidence.distinctReporters())
                .setWeightedReporters(evidence.weightedReporters())
                .setReportCount(evidence.reportCount())
                .setChannelCounts(evidence.channelCounts())
                .setProvinces(evidence.provinces())
                .setFirstSeen(Instant.ofEpochMilli(state.firstSeen))
                .setLastSeen(Instant.ofEpochMilli(state.lastSeen))
                .setListedAt(Instant.ofEpochMilli(state.listing.listedAt()))
                .setExpiresAt(Instant.ofEpochMilli(state.listing.expiresAt()))
                .build();
    }

    private AuditStep step(String action, String actor, String reason) {
        return new AuditStep(Instant.ofEpochMilli(context().currentSystemTimeMs()), action, actor, reason);
    }

    /**
     * Past the repartition the decision's own partition and offset are no longer known; the dead letter carries
     * the decision itself so it can be corrected and re-sent.
     */
    private vn.bhxh.shield.schema.DeadLetter rejected(Indicator indicator, Decision decision, String error) {
        var origin = new DeadLetters.Origin(Topics.DECISIONS, -1, -1, decision.getDecidedAt().toEpochMilli(),
                indicator.key().getBytes(StandardCharsets.UTF_8),
                topics.decisions().valueSerde().serializer().serialize(Topics.DECISIONS, decision));
        return DeadLetters.of(ProcessorService.NAME, origin, ErrorKind.VALIDATION, error, null);
    }

    private void emit(String key, Outcome outcome) {
        emit(key, outcome, correlationId);
    }

    private void emit(String key, Outcome outcome, String correlationId) {
        context().forward(new Record<>(key, outcome, context().currentSystemTimeMs(),
                CorrelationId.headers(correlationId)));
    }
}
