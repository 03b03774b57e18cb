package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.IndicatorEvent;

/** The listing rules without Kafka: a state, events, a wall clock moved by hand. */
class ListingLifecycleTest {

    private static final Indicator PHONE = Indicator.parseKey("tel:+84904038115").orElseThrow();
    private static final Indicator DOMAIN = Indicator.parseKey("domain:bhxh-ho-tro.com").orElseThrow();
    private static final long T0 = Instant.parse("2026-11-02T08:00:00Z").toEpochMilli();
    private static final long MINUTE = Duration.ofMinutes(1).toMillis();

    private ListingLifecycle lifecycle = new ListingLifecycle(Rules.DEFAULTS);
    private Indicator indicator = PHONE;
    private IndicatorState state = new IndicatorState();
    /** The wall clock; reports are entered at it too. */
    private long now = T0;
    private final List<ListingLifecycle.Output> outputs = new ArrayList<>();
    private int reports;

    @Test
    void fiveHotlineReportersFromSeveralAccountsAreProposedNeverListed() {
        for (int i = 0; i < 5; i++) {
            report(Channel.HOTLINE, "citizen-" + i, "operator-" + i % 3, i < 3 ? "thanh-hoa" : "nghe-an");
        }
        assertThat(levels()).containsExactly(AlertLevel.WARNING, AlertLevel.PROPOSED);
        assertThat(published()).isZero();
        assertThat(state.proposal).isNotNull();
        assertThat(state.listing).isNull();
        ListingLifecycle.Raise proposed = raised(AlertLevel.PROPOSED).get(0);
        assertThat(proposed.audience()).isEqualTo(ListingLifecycle.Audience.PROVINCES_AND_NATIONAL);
        assertThat(proposed.evidence().distinctReporters()).isEqualTo(5);
        assertThat(proposed.evidence().submittingAccounts())
                .containsExactlyInAnyOrderEntriesOf(Map.of("operator-0", 2, "operator-1", 2, "operator-2", 1));
        assertThat(proposed.evidence().provinces()).containsExactly("nghe-an", "thanh-hoa");
        assertThat(proposed.evidence().burstAccount()).isNull();

        outputs.clear();
        report(Channel.HOTLINE, "citizen-9", "operator-0", "thanh-hoa");   // more evidence: no second proposal
        assertThat(levels()).isEmpty();
    }

    @Test
    void fanpageEvidenceAloneIsNeverListedEvenWithAutoListingOn() {
        autoList();
        for (int i = 0; i < 10; i++) {
            report(Channel.FANPAGE, "sender-" + i, "page-" + i % 4, i % 2 == 0 ? "ha-noi" : "hue");
        }
        assertThat(state.proposal).isNotNull();
        assertThat(state.listing).isNull();
        assertThat(published()).isZero();
    }

    @Test
    void oneAccountEnteringMostReportersInMinutesIsFlaggedAndNeverAutoListed() {
        autoList();
        for (int i = 0; i < 5; i++) {
            report(Channel.HOTLINE, "invented-" + i, "operator-x", List.of("ha-noi", "hue", "da-nang").get(i % 3));
        }
        assertThat(state.listing).isNull();
        assertThat(raised(AlertLevel.PROPOSED)).singleElement().satisfies(proposal -> {
            assertThat(proposal.evidence().burstAccount()).isEqualTo("operator-x");
            assertThat(proposal.reason()).contains("operator-x");
        });
    }

    @Test
    void autoListingNeedsThreeAccountsInTwoProvincesAndListsAtThatThreshold() {
        autoList();
        // Two accounts: proposed, not listed, however many reporters.
        for (int i = 0; i < 6; i++) {
            now += 15 * MINUTE;
            report(Channel.HOTLINE, "citizen-" + i, "operator-" + i % 2, i % 2 == 0 ? "ha-noi" : "hue");
        }
        assertThat(state.listing).isNull();
        assertThat(state.proposal).isNotNull();
        // A third account: listed without review.
        outputs.clear();
        now += 15 * MINUTE;
        report(Channel.HOTLINE, "citizen-6", "operator-2", "hue");
        assertThat(state.listing.status()).isEqualTo(BlocklistStatus.LISTED);
        assertThat(state.listing.reasonCode()).isEqualTo(ListingReason.CROWD_AUTO_LISTED);
        assertThat(state.proposal).isNull();
        assertThat(published()).isEqualTo(1);
        assertThat(levels()).containsExactly(AlertLevel.BLOCKED);
    }

