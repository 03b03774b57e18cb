package vn.bhxh.shield.processor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import vn.bhxh.shield.decision.DecisionAuthority;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.lookup.IndicatorStatus.AuditStep;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.IndicatorEvent;

/**
 * The rules of one indicator's listing, as a pure function: given its state, what happened (a report seen, a
 * decision taken, the wall clock ticking past something due) and the wall-clock time, the new state and what to
 * send. No Kafka: {@link IndicatorProcessor} loads the state, calls {@link #apply}, stores the result and turns the
 * outputs into records. The state passed in is never changed.
 * <p>
 * The lifecycle: a police referral lists at once (CONFIRMED, POLICE_CONFIRMED). Crowd evidence that reaches the
 * listing thresholds in the short window is PROPOSED to the reporting provinces' boards and the national board and
 * published nowhere; an officer's CONFIRM lists it (LISTED, OFFICER_CONFIRMED), REJECT closes it and keeps the
 * crowd from proposing it again for {@link Rules.Review#rejectGuard()} unless a submitting account not seen before
 * the rejection reports it; a proposal undecided for {@link Rules.Review#escalateAfter()} is ESCALATED to the
 * national board, once. Auto-listing (CROWD_AUTO_LISTED), off by default, skips the review only for evidence from
 * enough submitting accounts and provinces, never from fanpages alone, never flagged as a burst. Listings lapse
 * by kind and source ({@link Rules#ttl}) after the last report; new reports renew them.
 * <p>
 * Who may decide: a decision with a province (a province officer) only about an indicator reported in that
 * province; delisting a police confirmation and changing the allowlist only nationally (no province). A decision
 * the rules refuse is an output, not an exception: it becomes a VALIDATION dead letter.
 */
final class ListingLifecycle {

    static final String RULES_ACTOR = "rules";

    /** What happened to the indicator. */
    sealed interface Event {
    }

    /** @param streamTime how far the input has got: which windows are still open */
    record ReportSeen(IndicatorEvent report, long streamTime) implements Event {

        /** From the value, not the record's timestamp ({@link IndicatorEvents#recordTimestamp} may be later). */
        long eventTime() {
            return IndicatorEvents.eventTime(report);
        }
    }

    record DecisionTaken(Decision decision) implements Event {
    }

    /** The wall clock passed something due: an escalation, an expiry. */
    record Tick() implements Event {
    }

    /** Who an alert goes to. */
    enum Audience {
        /** Each province of its evidence; the national board when it names none (nobody would hear of it). */
        PROVINCES,
        PROVINCES_AND_NATIONAL,
        NATIONAL
    }

    /**
     * The province boards that hear of an alert: the provinces its evidence came from and, for a provincial
     * landline, the province of its area code (a spoofed office number concerns that office first).
     */
    static List<String> boards(Indicator indicator, List<String> reportingProvinces) {
        Optional<String> home = Provinces.ofLandline(indicator).map(Province::slug);
        if (home.isEmpty() || reportingProvinces.contains(home.get())) {
            return reportingProvinces;
        }
        List<String> boards = new ArrayList<>(reportingProvinces);
        boards.add(home.get());
        return List.copyOf(boards);
    }

    /** What to send. */
    sealed interface Output {
    }

    record Raise(AlertLevel level, Evidence evidence, Audience audience, String reason) implements Output {
    }

    /** The blocklist entry as the new state has it, now. */
    record PublishEntry() implements Output {
    }

    /** New reports of a listed indicator: its entry goes out with the next batch of renewals. */
    record RenewEntry() implements Output {
    }

    /** The listing is lifted: a tombstone. */
    record LiftEntry() implements Output {
    }

    record Allowlist(String name, String source, Instant addedAt) implements Output {
    }

    /** Off the allowlist: a tombstone on it. */
    record Unallowlist() implements Output {
    }

    record Refuse(Decision decision, String why) implements Output {
    }

    /** A change of the listing, for the metrics: LISTED, CONFIRMED, PROPOSED, REJECTED, DELISTED, EXPIRED, ... */
    record Changed(String change) implements Output {
    }

    /** A report too old to count in any window (it still confirms when it is a police referral). */
    record TooLate() implements Output {
    }

