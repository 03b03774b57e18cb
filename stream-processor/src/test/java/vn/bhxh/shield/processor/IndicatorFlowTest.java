package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/** The whole processor topology, as ProcessorService runs it, with the default rules. */
class IndicatorFlowTest extends TopologyTestBase {

    private static final String SCAMMER = "tel:+84904038115";
    /** Recent (two days ago), so that wall-clock expiry is ahead of the driver's clock. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
    private static final Rules RULES = Rules.from(Settings.of(Map.of()));
    private int reports;

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        ProcessorService.buildTopology(builder, topics, RULES, metrics);
    }

    @BeforeEach
    void seedAllowlist() {
        OfficialChannels.all().forEach(entry -> input(topics.allowlist()).pipeInput(entry.getIndicator(), entry));
    }

    @Test
    void readsReportsAndDecisionsWhereTheyLieWithoutARepartition() {
        String description = topology.describe().toString();
        assertThat(description).doesNotContain("repartition");
        // One sub-topology reads both inputs (besides the allowlist's global table): one task owns an indicator.
        assertThat(topology.describe().subtopologies()).singleElement().satisfies(subtopology ->
                assertThat(subtopology.nodes().stream()
                        .filter(node -> node instanceof TopologyDescription.Source)
                        .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream()).toList())
                        .containsExactlyInAnyOrder(Topics.INDICATOR_EVENTS, Topics.DECISIONS));
    }

    @Test
    void warnsTheReportingProvincesOnceWhenThreeReportersCallProposesAtFiveAndListsOnlyWhenConfirmed() {
        send(report("citizen-1", "thanh-hoa", T0));
        send(report("citizen-1", "thanh-hoa", T0.plusSeconds(60)));     // the same citizen again counts once
        send(report("citizen-2", "thanh-hoa", T0.plusSeconds(120)));
        assertThat(alerts("thanh-hoa")).isEmpty();

        send(report("citizen-3", "nghe-an", T0.plusSeconds(180)));
        List<Alert> thanhHoa = alerts("thanh-hoa");
        assertThat(thanhHoa).singleElement().satisfies(alert -> {
            assertThat(alert.getLevel()).isEqualTo(AlertLevel.WARNING);
            assertThat(alert.getDistinctReporters()).isEqualTo(3);
            assertThat(alert.getReportCount()).isEqualTo(4);
            assertThat(alert.getProvinces()).containsExactly("nghe-an", "thanh-hoa");
            assertThat(alert.getChannelCounts()).containsEntry("HOTLINE", 4);
            assertThat(alert.getSampleNotes()).containsExactly("Tự xưng cán bộ BHXH, đòi mã OTP");
            // All four reports came within the last hour of the window.
            assertThat(alert.getHourlyReports()).hasSize(24).endsWith(4)
                    .satisfies(hours -> assertThat(hours.stream().mapToInt(Integer::intValue).sum())
                            .isEqualTo(alert.getReportCount()));
        });
        assertThat(alerts("nghe-an")).extracting(Alert::getAlertId).containsExactly(thanhHoa.get(0).getAlertId());
        assertThat(output(topics.nationalAlerts()).isEmpty()).isTrue();

        send(report("citizen-4", "thanh-hoa", T0.plusSeconds(240)));     // above the level: no new alert
        assertThat(alerts("thanh-hoa")).isEmpty();

        // Five reporters: a review item on both boards and the national one, nothing for partners.
        send(report("citizen-5", "thanh-hoa", T0.plusSeconds(300)));
        Alert proposal = alerts("thanh-hoa").get(0);
        assertThat(proposal.getLevel()).isEqualTo(AlertLevel.PROPOSED);
        assertThat(proposal.getDistinctReporters()).isEqualTo(5);
        assertThat(proposal.getSubmittingAccounts()).containsExactly(Map.entry("operator-7", 5));
        // One operator account entered all five reporters within five minutes.
        assertThat(proposal.getBurstAccount()).isEqualTo("operator-7");
        assertThat(alerts("nghe-an")).extracting(Alert::getLevel).containsExactly(AlertLevel.PROPOSED);
        assertThat(output(topics.nationalAlerts()).readValuesToList()).extracting(Alert::getLevel)
                .containsExactly(AlertLevel.PROPOSED);
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();

        decide(DecisionAction.CONFIRM, T0.plusSeconds(310), "đã gọi lại xác minh");
        assertThat(alerts("thanh-hoa")).extracting(Alert::getLevel).containsExactly(AlertLevel.BLOCKED);
        assertThat(alerts("nghe-an")).extracting(Alert::getLevel).containsExactly(AlertLevel.BLOCKED);
        assertThat(output(topics.nationalAlerts()).readValuesToList()).extracting(Alert::getLevel)
                .containsExactly(AlertLevel.BLOCKED);
        BlocklistEntry entry = output(topics.blocklist()).readKeyValue().value;
        assertThat(entry.getStatus()).isEqualTo(BlocklistStatus.LISTED);
        assertThat(entry.getReasonCode()).isEqualTo(ListingReason.OFFICER_CONFIRMED);
        assertThat(entry.getReason()).isEqualTo("Cán bộ BHXH đã xác minh từ báo cáo của người dân");
        assertThat(entry.getDistinctReporters()).isEqualTo(5);
        // A crowd-listed phone number lapses 30 days after its last report.
        assertThat(entry.getExpiresAt()).isEqualTo(T0.plusSeconds(300).plus(Duration.ofDays(30)));
        assertThat(audit(SCAMMER)).extracting(IndicatorStatus.AuditStep::action)
                .containsExactly("PROPOSED", "CONFIRM");
        assertThat(metrics.count("bhxh_processor_alerts", "level", "WARNING")).isEqualTo(1);
        assertThat(metrics.count("bhxh_processor_alerts", "level", "PROPOSED")).isEqualTo(1);
        assertThat(metrics.count("bhxh_processor_alerts", "level", "BLOCKED")).isEqualTo(1);
        // Per topic written: the warning went to both reporting provinces, the listing to them and national.
        assertThat(metrics.count("bhxh_processor_province_alerts", "level", "WARNING", "province", "thanh-hoa"))
                .isEqualTo(1);
        assertThat(metrics.count("bhxh_processor_province_alerts", "level", "WARNING", "province", "nghe-an"))
                .isEqualTo(1);
        assertThat(metrics.count("bhxh_processor_province_alerts", "level", "WARNING", "province", "national"))
                .isZero();
        assertThat(metrics.count("bhxh_processor_province_alerts", "level", "BLOCKED", "province", "national"))
                .isEqualTo(1);
        assertThat(metrics.count("bhxh_processor_listings", "change", "PROPOSED")).isEqualTo(1);
        assertThat(metrics.count("bhxh_processor_listings", "change", "LISTED")).isEqualTo(1);

        send(report("citizen-6", "thanh-hoa", T0.plusSeconds(360)));     // renewal: new expiry, no new alert
        send(report("citizen-7", "thanh-hoa", T0.plusSeconds(330)));     // sent with it, in one entry
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        driver.advanceWallClockTime(RULES.renewInterval());
        assertThat(output(topics.blocklist()).readValuesToList()).singleElement().satisfies(renewed -> {
            assertThat(renewed.getDistinctReporters()).isEqualTo(7);
            assertThat(renewed.getExpiresAt()).isEqualTo(T0.plusSeconds(360).plus(Duration.ofDays(30)));
        });
        driver.advanceWallClockTime(RULES.renewInterval());
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();                  // nothing new, nothing sent
        send(report("citizen-8", "thanh-hoa", T0.plusSeconds(420)));
        driver.advanceWallClockTime(RULES.renewInterval());
        assertThat(output(topics.blocklist()).readKeyValue().value.getExpiresAt())
                .isEqualTo(T0.plusSeconds(420).plus(Duration.ofDays(30)));
        assertThat(alerts("thanh-hoa")).isEmpty();
    }

    @Test
    void fanpageReportersWeighHalfAndReportsOutsideTheWindowDoNotAddUp() {
        for (int i = 1; i <= 5; i++) {
            send(report(Channel.FANPAGE, "fan-" + i, null, T0.plusSeconds(i)));
        }
        assertThat(output(topics.nationalAlerts()).isEmpty()).isTrue();  // 2.5 weighted
        send(report(Channel.FANPAGE, "fan-6", null, T0.plus(Duration.ofHours(25))));
        assertThat(output(topics.nationalAlerts()).isEmpty()).isTrue();  // only 1 in the last 24 h
        send(report(Channel.FANPAGE, "fan-7", null, T0.plus(Duration.ofHours(26))));
        for (int i = 8; i <= 11; i++) {
            send(report(Channel.FANPAGE, "fan-" + i, null, T0.plus(Duration.ofHours(26)).plusSeconds(i)));
        }
        // 6 fanpage reporters in 24 h weigh 3.0: a WARNING, national because fanpage reports have no province.
        assertThat(output(topics.nationalAlerts()).readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getLevel()).isEqualTo(AlertLevel.WARNING);
            assertThat(alert.getWeightedReporters()).isEqualTo(3.0);
        });
    }

    @Test
    void threeProvincesProposeAndAPoliceReferralListsAtOnce() {
        send(report("a", "ha-noi", T0));
        send(report("b", "hue", T0.plusSeconds(1)));
        send(report("c", "da-nang", T0.plusSeconds(2)));
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        assertThat(alerts("hue")).extracting(Alert::getLevel).containsExactly(AlertLevel.PROPOSED);

        send(report(Channel.POLICE, "unit-a05", null, T0.plusSeconds(3)));
        BlocklistEntry confirmed = output(topics.blocklist()).readValue();
        assertThat(confirmed.getStatus()).isEqualTo(BlocklistStatus.CONFIRMED);
        assertThat(confirmed.getReasonCode()).isEqualTo(ListingReason.POLICE_CONFIRMED);
        assertThat(confirmed.getReason()).isEqualTo("Cơ quan công an xác nhận là số/kênh lừa đảo");
        assertThat(audit(SCAMMER)).extracting(IndicatorStatus.AuditStep::action)
                .containsExactly("PROPOSED", "CONFIRMED");
        assertThat(alerts("hue")).extracting(Alert::getLevel).containsExactly(AlertLevel.BLOCKED);
        // The police listing closed the proposal: nothing is escalated.
        output(topics.nationalAlerts()).readValuesToList();
        driver.advanceWallClockTime(Duration.ofHours(3));
        assertThat(output(topics.nationalAlerts()).isEmpty()).isTrue();
    }

    @Test
    void aPoliceReferralListsConfirmedAtOnceEvenWeeksLate() {
        send(report("x", "ha-noi", T0.plus(Duration.ofDays(20))));
        send(report(Channel.POLICE, "unit-a05", null, T0));              // far behind stream time
        BlocklistEntry entry = output(topics.blocklist()).readValuesToList().get(0);
        assertThat(entry.getStatus()).isEqualTo(BlocklistStatus.CONFIRMED);
        assertThat(audit(SCAMMER)).extracting(IndicatorStatus.AuditStep::actor).containsExactly("police-unit");
        assertThat(output(topics.nationalAlerts()).readValuesToList()).extracting(Alert::getLevel)
                .containsExactly(AlertLevel.BLOCKED);
        assertThat(metrics.count("bhxh_processor_reports_too_late")).isEqualTo(1);
    }

    @Test
    void aFakePageOnASharedPlatformIsListedAsItsAccountNeverByThePlatformsDomain() {
        for (int i = 0; i < 5; i++) {
            send(Report.newBuilder(report("citizen-" + i, "thanh-hoa", T0.plusSeconds(i)))
                    .setPhoneNumbers(List.of())
                    .setUrls(List.of("https://m.facebook.com/BHXH.BinhDuong.HoTro?ref=share"))
                    .build());
        }
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        decide(DecisionAction.CONFIRM, "https://m.facebook.com/BHXH.BinhDuong.HoTro", null, T0.plusSeconds(60),
                "trang giả mạo");
        assertThat(output(topics.blocklist()).readKeyValuesToMap())
                .containsOnlyKeys("social:facebook:bhxh.binhduong.hotro");
    }

    @Test
    void aLateReportCompletesItsWindowWithinTheGracePeriodButNotAfter() {
        String onTime = "0904.038.115";
        String tooLate = "0936.417.600";
        send(report("citizen-1", "thanh-hoa", T0, onTime));
        send(report("citizen-2", "thanh-hoa", T0.plusSeconds(1), onTime));
        send(report("citizen-1", "thanh-hoa", T0, tooLate));
        send(report("citizen-2", "thanh-hoa", T0.plusSeconds(1), tooLate));

        // Another number moves stream time 24 h 30 min on: the 24-hour window holding T0 is still within its grace.
        send(report("someone", "ha-noi", T0.plus(Duration.ofMinutes(24 * 60 + 30)), "0994.311.220"));
        send(report("citizen-3", "thanh-hoa", T0.plus(Duration.ofMinutes(10)), onTime));
        assertThat(alerts("thanh-hoa")).singleElement().satisfies(alert -> {
            assertThat(alert.getIndicator()).isEqualTo("tel:+84904038115");
            assertThat(alert.getLevel()).isEqualTo(AlertLevel.WARNING);
        });

        // At 26 h that window is closed: the same late report can no longer make three reporters in 24 hours.
        send(report("someone", "ha-noi", T0.plus(Duration.ofHours(26)), "0994.311.220"));
        send(report("citizen-3", "thanh-hoa", T0.plus(Duration.ofMinutes(10)), tooLate));
        assertThat(alerts("thanh-hoa")).isEmpty();
    }

    @Test
    void anOfficialChannelIsNeverListedAndItsSpoofingIsAlertedOncePerDay() {
        for (int i = 0; i < 6; i++) {
            send(report("c-" + i, "ha-noi", T0.plusSeconds(i), "1900 9068"));
        }
        send(report("c-7", "hue", T0.plus(Duration.ofHours(25)), "1900.9068"));
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        assertThat(output(topics.nationalAlerts()).readValuesToList()).extracting(Alert::getLevel)
                .containsExactly(AlertLevel.OFFICIAL_CHANNEL_SPOOFED, AlertLevel.OFFICIAL_CHANNEL_SPOOFED);
        assertThat(alerts("ha-noi")).hasSize(1);
    }

    @Test
    void aProvincialLandlineIsAlsoOnItsProvincesBoardWhichMayDecideAboutIt() {
        // A Thanh Hóa office number (area code 237) spoofed at citizens of Hà Nội and Huế.
        String landline = "0237 3851 234";
        send(report("c-1", "ha-noi", T0, landline));
        send(report("c-2", "ha-noi", T0.plusSeconds(1), landline));
        send(report("c-3", "hue", T0.plusSeconds(2), landline));

        List<Alert> thanhHoa = alerts("thanh-hoa");
        assertThat(thanhHoa).singleElement().satisfies(alert -> {
            assertThat(alert.getLevel()).isEqualTo(AlertLevel.WARNING);
            assertThat(alert.getIndicator()).isEqualTo("tel:+842373851234");
            // The evidence says where the reporters live; the board is the landline's.
            assertThat(alert.getProvinces()).containsExactly("ha-noi", "hue");
        });
        assertThat(alerts("ha-noi")).extracting(Alert::getAlertId).containsExactly(thanhHoa.get(0).getAlertId());
        assertThat(alerts("hue")).hasSize(1);

        send(report("c-4", "ha-noi", T0.plusSeconds(3), landline));
        send(report("c-5", "hue", T0.plusSeconds(4), landline));
        assertThat(alerts("thanh-hoa")).extracting(Alert::getLevel).containsExactly(AlertLevel.PROPOSED);
        // Thanh Hóa's officers may decide about their landline although no Thanh Hóa citizen reported it.
        decide(DecisionAction.REJECT, landline, "thanh-hoa", T0.plusSeconds(60), "số máy bàn của cơ quan, đã xác minh");
        assertThat(output(topics.deadLetters()).isEmpty()).as("the decision was taken, not refused").isTrue();
        assertThat(audit("tel:+842373851234")).extracting(IndicatorStatus.AuditStep::action)
                .containsExactly("PROPOSED", "REJECT");
        // Thanh Hóa's officer cannot decide about a Hà Nội mobile number nobody in Thanh Hóa reported.
        send(report("c-6", "ha-noi", T0.plusSeconds(70), "0904 038 115"));
        decide(DecisionAction.REJECT, "0904 038 115", "thanh-hoa", T0.plusSeconds(80), "không phải của tỉnh");
        assertThat(output(topics.deadLetters()).readValuesToList()).singleElement()
                .satisfies(letter -> assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.VALIDATION));
    }

    @Test
    void aMobileNumberIsOnlyOnItsReportersBoards() {
        assertThat(ListingLifecycle.boards(new Normaliser().phone("0904 038 115").accepted().orElseThrow(),
                List.of("ha-noi"))).containsExactly("ha-noi");
        assertThat(ListingLifecycle.boards(new Normaliser().phone("024 3999 1234").accepted().orElseThrow(),
                List.of("ha-noi", "hue"))).containsExactly("ha-noi", "hue");
        assertThat(ListingLifecycle.boards(new Normaliser().phone("024 3999 1234").accepted().orElseThrow(),
                List.of())).containsExactly("ha-noi");
    }

    @Test
    void delistedIndicatorsAreNotProposedByTheCrowdButAllowlistingLiftsAndBlocksForGood() {
        listByFiveReporters(T0);
        decide(DecisionAction.DELIST, T0.plusSeconds(600), "appeal 12/2026");
        List<KeyValue<String, BlocklistEntry>> changes = output(topics.blocklist()).readKeyValuesToList();
        assertThat(changes).extracting(change -> change.value).last().isNull();
        alerts("thanh-hoa");

        for (int i = 10; i < 16; i++) {
            send(report("again-" + i, "thanh-hoa", T0.plus(Duration.ofHours(30)).plusSeconds(i)));
        }
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        assertThat(alerts("thanh-hoa")).extracting(Alert::getLevel).doesNotContain(AlertLevel.PROPOSED);

        decide(DecisionAction.ALLOWLIST, T0.plus(Duration.ofHours(31)), "Đường dây nóng mới của BHXH Thanh Hóa");
        AllowlistEntry added = output(topics.allowlist()).readValuesToList().stream()
                .filter(entry -> entry.getIndicator().equals(SCAMMER)).findFirst().orElseThrow();
        assertThat(added.getSource()).isEqualTo("operator-1");

        decide(DecisionAction.CONFIRM, T0.plus(Duration.ofHours(32)), "nhầm");
        DeadLetter refused = output(topics.deadLetters()).readValuesToList().get(0);
        assertThat(refused.getErrorKind()).isEqualTo(ErrorKind.VALIDATION);
        assertThat(refused.getError()).contains("official");
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        assertThat(audit(SCAMMER)).extracting(IndicatorStatus.AuditStep::action)
                .containsExactly("PROPOSED", "CONFIRM", "DELIST", "ALLOWLIST");

        // Removed from the allowlist again (nationally): a tombstone there, and no longer official.
        decide(DecisionAction.UNALLOWLIST, T0.plus(Duration.ofHours(33)), "không còn dùng");
        assertThat(output(topics.allowlist()).readKeyValuesToList())
                .extracting(change -> change.key, change -> change.value).containsExactly(tuple(SCAMMER, null));
        assertThat(state(SCAMMER).official).isFalse();
    }

    @Test
    void aRejectedProposalComesBackOnlyWithEvidenceFromANewSubmittingAccount() {
        proposeByFiveReporters(T0);
        decide(DecisionAction.REJECT, T0.plusSeconds(600), "số của một cửa hàng");
        alerts("thanh-hoa");
        for (int i = 10; i < 16; i++) {
            send(report("again-" + i, "thanh-hoa", T0.plus(Duration.ofHours(30)).plusSeconds(i)));
        }
        assertThat(alerts("thanh-hoa")).extracting(Alert::getLevel).doesNotContain(AlertLevel.PROPOSED);

        send(Report.newBuilder(report("new-1", "thanh-hoa", T0.plus(Duration.ofHours(31))))
                .setSubmittedBy("operator-9").build());
        assertThat(alerts("thanh-hoa")).extracting(Alert::getLevel).containsExactly(AlertLevel.PROPOSED);
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        assertThat(audit(SCAMMER)).extracting(IndicatorStatus.AuditStep::action)
                .containsExactly("PROPOSED", "REJECT", "PROPOSED");
    }

    @Test
    void aProposalUndecidedForTwoHoursIsEscalatedToTheNationalBoardOnce() {
        proposeByFiveReporters(T0);
        assertThat(output(topics.nationalAlerts()).readValuesToList()).extracting(Alert::getLevel)
                .containsExactly(AlertLevel.PROPOSED);
        alerts("thanh-hoa");
        driver.advanceWallClockTime(Duration.ofMinutes(100));
        assertThat(output(topics.nationalAlerts()).isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofMinutes(21));
        assertThat(output(topics.nationalAlerts()).readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getLevel()).isEqualTo(AlertLevel.ESCALATED);
            assertThat(alert.getDistinctReporters()).isEqualTo(5);
        });
        assertThat(alerts("thanh-hoa")).isEmpty();                      // the province already has the item
        driver.advanceWallClockTime(Duration.ofHours(5));
        assertThat(output(topics.nationalAlerts()).isEmpty()).isTrue();
        assertThat(state(SCAMMER).proposal.escalated()).isTrue();
    }

    @Test
    void aProvinceOfficerCannotDecideOutsideTheirProvinceNorDelistAPoliceListing() {
        proposeByFiveReporters(T0);
        decide(DecisionAction.CONFIRM, SCAMMER, "ca-mau", T0.plusSeconds(60), "nghi ngờ");
        assertThat(output(topics.deadLetters()).readValuesToList()).singleElement().satisfies(letter -> {
            assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.VALIDATION);
            assertThat(letter.getError()).contains("ca-mau");
        });
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();

        send(report(Channel.POLICE, "unit-a05", "thanh-hoa", T0.plusSeconds(90)));
        assertThat(output(topics.blocklist()).readValue().getStatus()).isEqualTo(BlocklistStatus.CONFIRMED);
        decide(DecisionAction.DELIST, SCAMMER, "thanh-hoa", T0.plusSeconds(120), "khiếu nại");
        assertThat(output(topics.deadLetters()).readValuesToList()).singleElement()
                .satisfies(letter -> assertThat(letter.getError()).contains("national"));
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        decide(DecisionAction.DELIST, SCAMMER, null, T0.plusSeconds(150), "khiếu nại");
        assertThat(output(topics.blocklist()).readValue()).isNull();
    }

    @Test
    void policeListingsLastAYearAndCrowdListedDomainsHalfAYear() {
        send(report(Channel.POLICE, "unit-a05", null, T0));
        String domain = "https://bhxh-ho-tro-gia.com/cap-nhat";
        for (int i = 0; i < 5; i++) {
            send(report(Channel.HOTLINE, "citizen-" + i, "thanh-hoa", T0.plusSeconds(i), domain));
        }
        decide(DecisionAction.CONFIRM, domain, null, T0.plusSeconds(60), "trang giả");
        Map<String, BlocklistEntry> listed = output(topics.blocklist()).readKeyValuesToMap();
        assertThat(listed.get(SCAMMER).getExpiresAt()).isEqualTo(T0.plus(Duration.ofDays(365)));
        assertThat(listed.get("domain:bhxh-ho-tro-gia.com").getExpiresAt())
                .isEqualTo(T0.plusSeconds(4).plus(Duration.ofDays(180)));
        driver.advanceWallClockTime(Duration.ofDays(177));               // T0 is two days ago
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofDays(2));
        assertThat(output(topics.blocklist()).readKeyValuesToList())
                .extracting(change -> change.key, change -> change.value)
                .containsExactly(tuple("domain:bhxh-ho-tro-gia.com", null));
        driver.advanceWallClockTime(Duration.ofDays(185));
        assertThat(output(topics.blocklist()).readKeyValuesToList())
                .extracting(change -> change.key, change -> change.value).containsExactly(tuple(SCAMMER, null));
    }

    @Test
    void entriesWrittenWithTheAuditTrailAreSentAgainInTheNewFormOnce() {
        IndicatorState old = new IndicatorState();
        old.touch(T0.toEpochMilli());
        old.listing = new IndicatorState.Listing(BlocklistStatus.CONFIRMED, ListingReason.POLICE_CONFIRMED,
                T0.toEpochMilli(), T0.plus(Duration.ofDays(90)).toEpochMilli());
        old.entryInOldForm = true;
        driver.<String, IndicatorState>getKeyValueStore(IndicatorProcessor.STORE).put(SCAMMER, old);

        driver.advanceWallClockTime(RULES.expiryCheck());
        assertThat(output(topics.blocklist()).readKeyValuesToList()).singleElement().satisfies(resent -> {
            assertThat(resent.key).isEqualTo(SCAMMER);
            assertThat(resent.value.getReasonCode()).isEqualTo(ListingReason.POLICE_CONFIRMED);
            assertThat(resent.value.getReason()).isEqualTo("Cơ quan công an xác nhận là số/kênh lừa đảo");
        });
        driver.advanceWallClockTime(RULES.expiryCheck());
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        // The sweep indexed it for its expiry.
        driver.advanceWallClockTime(Duration.ofDays(89));
        assertThat(output(topics.blocklist()).readValue()).isNull();
    }

    @Test
    void aCrowdListedNumberLapsesThirtyDaysAfterItsLastReport() {
        listByFiveReporters(T0);
        output(topics.blocklist()).readKeyValuesToList();
        driver.advanceWallClockTime(Duration.ofDays(27));               // T0 is two days ago
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofDays(2));
        KeyValue<String, BlocklistEntry> lifted = output(topics.blocklist()).readKeyValue();
        assertThat(lifted.key).isEqualTo(SCAMMER);
        assertThat(lifted.value).isNull();
        assertThat(metrics.count("bhxh_processor_listings", "change", "EXPIRED")).isEqualTo(1);
    }

    @Test
    void theLookupStatusSaysWhatIsKnown() {
        proposeByFiveReporters(T0);
        vn.bhxh.shield.indicator.Indicator indicator =
                vn.bhxh.shield.indicator.Indicator.parseKey(SCAMMER).orElseThrow();
        long later = T0.plus(Duration.ofHours(1)).toEpochMilli();
        IndicatorStatus proposed = IndicatorLookup.status(indicator, state(SCAMMER), false, RULES, later, List.of());
        assertThat(proposed.status()).isEqualTo(IndicatorStatus.Status.PROPOSED);
        assertThat(proposed.provinces()).containsExactly("thanh-hoa");
        assertThat(proposed.submittingAccounts()).containsExactly(Map.entry("operator-7", 5));
        assertThat(proposed.proposedAt()).isNotNull();
        assertThat(proposed.listedAt()).isNull();

        decide(DecisionAction.CONFIRM, T0.plusSeconds(60), "xác minh");
        IndicatorStatus status = IndicatorLookup.status(indicator, state(SCAMMER), false, RULES, later, List.of());
        assertThat(status.status()).isEqualTo(IndicatorStatus.Status.LISTED);
        assertThat(status.reasonCode()).isEqualTo("OFFICER_CONFIRMED");
        assertThat(status.display()).isEqualTo("0904 038 115");
        assertThat(status.last24h().distinctReporters()).isEqualTo(5);
        assertThat(status.firstSeen()).isEqualTo(T0);
        assertThat(status.expiresAt()).isEqualTo(T0.plusSeconds(4).plus(Duration.ofDays(30)));
        assertThat(status.proposedAt()).isNull();
    }

    @Test
    void thousandsOfReportsFromThreeReportersKeepTheStateSmallAndTheCountsExact() {
        for (int i = 0; i < 5_000; i++) {
            Report report = report("repeat-" + i % 3, "thanh-hoa", T0.plusSeconds(14L * i));
            report.setNotes("Lần gọi thứ " + i + ": tự xưng cán bộ BHXH");
            send(report);
        }
        IndicatorState state = driver.<String, IndicatorState>getKeyValueStore(IndicatorProcessor.STORE).get(SCAMMER);
        // 14 s apart for 19.4 hours: at most one entry per reporter and hour, whatever the number of reports.
        assertThat(state.sightings).hasSizeLessThanOrEqualTo(3 * 21);
        assertThat(state.sampleNotes).hasSize(RULES.sampleNotes());
        assertThat(new IndicatorStateSerde().serialize(IndicatorProcessor.STORE, state))
                .hasSizeLessThan(16 * 1024);

        IndicatorStatus status = IndicatorLookup.status(
                vn.bhxh.shield.indicator.Indicator.parseKey(SCAMMER).orElseThrow(), state, false, RULES,
                T0.plus(Duration.ofHours(20)).toEpochMilli(), List.of());
        assertThat(status.last7d().reportCount()).isEqualTo(5_000);
        assertThat(status.last7d().distinctReporters()).isEqualTo(3);
        assertThat(status.last7d().channelCounts()).containsEntry("HOTLINE", 5_000);
        assertThat(status.last24h().reportCount()).isEqualTo(5_000);
        assertThat(status.last24h().weightedReporters()).isEqualTo(3.0);
        assertThat(alerts("thanh-hoa")).extracting(Alert::getLevel).containsExactly(AlertLevel.WARNING);
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
    }

    @Test
    void aNumberReportedByThousandsOfPeopleKeepsItsNewestSightingsOnly() {
        int people = RULES.maxSightings() + 1_000;
        for (int i = 0; i < people; i++) {
            send(report("citizen-" + i, "thanh-hoa", T0.plusSeconds(10L * i)));
        }
        IndicatorState state = driver.<String, IndicatorState>getKeyValueStore(IndicatorProcessor.STORE).get(SCAMMER);
        assertThat(state.sightings).hasSize(RULES.maxSightings());
        assertThat(state.sightings).extracting(Sighting::reporter)
                .contains("citizen-" + (people - 1)).doesNotContain("citizen-0");
        assertThat(state.firstSeen).isEqualTo(T0.toEpochMilli());
        // Proposed once at five; confirmed, the entry carries the counts, which stop at what the cap holds.
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        decide(DecisionAction.CONFIRM, T0.plusSeconds(10L * people), "xác minh");
        assertThat(output(topics.blocklist()).readValuesToList()).singleElement().satisfies(listed -> {
            assertThat(listed.getDistinctReporters()).isEqualTo(RULES.maxSightings());
            assertThat(listed.getExpiresAt()).isEqualTo(T0.plusSeconds(10L * (people - 1)).plus(Duration.ofDays(30)));
        });
        assertThat(alerts("thanh-hoa")).extracting(Alert::getLevel)
                .containsExactly(AlertLevel.WARNING, AlertLevel.PROPOSED, AlertLevel.BLOCKED);
    }

    @Test
    void aSightingCapBelowWhatListingNeedsIsRefused() {
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Rules.from(
                Settings.of(Map.of("PROCESSOR_MAX_SIGHTINGS", "10")))).getMessage())
                .contains("PROCESSOR_MAX_SIGHTINGS").doesNotContain("null");
    }

    @Test
    void anAcknowledgementIsOnlyAuditedAndAnOfficersConfirmationListsWithTheOfficerOnlyInTheAudit() {
        proposeByFiveReporters(T0);
        alerts("thanh-hoa");

        decide(DecisionAction.ACKNOWLEDGE, T0.plusSeconds(600), "đã gọi lại cho người dân");
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        assertThat(alerts("thanh-hoa")).isEmpty();

        decide(DecisionAction.CONFIRM, T0.plusSeconds(900), "công an xác minh, vụ 12/2026");
        BlocklistEntry listed = output(topics.blocklist()).readValue();
        assertThat(listed.getStatus()).isEqualTo(BlocklistStatus.LISTED);
        assertThat(listed.toString()).doesNotContain("operator-1", "12/2026");
        assertThat(audit(SCAMMER)).last().satisfies(step -> {
            assertThat(step.actor()).isEqualTo("operator-1");
            assertThat(step.reason()).isEqualTo("công an xác minh, vụ 12/2026");
        });
        assertThat(audit(SCAMMER)).extracting(IndicatorStatus.AuditStep::action)
                .containsExactly("PROPOSED", "ACKNOWLEDGE", "CONFIRM");
    }

    /** The internal audit trail (lookup API, boards): partners' entries carry none. */
    private List<IndicatorStatus.AuditStep> audit(String indicator) {
        return state(indicator).audit;
    }

