package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/**
 * The whole topology with auto-listing turned on (PROCESSOR_AUTO_LIST=true): evidence from three submitting
 * accounts in two provinces is listed without review; fanpages alone, one account, or fewer accounts never are.
 */
class AutoListingFlowTest extends TopologyTestBase {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
    private static final Rules RULES = Rules.from(Settings.of(Map.of("PROCESSOR_AUTO_LIST", "true")));
    private int reports;

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        ProcessorService.buildTopology(builder, topics, RULES, metrics);
    }

    @Test
    void tenFanpageSendersThroughSeveralPagesAreOnlyProposed() {
        for (int i = 0; i < 10; i++) {
            send(Channel.FANPAGE, "sender-" + i, "page-" + i % 4, i % 2 == 0 ? "ha-noi" : "hue", 20 * i);
        }
        assertThat(alerts("ha-noi")).extracting(Alert::getLevel).contains(AlertLevel.PROPOSED)
                .doesNotContain(AlertLevel.BLOCKED);
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
    }

    @Test
    void oneOperatorAccountEnteringFiveReportersInThreeProvincesIsOnlyProposedAndFlagged() {
        List<String> provinces = List.of("ha-noi", "hue", "da-nang");
        for (int i = 0; i < 5; i++) {
            send(Channel.HOTLINE, "invented-" + i, "operator-x", provinces.get(i % 3), i);
        }
        assertThat(output(topics.nationalAlerts()).readValuesToList()).singleElement().satisfies(alert -> {
            assertThat(alert.getLevel()).isEqualTo(AlertLevel.PROPOSED);
            assertThat(alert.getBurstAccount()).isEqualTo("operator-x");
        });
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
    }

    @Test
    void threeAccountsInTwoProvincesAreListedWithoutReviewAndTwoAccountsAreNot() {
        for (int i = 0; i < 5; i++) {
            // Twenty minutes apart: no account enters a burst.
            send(Channel.HOTLINE, "citizen-" + i, "operator-" + i % 2, i % 2 == 0 ? "ha-noi" : "hue", 20 * 60 * i);
        }
        assertThat(output(topics.blocklist()).isEmpty()).isTrue();
        assertThat(alerts("hue")).extracting(Alert::getLevel).endsWith(AlertLevel.PROPOSED);

        send(Channel.HOTLINE, "citizen-5", "operator-2", "hue", 20 * 60 * 5);
        BlocklistEntry listed = output(topics.blocklist()).readValue();
        assertThat(listed.getStatus()).isEqualTo(BlocklistStatus.LISTED);
        assertThat(listed.getReasonCode()).isEqualTo(ListingReason.CROWD_AUTO_LISTED);
        assertThat(listed.getReason()).isEqualTo("Nhiều người dân ở nhiều tỉnh báo cáo");
        assertThat(alerts("hue")).extracting(Alert::getLevel).containsExactly(AlertLevel.BLOCKED);
    }

    private List<Alert> alerts(String province) {
        return output(topics.provinceAlerts(province)).readValuesToList();
    }

    private void send(Channel channel, String reporter, String account, String province, long secondsAfterT0) {
        Instant at = T0.plusSeconds(secondsAfterT0);
        Report report = Report.newBuilder()
                .setReportId("auto-" + ++reports)
                .setChannel(channel)
                .setReporterPseudonym(reporter)
                .setProvince(province)
                .setPhoneNumbers(List.of("0904.038.115"))
                .setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(30))
                .setSubmittedBy(account)
                .build();
        send(report);
    }
}