    record Result(IndicatorState state, List<Output> outputs) {
    }

    private static final Map<ListingReason, String> PARTNER_REASONS = Map.of(
            ListingReason.POLICE_CONFIRMED, "Cơ quan công an xác nhận là số/kênh lừa đảo",
            ListingReason.OFFICER_CONFIRMED, "Cán bộ BHXH đã xác minh từ báo cáo của người dân",
            ListingReason.CROWD_AUTO_LISTED, "Nhiều người dân ở nhiều tỉnh báo cáo",
            ListingReason.UNKNOWN, "Được đưa vào danh sách chặn");

    private final Rules rules;

    ListingLifecycle(Rules rules) {
        this.rules = rules;
    }

    /** The Vietnamese text partners see for a reason code: it names nobody. */
    static String partnerReason(ListingReason code) {
        return PARTNER_REASONS.get(code);
    }

    /**
     * @param allowlisted the indicator's entry on the allowlist topic, null when it has none
     * @param now         wall-clock time
     */
    Result apply(Indicator indicator, IndicatorState state, AllowlistEntry allowlisted, Event event, long now) {
        Step step = new Step(indicator, state.copy(), now);
        boolean official = step.official(allowlisted);
        if (event instanceof ReportSeen seen) {
            step.report(seen, official);
        } else if (event instanceof DecisionTaken taken) {
            step.decide(taken.decision(), official);
        } else {
            step.tick();
        }
        return new Result(step.state, List.copyOf(step.outputs));
    }

    /**
     * Official when allowlisted by decision, or on the allowlist topic by an entry added after the last
     * UNALLOWLIST: an older entry there is the seed file written again at a start.
     */
    static boolean isOfficial(IndicatorState state, AllowlistEntry allowlisted) {
        return state.official || allowlisted != null && !isStaleSeed(state, allowlisted);
    }

    private static boolean isStaleSeed(IndicatorState state, AllowlistEntry allowlisted) {
        return state.unallowlistedAt != null && allowlisted.getAddedAt().toEpochMilli() <= state.unallowlistedAt;
    }

    /**
     * The reason as the audit trail shows it: the actor's words, after which campaign the decision was for when an
     * officer decided a whole campaign at once (each indicator of it gets its own decision, with the same words).
     */
    static String auditReason(Decision decision) {
        if (decision.getCampaignOf() == null) {
            return decision.getReason();
        }
        String campaign = "Quyết định cho cả chiến dịch của " + Indicator.parseKey(decision.getCampaignOf())
                .map(Indicator::display).orElse(decision.getCampaignOf());
        return decision.getReason() == null ? campaign + "." : campaign + ": " + decision.getReason();
    }

    /**
     * The next wall-clock time something is due for this state (its escalation, its expiry), null for nothing.
     */
    Long nextDue(IndicatorState state) {
        Long due = null;
        if (state.proposal != null && !state.proposal.escalated()) {
            due = state.proposal.proposedAt() + rules.review().escalateAfter().toMillis();
        }
        if (state.listing != null && (due == null || state.listing.expiresAt() < due)) {
            due = state.listing.expiresAt();
        }
        return due;
    }

    /** One application of the rules: the working copy of the state and what it sends. */
    private final class Step {
        private final Indicator indicator;
        private final IndicatorState state;
        private final long now;
        private final List<Output> outputs = new ArrayList<>();

        Step(Indicator indicator, IndicatorState state, long now) {
            this.indicator = indicator;
            this.state = state;
            this.now = now;
        }

        /** {@link #isOfficial}; a stale seed entry on the allowlist topic is removed again. */
        boolean official(AllowlistEntry allowlisted) {
            if (!state.official && allowlisted != null && isStaleSeed(state, allowlisted)) {
                outputs.add(new Unallowlist());
            }
            return isOfficial(state, allowlisted);
        }