    @Test
    void autoListingNeedsTwoProvinces() {
        autoList();
        for (int i = 0; i < 6; i++) {
            now += 15 * MINUTE;
            report(Channel.HOTLINE, "citizen-" + i, "operator-" + i % 3, "ha-noi");
        }
        assertThat(state.listing).isNull();
        assertThat(state.proposal).isNotNull();
    }

    @Test
    void anOfficersConfirmationListsAProposalWithTheOfficerOnlyInTheAudit() {
        propose();
        decide(DecisionAction.CONFIRM, "thanh-hoa", "officer-th", "đã gọi xác minh");
        assertThat(state.listing.status()).isEqualTo(BlocklistStatus.LISTED);
        assertThat(state.listing.reasonCode()).isEqualTo(ListingReason.OFFICER_CONFIRMED);
        assertThat(state.proposal).isNull();
        assertThat(published()).isEqualTo(1);
        assertThat(levels()).containsExactly(AlertLevel.BLOCKED);
        assertThat(raised(AlertLevel.BLOCKED).get(0).reason()).doesNotContain("officer-th");
        assertThat(state.audit).last().satisfies(step -> {
            assertThat(step.action()).isEqualTo("CONFIRM");
            assertThat(step.actor()).isEqualTo("officer-th");
            assertThat(step.reason()).isEqualTo("đã gọi xác minh");
        });
        assertThat(ListingLifecycle.partnerReason(state.listing.reasonCode()))
                .isEqualTo("Cán bộ BHXH đã xác minh từ báo cáo của người dân");
    }

    @Test
    void aRejectionKeepsTheSameAccountsFromProposingAgainButANewAccountMay() {
        propose();
        decide(DecisionAction.REJECT, null, "officer-hq", "số của một doanh nghiệp");
        assertThat(state.proposal).isNull();
        assertThat(state.rejectedAt).isNotNull();

        now += Duration.ofDays(2).toMillis();
        for (int i = 10; i < 16; i++) {
            report(Channel.HOTLINE, "citizen-" + i, "operator-" + i % 3, "thanh-hoa");
        }
        assertThat(levels()).doesNotContain(AlertLevel.PROPOSED);
        assertThat(state.proposal).isNull();

        outputs.clear();
        report(Channel.HOTLINE, "citizen-20", "operator-new", "thanh-hoa");
        assertThat(levels()).containsExactly(AlertLevel.PROPOSED);
    }

    @Test
    void aRejectionLapsesAfterItsGuard() {
        propose();
        decide(DecisionAction.REJECT, null, "officer-hq", "nhầm");
        now += Duration.ofDays(31).toMillis();
        for (int i = 10; i < 15; i++) {
            report(Channel.HOTLINE, "citizen-" + i, "operator-0", "thanh-hoa");
        }
        assertThat(levels()).contains(AlertLevel.PROPOSED);
    }

    @Test
    void anUndecidedProposalIsEscalatedToTheNationalBoardOnceAfterTwoHours() {
        propose();
        long proposedAt = state.proposal.proposedAt();
        assertThat(lifecycle.nextDue(state)).isEqualTo(proposedAt + Duration.ofHours(2).toMillis());
        now = proposedAt + Duration.ofHours(2).toMillis() - 1;
        tick();
        assertThat(levels()).isEmpty();
        now += 1;
        tick();
        assertThat(levels()).containsExactly(AlertLevel.ESCALATED);
        assertThat(raised(AlertLevel.ESCALATED)).singleElement().satisfies(escalated ->
                assertThat(escalated.audience()).isEqualTo(ListingLifecycle.Audience.NATIONAL));
        assertThat(state.proposal.escalated()).isTrue();
        assertThat(lifecycle.nextDue(state)).isNull();
        outputs.clear();
        now += Duration.ofHours(5).toMillis();
        tick();
        assertThat(levels()).isEmpty();
    }

