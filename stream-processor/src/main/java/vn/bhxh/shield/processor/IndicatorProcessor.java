package vn.bhxh.shield.processor;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.LinkedIndicator;
import vn.bhxh.shield.topic.Topics;

/**
 * The shell around {@link ListingLifecycle} for everything that happens to one indicator: loads its state, applies
 * the rules, stores the new state and turns the rules' outputs into alerts, blocklist and allowlist records and dead
 * letters.
 * <p>
 * Processor API with one store of recent sightings per indicator rather than DSL windowed aggregations: the rules
 * need distinct reporters (a set per window, not a sum), "crossed once" memory across windows (warnedUpTo,
 * listing, proposal), and the listing, decisions and windows of an indicator in one place so they change
 * atomically. A sliding window over a short list of merged sightings gives all of that in one store and one
 * changelog.
 * <p>
 * What is due on the wall clock (a proposal's escalation, a listing's expiry) is found through a small
 * changelogged index, {@value #DUE_INDEX}, keyed by zero-padded due time and indicator, walked from its start up to
 * now: no scan of the whole store. The index is moved only when something falls due earlier than indexed; an entry
 * found due for a state whose expiry was pushed back by renewals is indexed again at the new time. A bounded sweep
 * per check walks the store with a cursor to forget stale indicators and to re-send, once, entries written in an
 * older form.
 * <p>
 * Every report is also kept as evidence for the police ({@link EvidenceStore}, in the same task), before the rules
 * see it, so that an alert it raises links the indicators the report itself names: every alert carries the
 * indicator's campaign ({@link Campaign}) from the kept reports.
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
    /** What is due when: {@link #dueKey} to "". */
    static final String DUE_INDEX = "due-index";

    /** An input for the indicator, with its allowlist entry if the allowlist topic has it. */
    record Input(IndicatorInput input, AllowlistEntry allowlisted) {
    }

    private final Rules rules;
    private final ListingLifecycle lifecycle;
    private final Topics topics;
    private final ProcessorMetrics metrics;
    private KeyValueStore<String, IndicatorState> store;
    private KeyValueStore<String, String> renewalsDue;
    private KeyValueStore<String, String> dueIndex;
    private EvidenceStore evidence;
    /** The allowlist topic's table, for whether an indicator named with this one is an official channel. */
    private TimestampedKeyValueStore<String, AllowlistEntry> allowlist;
    /** Where the sweep goes on; null to start from the first key. In memory: after a restart it starts over. */
    private String sweepFrom;

    IndicatorProcessor(Rules rules, Topics topics, ProcessorMetrics metrics) {
        this.rules = rules;
        this.lifecycle = new ListingLifecycle(rules);
        this.topics = topics;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        super.init(context);
        store = context.getStateStore(STORE);
        renewalsDue = context.getStateStore(RENEWALS_DUE);
        dueIndex = context.getStateStore(DUE_INDEX);
        evidence = new EvidenceStore(context, rules);
        allowlist = context.getStateStore(IndicatorFlow.ALLOWLIST_STORE);
        context.schedule(rules.expiryCheck(), PunctuationType.WALL_CLOCK_TIME, now -> {
            walkDue(now);
            sweep(now);
            evidence.sweep(now);
        });
        context.schedule(rules.renewInterval(), PunctuationType.WALL_CLOCK_TIME, this::sendRenewals);
    }

    @Override
    @SuppressWarnings("try") // the MDC scope is used by being open
    public void process(Record<String, Input> record) {
        IndicatorInput input = record.value().input();
        String correlationId = CorrelationId.of(record.headers(),
                input instanceof IndicatorInput.ReportSeen seen ? seen.event().getCorrelationId() : null)
                .orElse(null);
        try (var logs = CorrelationId.inLogs(correlationId)) {
            Indicator indicator = Indicator.parseKey(record.key()).orElseThrow(() ->
                    new IllegalStateException("not a canonical indicator key upstream: " + record.key()));
            IndicatorState state = store.get(record.key());
            if (input instanceof IndicatorInput.ReportSeen seen) {
                // Before the rules: an alert this report raises links what the report itself names.
                evidence.keep(record.key(), seen.event(), context().currentSystemTimeMs());
            }
            ListingLifecycle.Event event = input instanceof IndicatorInput.ReportSeen seen
                    ? new ListingLifecycle.ReportSeen(seen.event(), context().currentStreamTimeMs())
                    : new ListingLifecycle.DecisionTaken(((IndicatorInput.DecisionTaken) input).decision());
            apply(indicator, state == null ? new IndicatorState() : state, record.value().allowlisted(), event,
                    correlationId);
        }
    }

    private void apply(Indicator indicator, IndicatorState state, AllowlistEntry allowlisted,
                       ListingLifecycle.Event event, String correlationId) {
        long now = context().currentSystemTimeMs();
        ListingLifecycle.Result result = lifecycle.apply(indicator, state, allowlisted, event, now);
        IndicatorState next = result.state();
        for (ListingLifecycle.Output output : result.outputs()) {
            send(indicator, next, output, correlationId, now);
        }
        index(indicator, next);
        store.put(indicator.key(), next);
    }

    /** Turns one output of the rules into records and counts. */
    private void send(Indicator indicator, IndicatorState state, ListingLifecycle.Output output,
                      String correlationId, long now) {
        String key = indicator.key();
        if (output instanceof ListingLifecycle.Raise raise) {
            raise(indicator, state, raise, correlationId, now);
        } else if (output instanceof ListingLifecycle.PublishEntry) {
            dropRenewal(key);
            state.entryInOldForm = false;
            emit(key, new Outcome.BlocklistChanged(entry(indicator, state)), correlationId);
        } else if (output instanceof ListingLifecycle.RenewEntry) {
            renewalsDue.put(key, correlationId == null ? "" : correlationId);
        } else if (output instanceof ListingLifecycle.LiftEntry) {
            dropRenewal(key);
            emit(key, new Outcome.BlocklistChanged(null), correlationId);
        } else if (output instanceof ListingLifecycle.Allowlist added) {
            emit(key, new Outcome.Allowlisted(AllowlistEntry.newBuilder()
                    .setIndicator(key)
                    .setKind(indicator.kind())
                    .setName(added.name())
                    .setIncludeSubdomains(false)
                    .setSource(added.source())
                    .setAddedAt(added.addedAt())
                    .build()), correlationId);
        } else if (output instanceof ListingLifecycle.Unallowlist) {
            emit(key, new Outcome.Allowlisted(null), correlationId);
        } else if (output instanceof ListingLifecycle.Refuse refused) {
            log.warn("decision {} about {} refused: {}", refused.decision().getDecisionId(), key, refused.why());
            emit(key, new Outcome.Rejected(rejected(indicator, refused.decision(), refused.why())), correlationId);
        } else if (output instanceof ListingLifecycle.Changed changed) {
            metrics.listing(changed.change());
        } else if (output instanceof ListingLifecycle.TooLate) {
            metrics.tooLate();
        }
    }

    /**
     * Indexes what falls due next, when that is earlier than what the index holds: a renewal only pushes an
     * expiry back, and the entry already indexed then finds it not yet due and indexes it again. So a report of a
     * listed number writes nothing to the index.
     */
    private void index(Indicator indicator, IndicatorState state) {
        Long due = lifecycle.nextDue(state);
        if (due != null && (state.indexedAt == null || due < state.indexedAt)) {
            if (state.indexedAt != null) {
                dueIndex.delete(dueKey(state.indexedAt, indicator.key()));
            }
            dueIndex.put(dueKey(due, indicator.key()), "");
            state.indexedAt = due;
        }
    }

    /** Zero-padded so that the store's byte order is the order of due times. */
    static String dueKey(long due, String indicator) {
        return String.format(Locale.ROOT, "%019d|%s", due, indicator);
    }

    /** Wall-clock: applies the rules to each indicator something is due for by now. */
    private void walkDue(long now) {
        List<String> due = new ArrayList<>();
        // '~' sorts after '|': every key due at exactly now is in the range.
        try (var entries = dueIndex.range(dueKey(0, ""), String.format(Locale.ROOT, "%019d~", now))) {
            entries.forEachRemaining(entry -> due.add(entry.key));
        }
        for (String dueKey : due) {
            dueIndex.delete(dueKey);
            long at = Long.parseLong(dueKey.substring(0, dueKey.indexOf('|')));
            String key = dueKey.substring(dueKey.indexOf('|') + 1);
            IndicatorState stored = store.get(key);
            if (stored == null || stored.indexedAt == null || stored.indexedAt != at) {
                continue; // forgotten, or indexed again elsewhere since
            }
            // A copy: the store's cache compares what is put back with the object it holds.
            IndicatorState state = stored.copy();
            state.indexedAt = null;
            apply(Indicator.parseKey(key).orElseThrow(), state, null, new ListingLifecycle.Tick(), null);
        }
    }

    /**
     * Wall-clock, bounded: the next {@link Rules#sweepBatch()} states from where the last sweep stopped.
     * Indicators with nothing left worth keeping are forgotten; a listed indicator whose entry on the blocklist
     * was written in an older form (with the audit trail) has it sent again in the current form and is indexed
     * for its expiry, once.
     */
    private void sweep(long now) {
        long horizon = rules.horizon(context().currentStreamTimeMs());
        List<String> forgotten = new ArrayList<>();
        List<KeyValue<String, IndicatorState>> upgraded = new ArrayList<>();
        String last = null;
        int seen = 0;
        try (var states = store.range(sweepFrom, null)) {
            while (states.hasNext() && seen < rules.sweepBatch()) {
                KeyValue<String, IndicatorState> entry = states.next();
                last = entry.key;
                seen++;
                if (entry.value.isForgettable(horizon, now, rules)) {
                    forgotten.add(entry.key);
                } else if (entry.value.entryInOldForm) {
                    upgraded.add(entry);
                }
            }
            sweepFrom = states.hasNext() ? last + "\0" : null;
        }
        forgotten.forEach(store::delete);
        for (KeyValue<String, IndicatorState> entry : upgraded) {
            Indicator indicator = Indicator.parseKey(entry.key).orElseThrow();
            IndicatorState state = entry.value;
            state.entryInOldForm = false;
            if (state.listing != null) {
                emit(entry.key, new Outcome.BlocklistChanged(entry(indicator, state)), null);
                index(indicator, state);
            }
            store.put(entry.key, state);
        }
    }

    /** Looked up first: deleting a key that is not there would still write a tombstone to the changelog. */
    private void dropRenewal(String key) {
        if (renewalsDue.get(key) != null) {
            renewalsDue.delete(key);
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

    private void raise(Indicator indicator, IndicatorState state, ListingLifecycle.Raise raise,
                       String correlationId, long now) {
        Evidence window = raise.evidence();
        Alert alert = Alert.newBuilder()
                .setAlertId(UUID.nameUUIDFromBytes((indicator.key() + "|" + raise.level() + "|" + window.to())
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .setIndicator(indicator.key())
                .setKind(indicator.kind())
                .setLevel(raise.level())
                .setReason(raise.reason())
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
                .setRaisedAt(Instant.ofEpochMilli(now))
                .setCorrelationId(correlationId)
                .setHourlyReports(Evidence.hourlyReports(state.sightings, window.to()))
                .setSubmittingAccounts(window.submittingAccounts())
                .setBurstAccount(window.burstAccount())
                .setLinked(linked(indicator, state))
                .build();
        metrics.alert(raise.level());
        log.info("alert {} {} for {}: {} reporters in {}", alert.getAlertId(), raise.level(), indicator.key(),
                window.distinctReporters(), window.provinces());
        List<String> boards = ListingLifecycle.boards(indicator, window.provinces());
        if (raise.audience() != ListingLifecycle.Audience.NATIONAL) {
            for (String province : boards) {
                metrics.alertTo(raise.level(), province);
                emit(indicator.key(), new Outcome.AlertRaised(Topics.provinceAlertsName(province), alert),
                        correlationId);
            }
        }
        // Nobody would hear of an alert without a province (fanpage reports carry none) unless it goes national.
        if (raise.audience() != ListingLifecycle.Audience.PROVINCES || boards.isEmpty()) {
            metrics.alertTo(raise.level(), ProcessorMetrics.NATIONAL);
            emit(indicator.key(), new Outcome.AlertRaised(Topics.ALERTS_NATIONAL, alert), correlationId);
        }
    }

    /**
     * The indicator's campaign from the reports kept for it: alerts are rare, so the prefix scan of at most
     * {@link Rules.Campaigns#evidenceReports()} records is paid per alert, never per report. An official channel
     * links nothing, and is linked to nothing (any entry on the allowlist topic counts for the others: a stale
     * seed entry only leaves a number out of a campaign, never puts an official one in).
     */
    private List<LinkedIndicator> linked(Indicator indicator, IndicatorState state) {
        if (ListingLifecycle.isOfficial(state, ValueAndTimestamp.getValueOrNull(allowlist.get(indicator.key())))) {
            return List.of();
        }
        return Campaign.links(evidence.reports(indicator.key()), other -> allowlist.get(other) != null,
                rules.campaigns().links()).stream()
                .map(link -> new LinkedIndicator(link.indicator(), link.reports(), link.since())).toList();
    }

    /** The entry partners see: counts, provinces, times and a reason code with its text; nobody's name. */
    private BlocklistEntry entry(Indicator indicator, IndicatorState state) {
        Evidence evidence = Evidence.over(state.sightings, state.lastSeen - rules.longWindow().toMillis(),
                state.lastSeen, rules);
        return BlocklistEntry.newBuilder()
                .setIndicator(indicator.key())
                .setKind(indicator.kind())
                .setStatus(state.listing.status())
                .setReason(ListingLifecycle.partnerReason(state.listing.reasonCode()))
                .setReasonCode(state.listing.reasonCode())
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

    /**
     * Read where it lies (no repartition), the decision's partition and offset are known; the dead letter also
     * carries the decision itself so it can be corrected and re-sent.
     */
    private vn.bhxh.shield.schema.DeadLetter rejected(Indicator indicator, Decision decision, String error) {
        var where = context().recordMetadata();
        var origin = new DeadLetters.Origin(Topics.DECISIONS, where.map(RecordMetadata::partition).orElse(-1),
                where.map(RecordMetadata::offset).orElse(-1L), decision.getDecidedAt().toEpochMilli(),
                indicator.key().getBytes(StandardCharsets.UTF_8),
                topics.decisions().valueSerde().serializer().serialize(Topics.DECISIONS, decision));
        return DeadLetters.of(ProcessorService.NAME, origin, ErrorKind.VALIDATION, error, null);
    }

    private void emit(String key, Outcome outcome, String correlationId) {
        context().forward(new Record<>(key, outcome, context().currentSystemTimeMs(),
                CorrelationId.headers(correlationId)));
    }
}