        void report(ReportSeen seen, boolean official) {
            IndicatorEvent report = seen.report();
            long at = seen.eventTime();
            boolean tooLate = at < rules.horizon(seen.streamTime());
            if (tooLate) {
                outputs.add(new TooLate());
            } else {
                state.see(Sighting.of(report, at), rules.maxSightings());
                state.keepNote(report.getNotes(), rules);
                state.prune(rules.horizon(seen.streamTime()));
            }
            state.remember(report.getProvince(), report.getSubmittedBy());
            // A provincial landline (often a spoofed office number) concerns its province whoever reports it: its
            // officers hear of it and may decide about it.
            Provinces.ofLandline(indicator).ifPresent(home -> state.remember(home.slug(), null));
            if (official) {
                if (!tooLate) {
                    spoofed(at);
                }
            } else if (report.getChannel() == Channel.POLICE) {
                state.touch(at);
                confirmedByPolice(report, at);
            } else if (!tooLate) {
                crowd(at, seen.streamTime());
            }
        }

        /** An official channel is never listed; reports naming it mean it is spoofed: one alert per short window. */
        private void spoofed(long at) {
            if (state.spoofAlertedAt != null && at < state.spoofAlertedAt + rules.shortWindow().toMillis()) {
                return;
            }
            state.spoofAlertedAt = at;
            Evidence window = shortWindowEndingAt(at);
            raise(AlertLevel.OFFICIAL_CHANNEL_SPOOFED, window, Audience.PROVINCES_AND_NATIONAL,
                    "Kênh chính thức của BHXH " + indicator.display() + " bị giả mạo: " + window.distinctReporters()
                            + " người báo cáo trong 24 giờ. Không chặn kênh này; cảnh báo người dân.");
        }

        private void confirmedByPolice(IndicatorEvent report, long at) {
            if (state.listing != null && state.listing.reasonCode() == ListingReason.POLICE_CONFIRMED) {
                renew();
                return;
            }
            // The unit and its case reference stay in the internal audit; partners see the reason code's text.
            audit("CONFIRMED", report.getSubmittedBy(), partnerReason(ListingReason.POLICE_CONFIRMED) + " ("
                    + report.getSubmittedBy()
                    + (report.getSourceReference() == null ? "" : ", " + report.getSourceReference()) + ").");
            state.delistedAt = null; // police may re-list what an operator delisted
            state.proposal = null;
            list(BlocklistStatus.CONFIRMED, ListingReason.POLICE_CONFIRMED, shortWindowEndingAt(at));
        }

        /**
         * Evaluates the open short windows containing the report: those ending at each later sighting within a
         * window's length, never before the oldest still-open end. In order they usually are just one: the window
         * ending at this report.
         */
        private void crowd(long at, long streamTime) {
            if (state.listing != null) {
                renew();
                return;
            }
            if (state.proposal != null && !rules.review().autoList()) {
                // Already before the officers, and no new evidence could list it or warn: a hot number under review
                // costs what a listed one does, not a window evaluation per report.
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
                if (listable && (state.proposal != null || mayPropose(window, end))) {
                    if (autoListable(window)) {
                        audit("LISTED", RULES_ACTOR, counts(window) + " Tự động đưa vào danh sách chặn.");
                        state.proposal = null;
                        list(BlocklistStatus.LISTED, ListingReason.CROWD_AUTO_LISTED, window);
                    } else if (state.proposal == null) {
                        propose(window);
                    }
                    return;
                }
                if (state.proposal == null && window.weightedReporters() >= rules.warningWeighted()
                        && (state.warnedUpTo == null || window.from() >= state.warnedUpTo)) {
                    state.warnedUpTo = window.to();
                    raise(AlertLevel.WARNING, window, Audience.PROVINCES, String.format(Locale.ROOT,
                            "Cảnh báo: %d người báo cáo (trọng số %.1f) %s trong 24 giờ.",
                            window.distinctReporters(), window.weightedReporters(), indicator.display()));
                }
            }
        }

        /**
         * Not after a delisting (the owner was heard) for its guard; after a rejection only on evidence from a
         * submitting account the officer had not seen.
         */
        private boolean mayPropose(Evidence window, long end) {
            if (state.isDelistGuarded(end, rules)) {
                return false;
            }
            return !state.isRejectGuarded(end, rules) || window.submittingAccounts().keySet().stream()
                    .anyMatch(account -> !state.accountsAtRejection.contains(account));
        }