    @Test
    void aProvinceOfficerActsOnlyOnIndicatorsReportedInTheirProvince() {
        propose();
        decide(DecisionAction.CONFIRM, "ca-mau", "officer-cm", "nghi ngờ");
        assertThat(refusals()).singleElement().asString().contains("ca-mau");
        assertThat(state.listing).isNull();
        assertThat(state.proposal).isNotNull();
        outputs.clear();
        decide(DecisionAction.REJECT, "nghe-an", "officer-na", "không đủ căn cứ");
        assertThat(refusals()).isEmpty();
        assertThat(state.proposal).isNull();
    }

    @Test
    void delistingAPoliceConfirmationNeedsANationalAccount() {
        report(Channel.POLICE, "unit-a05", "police-a05", "thanh-hoa");
        assertThat(state.listing.reasonCode()).isEqualTo(ListingReason.POLICE_CONFIRMED);
        assertThat(levels()).containsExactly(AlertLevel.BLOCKED);
        assertThat(state.audit).last().satisfies(step -> assertThat(step.actor()).isEqualTo("police-a05"));

        decide(DecisionAction.DELIST, "thanh-hoa", "officer-th", "chủ thuê bao khiếu nại");
        assertThat(refusals()).singleElement().asString().contains("national");
        assertThat(state.listing).isNotNull();

        outputs.clear();
        decide(DecisionAction.DELIST, null, "officer-hq", "chủ thuê bao khiếu nại");
        assertThat(state.listing).isNull();
        assertThat(outputs).hasAtLeastOneElementOfType(ListingLifecycle.LiftEntry.class);
    }

    @Test
    void aProvinceMayDelistAnOfficerConfirmedListingInItsProvince() {
        propose();
        decide(DecisionAction.CONFIRM, null, "officer-hq", "xác minh");
        decide(DecisionAction.DELIST, "thanh-hoa", "officer-th", "khiếu nại hợp lệ");
        assertThat(refusals()).isEmpty();
        assertThat(state.listing).isNull();
        assertThat(state.delistedAt).isNotNull();
    }

    @Test
    void onlyANationalAccountChangesTheAllowlistAndAnUnallowlistedSeedStaysOff() {
        report(Channel.HOTLINE, "citizen-1", "operator-1", "ha-noi");
        decide(DecisionAction.ALLOWLIST, "ha-noi", "officer-hn", "đường dây nóng");
        assertThat(refusals()).singleElement().asString().contains("national");
        outputs.clear();
        AllowlistEntry seeded = AllowlistEntry.newBuilder().setIndicator(PHONE.key()).setKind(IndicatorKind.PHONE)
                .setName("Đường dây nóng").setSource("seed").setAddedAt(Instant.ofEpochMilli(T0 - MINUTE)).build();

        decide(DecisionAction.UNALLOWLIST, null, "officer-hq", "số đã ngừng dùng", seeded);
        assertThat(outputs).hasAtLeastOneElementOfType(ListingLifecycle.Unallowlist.class);
        assertThat(state.unallowlistedAt).isNotNull();
        outputs.clear();

        // The seed file written again at a start: the entry is older than the decision, so it is not official,
        // and is removed again; a police referral now lists it.
        now += MINUTE;
        apply(new ListingLifecycle.ReportSeen(report(Channel.POLICE, "unit", "police-a05", "ha-noi", now), now),
                seeded);
        assertThat(outputs).hasAtLeastOneElementOfType(ListingLifecycle.Unallowlist.class);
        assertThat(state.listing.reasonCode()).isEqualTo(ListingReason.POLICE_CONFIRMED);
    }

    @Test
    void anUnknownActionIsRefusedAndKeepAndAcknowledgeAreOnlyAudited() {
        propose();
        decide(DecisionAction.UNKNOWN, null, "officer-hq", null);
        assertThat(refusals()).hasSize(1);
        outputs.clear();
        decide(DecisionAction.ACKNOWLEDGE, "thanh-hoa", "officer-th", "đã xem");
        decide(DecisionAction.KEEP, null, "officer-hq", "giữ nguyên");
        assertThat(outputs).isEmpty();
        assertThat(state.audit).extracting(step -> step.action()).endsWith("ACKNOWLEDGE", "KEEP");
    }

