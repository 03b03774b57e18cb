package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ContactMethod;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.LinkedIndicator;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.topic.Topics;

/** The reports kept behind each indicator and the campaigns linked from them, through the whole topology. */
class EvidenceFlowTest extends TopologyTestBase {

    private static final String SCAMMER = "tel:+84904038115";
    private static final String SITE = "domain:bhxh-ho-tro.com";
    private static final String OTHER = "tel:+84936417600";
    private static final String HOTLINE = new Normaliser().phone("1900 9068").accepted().orElseThrow().key();
    /** Recent (two days ago), so that the retention's wall clock is ahead of the reports. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
    /** Five reports kept per indicator, for 30 days. */
    private static final Rules RULES = Rules.from(Settings.of(Map.of("PROCESSOR_EVIDENCE_REPORTS", "5",
            "PROCESSOR_EVIDENCE_RETENTION", "P30D")));

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        ProcessorService.buildTopology(builder, topics, RULES, metrics);
    }

    @BeforeEach
    void seedAllowlist() {
        OfficialChannels.all().forEach(entry -> input(topics.allowlist()).pipeInput(entry.getIndicator(), entry));
    }

    @Test
    void aReportIsKeptOnceForEachIndicatorItNamesEvenWhenItArrivesAgain() {
        Report report = report("r-1", "citizen-1", T0, List.of("0904.038.115"), List.of("hxxps://bhxh-ho-tro[.]com/otp"));
        send(report);
        send(report);

        assertThat(kept(SCAMMER)).singleElement().satisfies(evidence -> {
            assertThat(evidence.reportId()).isEqualTo("r-1");
            assertThat(evidence.occurredAt()).isEqualTo(T0);
            assertThat(evidence.receivedAt()).isEqualTo(T0.plusSeconds(30));
            assertThat(evidence.province()).isEqualTo("thanh-hoa");
            assertThat(evidence.channel()).isEqualTo("HOTLINE");
            assertThat(evidence.contactMethod()).isEqualTo("CALL");
            assertThat(evidence.requested()).containsExactly("OTP", "MONEY_TRANSFER");
            assertThat(evidence.amountLostVnd()).isEqualTo(3_000_000);
            assertThat(evidence.notes()).isEqualTo("Tự xưng cán bộ BHXH, đòi mã OTP");
            assertThat(evidence.submittedBy()).isEqualTo("operator-7");
            assertThat(evidence.reporterPseudonym()).isEqualTo("citizen-1");
            assertThat(evidence.coIndicators()).containsExactly(SITE);
        });
        assertThat(kept(SITE)).singleElement().satisfies(evidence ->
                assertThat(evidence.coIndicators()).containsExactly(SCAMMER));
        assertThat(head(SCAMMER)).isEqualTo(new EvidenceStore.Head(1, EvidenceStore.suffix(T0.toEpochMilli(), "r-1"),
                null, false));
    }

    @Test
    void keepsTheFirstReportAndTheNewestUpToTheCapAndSaysTheOthersWereLetGo() {
        for (int i = 0; i < 12; i++) {
            send(report("r-" + i, "citizen-" + i, T0.plusSeconds(60L * i), List.of("0904.038.115"), List.of()));
        }
        assertThat(keptIds(SCAMMER)).containsExactly("r-0", "r-8", "r-9", "r-10", "r-11");
        // Stored: one more than the cap (the slack of 5 is 1); the 7th trimmed back to 5, so r-7 is still there.
        assertThat(storedIds(SCAMMER)).containsExactly("r-0", "r-7", "r-8", "r-9", "r-10", "r-11");
        assertThat(head(SCAMMER).count()).isEqualTo(6);
        assertThat(head(SCAMMER).truncated()).isTrue();

        // Late, and older than all but the first: not among the newest, let go at once.
        send(report("late", "citizen-late", T0.plusSeconds(30), List.of("0904.038.115"), List.of()));
        assertThat(keptIds(SCAMMER)).containsExactly("r-0", "r-8", "r-9", "r-10", "r-11");
        // Older than the first: the first report now, and the old first is one of the rest.
        send(report("earlier", "citizen-earlier", T0.minusSeconds(60), List.of("0904.038.115"), List.of()));
        assertThat(keptIds(SCAMMER)).containsExactly("earlier", "r-8", "r-9", "r-10", "r-11");
        send(report("r-12", "citizen-12", T0.plusSeconds(60L * 12), List.of("0904.038.115"), List.of()));
        assertThat(keptIds(SCAMMER)).containsExactly("earlier", "r-9", "r-10", "r-11", "r-12");
        assertThat(storedIds(SCAMMER)).containsExactly("earlier", "r-9", "r-10", "r-11", "r-12");
        assertThat(head(SCAMMER)).isEqualTo(new EvidenceStore.Head(5,
                EvidenceStore.suffix(T0.minusSeconds(60).toEpochMilli(), "earlier"),
                EvidenceStore.suffix(T0.plusSeconds(60L * 9).toEpochMilli(), "r-9"), true));
    }

    @Test
    void reportsPastTheRetentionAreLetGoByTheSweepAndNeverKeptWhenTheyArriveThatOld() {
        send(report("r-old", "citizen-1", T0.minus(Duration.ofDays(40)), List.of("0904.038.115"), List.of()));
        assertThat(kept(SCAMMER)).isEmpty();

        send(report("r-1", "citizen-1", T0, List.of("0904.038.115"), List.of()));
        send(report("r-2", "citizen-2", T0.plus(Duration.ofDays(1)), List.of("0904.038.115"), List.of()));
        driver.advanceWallClockTime(Duration.ofDays(27));                // T0 is two days ago: 29 days old
        assertThat(keptIds(SCAMMER)).containsExactly("r-1", "r-2");

        driver.advanceWallClockTime(Duration.ofDays(1).plusMinutes(1));
        assertThat(keptIds(SCAMMER)).containsExactly("r-2");
        assertThat(head(SCAMMER).count()).isEqualTo(1);
        assertThat(head(SCAMMER).truncated()).isTrue();

        driver.advanceWallClockTime(Duration.ofDays(1));
        assertThat(kept(SCAMMER)).isEmpty();
        assertThat(head(SCAMMER)).isNull();
    }

    @Test
    void everyAlertCarriesTheCampaignMostReportsFirstAndNeverAnOfficialChannel() {
        // One citizen names the number with another number; the next ones with a site and the national hotline,
        // which the scammer told them to call "to check".
        send(report("r-0", "citizen-0", T0, List.of("0904.038.115", "0936 417 600"), List.of()));
        for (int i = 1; i <= 3; i++) {
            send(report("r-" + i, "citizen-" + i, T0.plusSeconds(i), List.of("0904.038.115", "1900 9068"),
                    List.of("https://bhxh-ho-tro.com/otp")));
        }
        List<Alert> alerts = output(topics.provinceAlerts("thanh-hoa")).readValuesToList();
        assertThat(alerts).filteredOn(alert -> alert.getIndicator().equals(SCAMMER)).singleElement()
                .satisfies(warning -> {
                    assertThat(warning.getLevel()).isEqualTo(AlertLevel.WARNING);
                    // Raised by the third citizen: two of the kept reports name the site, one the other number.
                    assertThat(warning.getLinked()).containsExactly(
                            new LinkedIndicator(SITE, 2, T0.plusSeconds(1)),
                            new LinkedIndicator(OTHER, 1, T0));
                });
        assertThat(alerts).filteredOn(alert -> alert.getIndicator().equals(SITE)).singleElement()
                .satisfies(warning -> assertThat(warning.getLinked())
                        .containsExactly(new LinkedIndicator(SCAMMER, 3, T0.plusSeconds(1))));
        // The spoofed hotline's own alert links nothing: an official channel is in no campaign.
        assertThat(alerts).filteredOn(alert -> alert.getIndicator().equals(HOTLINE)).isNotEmpty()
                .allSatisfy(spoofed -> {
                    assertThat(spoofed.getLevel()).isEqualTo(AlertLevel.OFFICIAL_CHANNEL_SPOOFED);
                    assertThat(spoofed.getLinked()).isEmpty();
                });
        assertThat(alerts).flatExtracting(Alert::getLinked).extracting(LinkedIndicator::getIndicator)
                .doesNotContain(HOTLINE);

        // The fifth citizen proposes the number: the proposal links what the kept reports name with it by now.
        send(report("r-4", "citizen-4", T0.plusSeconds(4), List.of("0904.038.115"), List.of("bhxh-ho-tro.com")));
        Alert proposal = output(topics.nationalAlerts()).readValuesToList().stream()
                .filter(alert -> alert.getIndicator().equals(SCAMMER)).findFirst().orElseThrow();
        assertThat(proposal.getLevel()).isEqualTo(AlertLevel.PROPOSED);
        assertThat(proposal.getLinked()).containsExactly(new LinkedIndicator(SITE, 4, T0.plusSeconds(1)),
                new LinkedIndicator(OTHER, 1, T0));

        driver.advanceWallClockTime(RULES.review().escalateAfter().plusMinutes(1));
        assertThat(output(topics.nationalAlerts()).readValuesToList())
                .filteredOn(alert -> alert.getLevel() == AlertLevel.ESCALATED
                        && alert.getIndicator().equals(SCAMMER)).singleElement()
                .satisfies(escalated -> assertThat(escalated.getLinked()).extracting(LinkedIndicator::getIndicator)
                        .containsExactly(SITE, OTHER));
    }

    @Test
    void aCampaignDecisionSaysInTheAuditWhoseCampaignItWas() {
        for (int i = 0; i < 5; i++) {
            send(report("r-" + i, "citizen-" + i, T0.plusSeconds(i), List.of("0904.038.115"),
                    List.of("https://bhxh-ho-tro.com/otp")));
        }
        output(topics.nationalAlerts()).readValuesToList();
        for (String indicator : List.of(SCAMMER, SITE)) {
            input(topics.decisions()).pipeInput(indicator, Decision.newBuilder().setDecisionId("d-" + indicator)
                    .setAction(DecisionAction.CONFIRM).setIndicator(indicator).setActor("officer-1")
                    .setReason("đã xác minh").setDecidedAt(T0.plusSeconds(60)).setCampaignOf(SCAMMER).build());
        }
        for (String indicator : List.of(SCAMMER, SITE)) {
            assertThat(audit(indicator)).last().satisfies(step -> {
                assertThat(step.action()).isEqualTo("CONFIRM");
                assertThat(step.actor()).isEqualTo("officer-1");
                assertThat(step.reason()).isEqualTo("Quyết định cho cả chiến dịch của 0904 038 115: đã xác minh");
            });
        }
        List<Alert> blocked = output(topics.nationalAlerts()).readValuesToList();
        assertThat(blocked).extracting(Alert::getIndicator, Alert::getLevel).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(SCAMMER, AlertLevel.BLOCKED),
                org.assertj.core.groups.Tuple.tuple(SITE, AlertLevel.BLOCKED));
        assertThat(blocked).filteredOn(alert -> alert.getIndicator().equals(SITE)).singleElement()
                .satisfies(alert -> assertThat(alert.getLinked()).containsExactly(
                        new LinkedIndicator(SCAMMER, 5, T0)));
    }

    /** What readers get. */
    private List<ReportEvidence> kept(String indicator) {
        return EvidenceStore.reports(driver.<String, ReportEvidence>getKeyValueStore(EvidenceStore.STORE), indicator,
                RULES.campaigns().evidenceReports());
    }

    private List<String> keptIds(String indicator) {
        return ids(kept(indicator));
    }

    /** What the store holds, up to the slack past the cap. */
    private List<String> storedIds(String indicator) {
        return ids(EvidenceStore.reports(driver.<String, ReportEvidence>getKeyValueStore(EvidenceStore.STORE),
                indicator, Integer.MAX_VALUE));
    }

    private static List<String> ids(List<ReportEvidence> reports) {
        List<String> ids = new ArrayList<>();
        reports.forEach(evidence -> ids.add(evidence.reportId()));
        return ids;
    }

    private EvidenceStore.Head head(String indicator) {
        return driver.<String, EvidenceStore.Head>getKeyValueStore(EvidenceStore.HEADS).get(indicator);
    }

    private List<IndicatorStatus.AuditStep> audit(String indicator) {
        return driver.<String, IndicatorState>getKeyValueStore(IndicatorProcessor.STORE).get(indicator).audit;
    }

    private static Report report(String id, String reporter, Instant at, List<String> phones, List<String> urls) {
        return Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym(reporter)
                .setProvince("thanh-hoa")
                .setContactMethod(ContactMethod.CALL)
                .setPhoneNumbers(phones)
                .setUrls(urls)
                .setRequested(List.of(ScamRequest.OTP, ScamRequest.MONEY_TRANSFER))
                .setAmountLostVnd(3_000_000)
                .setNotes("Tự xưng cán bộ BHXH, đòi mã OTP")
                .setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(30))
                .setSubmittedBy("operator-7")
                .build();
    }
}