        /** Never from one account, never from fanpages alone, never on evidence flagged as a burst. */
        private boolean autoListable(Evidence window) {
            Rules.Review review = rules.review();
            return review.autoList()
                    && window.submittingAccounts().size() >= review.autoListAccounts()
                    && window.provinces().size() >= review.autoListProvinces()
                    && !window.channelCounts().keySet().equals(Set.of(Channel.FANPAGE.name()))
                    && window.burstAccount() == null;
        }

        private void propose(Evidence window) {
            state.proposal = new IndicatorState.Proposal(now, window.to(), false);
            String reason = "Đề xuất chặn " + indicator.display() + ": " + counts(window)
                    + " Cán bộ cần xác nhận hoặc bác bỏ."
                    + (window.burstAccount() == null ? "" : " Lưu ý: tài khoản " + window.burstAccount()
                    + " đã nhập phần lớn người báo cáo trong vài phút; kiểm tra kỹ.");
            audit("PROPOSED", RULES_ACTOR, counts(window));
            outputs.add(new Changed("PROPOSED"));
            raise(AlertLevel.PROPOSED, window, Audience.PROVINCES_AND_NATIONAL, reason);
        }

        private String counts(Evidence window) {
            // Fanpage messages say no province: "from 0 provinces" would read as if nobody were concerned.
            String where = window.provinces().isEmpty() ? "chưa rõ tỉnh/thành"
                    : "từ " + window.provinces().size() + " tỉnh/thành";
            return String.format(Locale.ROOT, "%d người báo cáo (trọng số %.1f) %s qua %d tài khoản trong 24 giờ.",
                    window.distinctReporters(), window.weightedReporters(), where, window.submittingAccounts().size());
        }

        void decide(Decision decision, boolean official) {
            String refusal = refusal(decision, official);
            if (refusal != null) {
                outputs.add(new Refuse(decision, refusal));
                return;
            }
            AuditStep step = new AuditStep(decision.getDecidedAt(), decision.getAction().name(),
                    decision.getActor(), auditReason(decision));
            long decidedAt = decision.getDecidedAt().toEpochMilli();
            state.audit(step);
            switch (decision.getAction()) {
                case CONFIRM -> confirmedByOfficer(decidedAt);
                case REJECT -> {
                    state.proposal = null;
                    state.rejectedAt = decidedAt;
                    state.accountsAtRejection = new TreeSet<>(state.accountsEver);
                    outputs.add(new Changed("REJECTED"));
                }
                case DELIST -> {
                    state.delistedAt = decidedAt;
                    state.proposal = null;
                    lift("DELISTED");
                }
                case ALLOWLIST -> {
                    state.official = true;
                    state.unallowlistedAt = null;
                    state.proposal = null;
                    outputs.add(new Allowlist(decision.getReason() == null ? "Kênh chính thức của BHXH"
                            : decision.getReason(), decision.getActor(), decision.getDecidedAt()));
                    outputs.add(new Changed("ALLOWLISTED"));
                    lift(null);
                }
                case UNALLOWLIST -> {
                    state.official = false;
                    state.unallowlistedAt = decidedAt;
                    outputs.add(new Unallowlist());
                    outputs.add(new Changed("UNALLOWLISTED"));
                }
                default -> {
                    // ACKNOWLEDGE (an office has seen an alert) and KEEP (an appeal heard, the listing stays) are
                    // audit steps only; refusal() has refused every other action.
                }
            }
        }

        /** Why the decision may not be taken, null when it may. */
        private String refusal(Decision decision, boolean official) {
            DecisionAction action = decision.getAction();
            String province = decision.getProvince();
            if (action == DecisionAction.UNKNOWN) {
                return "decision " + decision.getDecisionId() + " has an action this processor does not know";
            }
            // The same rules the dashboard and Decide check before writing (a decision written some other way, or
            // against facts that changed since, is refused here too).
            Optional<DecisionAuthority.Refusal> refused = province != null
                    && DecisionAuthority.NATIONAL_ONLY.contains(action)
                    ? Optional.of(DecisionAuthority.Refusal.NATIONAL_ONLY)
                    : DecisionAuthority.checkAgainst(action, province, state.provincesEver, state.listing != null
                            && state.listing.reasonCode() == ListingReason.POLICE_CONFIRMED);
            if (refused.isPresent()) {
                return refused.get().rule() + ": " + action + " by the office of " + province + " about "
                        + indicator.key() + " (reported in " + state.provincesEver + ")";
            }
            return switch (action) {
                case CONFIRM -> official ? "an official BHXH channel can not be confirmed as a scam; remove it from"
                        + " the allowlist first if it is no longer official" : null;
                case REJECT -> state.listing != null ? indicator.key() + " is listed, not proposed: DELIST lifts a"
                        + " listing" : null;
                case UNALLOWLIST -> official ? null : indicator.key() + " is not on the allowlist";
                default -> null;
            };
        }