    private IndicatorState state(String indicator) {
        return driver.<String, IndicatorState>getKeyValueStore(IndicatorProcessor.STORE).get(indicator);
    }

    private void proposeByFiveReporters(Instant from) {
        for (int i = 0; i < 5; i++) {
            send(report("citizen-" + i, "thanh-hoa", from.plusSeconds(i)));
        }
    }

    /** Proposed by five reporters, then confirmed by a national officer. */
    private void listByFiveReporters(Instant from) {
        proposeByFiveReporters(from);
        decide(DecisionAction.CONFIRM, from.plusSeconds(30), "xác minh");
    }

    /** A national officer's decision about the scammer's number, as a person typed it. */
    private void decide(DecisionAction action, Instant at, String reason) {
        decide(action, "0904 038 115", null, at, reason);
    }

    private void decide(DecisionAction action, String indicator, String province, Instant at, String reason) {
        Decision decision = Decision.newBuilder().setDecisionId("d-" + action + at.toEpochMilli()).setAction(action)
                .setIndicator(indicator).setActor("operator-1").setProvince(province).setReason(reason)
                .setDecidedAt(at).build();
        // Keyed by the canonical indicator, as the dashboard and the Decide tool key it.
        input(topics.decisions()).pipeInput(new Normaliser().keyOrAny(indicator).accepted().orElseThrow().key(),
                decision, at);
    }

    private List<Alert> alerts(String province) {
        return output(topics.provinceAlerts(province)).readValuesToList();
    }

    private Report report(String reporter, String province, Instant at) {
        return report(Channel.HOTLINE, reporter, province, at);
    }

    private Report report(Channel channel, String reporter, String province, Instant at) {
        return report(channel, reporter, province, at, "0904.038.115");
    }

    private Report report(String reporter, String province, Instant at, String phone) {
        return report(Channel.HOTLINE, reporter, province, at, phone);
    }

    /** {@code named}: a phone number, or a link (starting with http). */
    private Report report(Channel channel, String reporter, String province, Instant at, String named) {
        reports++;
        boolean link = named.startsWith("http");
        return Report.newBuilder()
                .setReportId("r-" + reports)
                .setChannel(channel)
                .setReporterPseudonym(reporter)
                .setProvince(province)
                .setPhoneNumbers(link ? List.of() : List.of(named))
                .setUrls(link ? List.of(named) : List.of())
                .setNotes(channel == Channel.POLICE ? null : "Tự xưng cán bộ BHXH, đòi mã OTP")
                .setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(30))
                .setSubmittedBy(channel == Channel.POLICE ? "police-unit" : "operator-7")
                .build();
    }
}