    /** Each indicator of a campaign gets its own decision: the rules are the same, the audit says whose it was. */
    @Test
    void aCampaignDecisionIsDecidedAsAnyOtherAndItsAuditSaysWhoseCampaignItWas() {
        indicator = DOMAIN;
        propose();
        now += MINUTE;
        apply(new ListingLifecycle.DecisionTaken(Decision.newBuilder().setDecisionId("d-campaign")
                .setAction(DecisionAction.CONFIRM).setIndicator(DOMAIN.key()).setActor("officer-hq")
                .setReason("cùng một nhóm lừa đảo").setCampaignOf(PHONE.key()).setDecidedAt(Instant.ofEpochMilli(now))
                .build()), null);
        assertThat(state.listing.reasonCode()).isEqualTo(ListingReason.OFFICER_CONFIRMED);
        assertThat(state.audit).last().satisfies(step -> {
            assertThat(step.action()).isEqualTo("CONFIRM");
            assertThat(step.reason()).isEqualTo("Quyết định cho cả chiến dịch của 0904 038 115: cùng một nhóm lừa đảo");
        });
        assertThat(ListingLifecycle.auditReason(Decision.newBuilder().setDecisionId("d").setIndicator(DOMAIN.key())
                .setAction(DecisionAction.DELIST).setActor("officer-hq").setCampaignOf(PHONE.key())
                .setDecidedAt(Instant.ofEpochMilli(now)).build()))
                .isEqualTo("Quyết định cho cả chiến dịch của 0904 038 115.");
    }

    @Test
    void listingsLapseByKindAndSourceAfterTheLastReport() {
        Rules rules = Rules.DEFAULTS;
        propose();
        decide(DecisionAction.CONFIRM, null, "officer-hq", "xác minh");
        assertThat(state.listing.expiresAt()).isEqualTo(state.lastSeen + Duration.ofDays(30).toMillis());
        assertThat(lifecycle.nextDue(state)).isEqualTo(state.listing.expiresAt());
        now = state.listing.expiresAt() - 1;
        tick();
        assertThat(state.listing).isNotNull();
        now += 1;
        tick();
        assertThat(state.listing).isNull();
        assertThat(outputs).hasAtLeastOneElementOfType(ListingLifecycle.LiftEntry.class)
                .contains(new ListingLifecycle.Changed("EXPIRED"));

        indicator = DOMAIN;
        state = new IndicatorState();
        propose();
        decide(DecisionAction.CONFIRM, null, "officer-hq", "xác minh");
        assertThat(state.listing.expiresAt() - state.lastSeen).isEqualTo(rules.listingTtl().crowdOther().toMillis())
                .isEqualTo(Duration.ofDays(180).toMillis());

        state = new IndicatorState();
        outputs.clear();
        report(Channel.POLICE, "unit", "police-a05", "ha-noi");
        assertThat(state.listing.expiresAt() - state.lastSeen).isEqualTo(Duration.ofDays(365).toMillis());
        // Renewed by a new report.
        long before = state.listing.expiresAt();
        now += Duration.ofDays(3).toMillis();
        report(Channel.HOTLINE, "citizen-x", "operator-1", "ha-noi");
        assertThat(state.listing.expiresAt()).isEqualTo(before + Duration.ofDays(3).toMillis());
        assertThat(published()).isEqualTo(1);                               // the listing; the renewal waits
        assertThat(outputs).contains(new ListingLifecycle.RenewEntry());
    }