        /** Lists what is not listed, and makes an auto-listing a reviewed one; a police confirmation stays as is. */
        private void confirmedByOfficer(long decidedAt) {
            state.delistedAt = null;
            state.rejectedAt = null;
            state.proposal = null;
            if (state.lastSeen == null) {
                state.touch(decidedAt);
            }
            if (state.listing == null) {
                list(BlocklistStatus.LISTED, ListingReason.OFFICER_CONFIRMED, shortWindowEndingAt(state.lastSeen));
            } else if (!EnumSet.of(ListingReason.POLICE_CONFIRMED, ListingReason.OFFICER_CONFIRMED)
                    .contains(state.listing.reasonCode())) {
                list(BlocklistStatus.LISTED, ListingReason.OFFICER_CONFIRMED, shortWindowEndingAt(state.lastSeen));
            }
        }

        void tick() {
            IndicatorState.Proposal proposal = state.proposal;
            if (proposal != null && !proposal.escalated()
                    && now >= proposal.proposedAt() + rules.review().escalateAfter().toMillis()) {
                state.proposal = new IndicatorState.Proposal(proposal.proposedAt(), proposal.windowEnd(), true);
                String reason = "Đề xuất chặn " + indicator.display() + " chưa được xử lý sau "
                        + rules.review().escalateAfter().toMinutes() + " phút: chuyển lên cấp quốc gia.";
                audit("ESCALATED", RULES_ACTOR, reason);
                raise(AlertLevel.ESCALATED, shortWindowEndingAt(proposal.windowEnd()), Audience.NATIONAL, reason);
            }
            if (state.listing != null && state.listing.expiresAt() <= now) {
                audit("EXPIRED", RULES_ACTOR, "Không có báo cáo mới trong "
                        + rules.ttl(indicator.kind(), state.listing.status()).toDays() + " ngày.");
                lift("EXPIRED");
            }
        }

        private void list(BlocklistStatus status, ListingReason reason, Evidence window) {
            boolean wasListed = state.listing != null;
            state.listing = new IndicatorState.Listing(status, reason, now, expiry(status));
            outputs.add(new Changed(status.name()));
            outputs.add(new PublishEntry());
            if (!wasListed) {
                raise(AlertLevel.BLOCKED, window, Audience.PROVINCES_AND_NATIONAL,
                        "Đã đưa " + indicator.display() + " vào danh sách chặn: " + partnerReason(reason) + ".");
            }
        }

        /**
         * A new report of a listed indicator pushes its expiry back at once in the state (and so in the lookup API
         * and the expiry check), and on the blocklist with the next batch of renewals rather than per report.
         */
        private void renew() {
            IndicatorState.Listing listing = state.listing;
            state.listing = new IndicatorState.Listing(listing.status(), listing.reasonCode(), listing.listedAt(),
                    expiry(listing.status()));
            outputs.add(new RenewEntry());
        }

        private void lift(String change) {
            if (state.listing != null) {
                state.listing = null;
                if (change != null) {
                    outputs.add(new Changed(change));
                }
                outputs.add(new LiftEntry());
            }
        }

        private long expiry(BlocklistStatus status) {
            return state.lastSeen + rules.ttl(indicator.kind(), status).toMillis();
        }

        private Evidence shortWindowEndingAt(long end) {
            return Evidence.over(state.sightings, end - rules.shortWindow().toMillis(), end, rules);
        }

        private void raise(AlertLevel level, Evidence window, Audience audience, String reason) {
            outputs.add(new Raise(level, window, audience, reason));
        }

        private void audit(String action, String actor, String reason) {
            state.audit(new AuditStep(Instant.ofEpochMilli(now), action, actor, reason));
        }
    }
}
