package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.IndicatorKind;

/** The province board's cards, figures, filters, CSV and trend, over an {@link AlertBoard} without Kafka. */
class IndicatorCardsTest {

    private static final String THANH_HOA_TOPIC = "bhxh.alerts.thanh-hoa.v1";
    /** 09:00 on 5 December 2026 in Vietnam. */
    private static final Instant MORNING = Instant.parse("2026-12-05T02:00:00Z");
    private static final String PHONE = "tel:+84904038115";

    /** Noon in Vietnam on 5 December 2026. */
    private final AlertBoard board = new AlertBoard(100, Duration.ofHours(24), 30,
            Clock.fixed(Instant.parse("2026-12-05T05:00:00Z"), ZoneOffset.UTC));

    @Test
    void oneCardPerIndicatorWithItsLevelHistoryTheLatestAlertGivingItsState() {
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING));
        board.add(THANH_HOA_TOPIC, alert("d1", "domain:baohiemxahoi-vn.com", AlertLevel.WARNING,
                MORNING.plusSeconds(1800)));
        board.add(THANH_HOA_TOPIC, alert("p1", PHONE, AlertLevel.PROPOSED, MORNING.plusSeconds(3600)));
        board.add(THANH_HOA_TOPIC, alert("b1", PHONE, AlertLevel.BLOCKED, MORNING.plusSeconds(7200)));

        List<Map<String, Object>> cards = cards(IndicatorCards.Filter.ALL);

        assertThat(cards).extracting(card -> card.get("indicator"))
                .containsExactly(PHONE, "domain:baohiemxahoi-vn.com");
        Map<String, Object> phone = cards.get(0);
        assertThat(phone).containsEntry("level", "BLOCKED").containsEntry("listed", true)
                .containsEntry("awaitingReview", false).containsEntry("unacknowledged", true)
                .containsEntry("display", "0904 038 115").containsEntry("provinceNames", List.of("Thanh Hóa"));
        assertThat(history(phone)).extracting(step -> step.get("level"))
                .containsExactly("WARNING", "PROPOSED", "BLOCKED");
        assertThat(history(phone)).extracting(step -> step.get("raisedAt"))
                .containsExactly(MORNING, MORNING.plusSeconds(3600), MORNING.plusSeconds(7200));
    }

    @Test
    void theHeaderCountsTodaysAlertsAndTheCardsAwaitingReviewListedAndUnacknowledged() {
        board.add(THANH_HOA_TOPIC, alert("old", "tel:+84911111111", AlertLevel.WARNING, MORNING.minus(Duration.ofDays(2))));
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING));
        board.add(THANH_HOA_TOPIC, alert("b1", PHONE, AlertLevel.BLOCKED, MORNING.plusSeconds(60)));
        board.add(THANH_HOA_TOPIC, alert("p2", "tel:+84922222222", AlertLevel.PROPOSED, MORNING));
        board.apply(acknowledge("b1", PHONE));

        assertThat(figures()).containsEntry("newToday", 3L).containsEntry("awaitingReview", 1L)
                .containsEntry("listed", 1L).containsEntry("unacknowledged", 1L).containsEntry("indicators", 3);

        board.apply(Decision.newBuilder().setDecisionId("d-delist").setAction(DecisionAction.DELIST)
                .setIndicator(PHONE).setActor("thanhhoa1").setProvince("thanh-hoa").setReason("đổi chủ")
                .setDecidedAt(MORNING.plusSeconds(600)).build());
        assertThat(figures()).as("delisted").containsEntry("listed", 0L);
    }

    @Test
    void eachFilterShowsOnlyItsCards() {
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING));
        board.add(THANH_HOA_TOPIC, Alert.newBuilder(alert("d1", "domain:bhxh-vn.top", AlertLevel.BLOCKED, MORNING))
                .setKind(IndicatorKind.DOMAIN).setProvinces(List.of("thanh-hoa", "ha-noi")).build());
        board.add(THANH_HOA_TOPIC, alert("w2", "tel:+84933333333", AlertLevel.WARNING, MORNING));
        board.apply(acknowledge("w2", "tel:+84933333333"));

        assertThat(shown(new IndicatorCards.Filter("WARNING", "", false, ""))).containsExactlyInAnyOrder(PHONE,
                "tel:+84933333333");
        assertThat(shown(new IndicatorCards.Filter("", "DOMAIN", false, ""))).containsExactly("domain:bhxh-vn.top");
        assertThat(shown(new IndicatorCards.Filter("", "", true, ""))).containsExactlyInAnyOrder(PHONE,
                "domain:bhxh-vn.top");
        assertThat(shown(new IndicatorCards.Filter("", "", false, "ha-noi"))).containsExactly("domain:bhxh-vn.top");
        assertThat(shown(IndicatorCards.Filter.from(Map.of("level", "WARNING", "unacknowledged", "true")::get)))
                .containsExactly(PHONE);
    }

    @Test
    void theCsvHasAByteOrderMarkAHeaderAndOneQuotedRowPerCardInVietnamese() {
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING));
        board.add(THANH_HOA_TOPIC, Alert.newBuilder(alert("b1", PHONE, AlertLevel.BLOCKED, MORNING.plusSeconds(3600)))
                .build());
        board.add(THANH_HOA_TOPIC, Alert.newBuilder(alert("a1", "bank:vcb:0123456789", AlertLevel.WARNING, MORNING))
                .setKind(IndicatorKind.BANK_ACCOUNT).build());

        String csv = IndicatorCards.csv(board.cards("thanh-hoa", IndicatorCards.Filter.ALL));

        assertThat(csv).startsWith("\uFEFF\"Chỉ báo\",\"Loại\",\"Mức hiện tại\",\"Lịch sử mức\",\"Tỉnh\"");
        List<String> lines = csv.lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).startsWith("\"0904 038 115\",\"Số điện thoại\",\"Đã chặn\","
                + "\"Cảnh báo 09:00 05/12/2026 → Đã chặn 10:00 05/12/2026\",\"Thanh Hóa\",\"3\",\"3\"");
        assertThat(csv).contains("\r\n");
    }

    @Test
    void aFieldThatExcelWouldRunAsAFormulaIsWrittenAsText() {
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING));
        board.apply(Decision.newBuilder(acknowledge("w1", PHONE)).setActor("=HYPERLINK(\"http://x\")").build());

        String row = IndicatorCards.csv(board.cards("thanh-hoa", IndicatorCards.Filter.ALL)).lines().toList().get(1);

        assertThat(row).contains(",\"'=HYPERLINK(\"\"http://x\"\") 09:05 05/12/2026\",");
    }

    @Test
    void theTrendCountsEachAlertOnceOnItsVietnameseDayByKindOverThirtyDays() {
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING));
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING)); // re-sent
        // 23:30 on 4 December in Vietnam, though 5 December is not yet begun in UTC... and the other way round.
        board.add(THANH_HOA_TOPIC, alert("late", "tel:+84944444444", AlertLevel.WARNING,
                Instant.parse("2026-12-04T16:30:00Z")));
        board.add(THANH_HOA_TOPIC, Alert.newBuilder(alert("d1", "domain:bhxh-vn.top", AlertLevel.WARNING, MORNING))
                .setKind(IndicatorKind.DOMAIN).build());
        board.add(THANH_HOA_TOPIC, alert("ancient", "tel:+84955555555", AlertLevel.WARNING,
                MORNING.minus(Duration.ofDays(30))));

        Map<String, Object> trend = board(IndicatorCards.Filter.ALL).get("trend") instanceof Map<?, ?> t
                ? cast(t) : Map.of();
        @SuppressWarnings("unchecked")
        List<String> days = (List<String>) trend.get("days");
        @SuppressWarnings("unchecked")
        Map<String, List<Integer>> byKind = (Map<String, List<Integer>>) trend.get("byKind");
        assertThat(days).hasSize(30).startsWith("2026-11-06").endsWith("2026-12-04", "2026-12-05");
        assertThat(byKind.keySet()).containsExactly("PHONE", "DOMAIN", "URL", "BANK_ACCOUNT", "SOCIAL_ACCOUNT", "E_WALLET");
        assertThat(byKind.get("PHONE").subList(28, 30)).containsExactly(1, 1);
        assertThat(byKind.get("PHONE").stream().mapToInt(Integer::intValue).sum()).as("30 days ago is out").isEqualTo(2);
        assertThat(byKind.get("DOMAIN").get(29)).isEqualTo(1);
    }

    @Test
    void theNationalBoardHasATableOfTheThirtyFourProvinces() {
        board.add(THANH_HOA_TOPIC, alert("w1", PHONE, AlertLevel.WARNING, MORNING));
        board.add(THANH_HOA_TOPIC, alert("p1", "tel:+84966666666", AlertLevel.PROPOSED, MORNING));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> provinces = (List<Map<String, Object>>) board.board("national",
                IndicatorCards.Filter.ALL).get("provinces");

        assertThat(provinces).hasSize(34);
        assertThat(provinces).extracting(row -> row.get("slug")).as("the busiest first, then in official order")
                .startsWith("thanh-hoa", "ha-noi");
        assertThat(provinces).filteredOn(row -> row.get("slug").equals("thanh-hoa")).singleElement()
                .satisfies(row -> {
                    assertThat(row).containsEntry("name", "Thanh Hóa").containsEntry("indicators", 2)
                            .containsEntry("newToday", 2L).containsEntry("awaitingReview", 1L)
                            .containsEntry("unacknowledged", 1L);
                    assertThat((List<?>) row.get("trend")).hasSize(30).last().isEqualTo(2);
                });
        assertThat(board.board("thanh-hoa", IndicatorCards.Filter.ALL)).doesNotContainKey("provinces");
    }

    private Map<String, Object> board(IndicatorCards.Filter filter) {
        return board.board("thanh-hoa", filter);
    }

    private List<Map<String, Object>> cards(IndicatorCards.Filter filter) {
        return cast(board(filter).get("cards"));
    }

    private List<Object> shown(IndicatorCards.Filter filter) {
        return cards(filter).stream().map(card -> card.get("indicator")).toList();
    }

    private Map<String, Object> figures() {
        return cast(board(IndicatorCards.Filter.ALL).get("figures"));
    }

    private static List<Map<String, Object>> history(Map<String, Object> card) {
        return cast(card.get("history"));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    private static Alert alert(String alertId, String indicator, AlertLevel level, Instant raisedAt) {
        return Alert.newBuilder(WebhookDeliveryIT.alert(alertId, "thanh-hoa")).setIndicator(indicator).setLevel(level)
                .setRaisedAt(raisedAt).build();
    }

    private static Decision acknowledge(String alertId, String indicator) {
        return Decision.newBuilder().setDecisionId("ack-" + alertId).setAction(DecisionAction.ACKNOWLEDGE)
                .setIndicator(indicator).setAlertId(alertId).setActor("thanhhoa1").setProvince("thanh-hoa")
                .setDecidedAt(MORNING.plusSeconds(300)).build();
    }
}