    /** A wallet is a phone number's, and numbers are recycled: it lapses as a phone; a social account as a page. */
    @Test
    void aWalletLapsesAsAPhoneAndASocialAccountAsOtherIndicators() {
        Rules rules = Rules.DEFAULTS;

        assertThat(rules.ttl(IndicatorKind.E_WALLET, BlocklistStatus.LISTED))
                .isEqualTo(rules.listingTtl().crowdPhone()).isEqualTo(Duration.ofDays(30));
        assertThat(rules.ttl(IndicatorKind.SOCIAL_ACCOUNT, BlocklistStatus.LISTED))
                .isEqualTo(rules.listingTtl().crowdOther());
        assertThat(rules.ttl(IndicatorKind.SOCIAL_ACCOUNT, BlocklistStatus.CONFIRMED))
                .isEqualTo(rules.listingTtl().police());
    }

    @Test
    void theStatePassedInIsNeverChanged() {
        IndicatorState before = state;
        ListingLifecycle.Result result = lifecycle.apply(indicator, before, null, new ListingLifecycle.ReportSeen(
                report(Channel.POLICE, "unit", "police-a05", "ha-noi", now), now), now);
        assertThat(before.listing).isNull();
        assertThat(before.sightings).isEmpty();
        assertThat(result.state().listing).isNotNull();
    }

    private void autoList() {
        Map<String, String> settings = new HashMap<>();
        settings.put("PROCESSOR_AUTO_LIST", "true");
        lifecycle = new ListingLifecycle(Rules.from(Settings.of(settings)));
    }

    /** Five reporters from three hotline accounts in Thanh Hóa and Nghệ An: a proposal. */
    private void propose() {
        for (int i = 0; i < 5; i++) {
            now += 15 * MINUTE;
            report(Channel.HOTLINE, "citizen-" + i, "operator-" + i % 3, i < 3 ? "thanh-hoa" : "nghe-an");
        }
        assertThat(state.proposal).isNotNull();
        outputs.clear();
    }

    private void report(Channel channel, String reporter, String account, String province) {
        apply(new ListingLifecycle.ReportSeen(report(channel, reporter, account, province, now), now), null);
    }

    private IndicatorEvent report(Channel channel, String reporter, String account, String province, long at) {
        return IndicatorEvent.newBuilder()
                .setIndicator(indicator.key())
                .setReportId("r-" + ++reports)
                .setChannel(channel)
                .setReporterPseudonym(reporter)
                .setProvince(province)
                .setOccurredAt(Instant.ofEpochMilli(at))
                .setReceivedAt(Instant.ofEpochMilli(at))
                .setSubmittedBy(account)
                .setSourceReference(channel == Channel.POLICE ? "CV-12/2026" : null)
                .build();
    }

    private void decide(DecisionAction action, String province, String actor, String reason) {
        decide(action, province, actor, reason, null);
    }

    private void decide(DecisionAction action, String province, String actor, String reason,
                        AllowlistEntry allowlisted) {
        now += MINUTE;
        apply(new ListingLifecycle.DecisionTaken(Decision.newBuilder().setDecisionId("d-" + now).setAction(action)
                .setIndicator(indicator.key()).setActor(actor).setProvince(province).setReason(reason)
                .setDecidedAt(Instant.ofEpochMilli(now)).build()), allowlisted);
    }

    private void tick() {
        apply(new ListingLifecycle.Tick(), null);
    }

    /** Applies the event; what it sent is added to {@link #outputs}. */
    private void apply(ListingLifecycle.Event event, AllowlistEntry allowlisted) {
        ListingLifecycle.Result result = lifecycle.apply(indicator, state, allowlisted, event, now);
        state = result.state();
        outputs.addAll(result.outputs());
    }

    private List<ListingLifecycle.Raise> raised(AlertLevel level) {
        return outputs.stream().filter(ListingLifecycle.Raise.class::isInstance).map(ListingLifecycle.Raise.class::cast)
                .filter(raise -> raise.level() == level).toList();
    }

    private List<AlertLevel> levels() {
        return outputs.stream().filter(ListingLifecycle.Raise.class::isInstance)
                .map(output -> ((ListingLifecycle.Raise) output).level()).toList();
    }

    private long published() {
        return outputs.stream().filter(ListingLifecycle.PublishEntry.class::isInstance).count();
    }

    private List<String> refusals() {
        return outputs.stream().filter(ListingLifecycle.Refuse.class::isInstance)
                .map(output -> ((ListingLifecycle.Refuse) output).why()).toList();
    }
}
