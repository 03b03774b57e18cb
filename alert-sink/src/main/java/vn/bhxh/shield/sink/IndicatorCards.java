package vn.bhxh.shield.sink;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The province board as officers read it: one card per indicator, its current state taken from its latest alert
 * and its level history (WARNING, PROPOSED, ESCALATED, BLOCKED... with their times); the filters, the figures of
 * the header and the CSV export work on these cards. Pure functions over the alert views {@link AlertBoard} keeps.
 */
final class IndicatorCards {

    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm dd/MM/yyyy").withZone(VIETNAM);
    private static final Map<String, String> LEVELS = Map.of("WARNING", "Cảnh báo", "BLOCKED", "Đã chặn",
            "OFFICIAL_CHANNEL_SPOOFED", "Giả mạo kênh chính thức", "PROPOSED", "Đề xuất chặn",
            "ESCALATED", "Chuyển cấp quốc gia");
    private static final Map<String, String> KINDS = Map.of("PHONE", "Số điện thoại", "DOMAIN", "Tên miền",
            "URL", "Trang mạng", "BANK_ACCOUNT", "Tài khoản ngân hàng");
    private static final Map<String, String> DECISIONS = Map.of("CONFIRM", "Đã xác nhận chặn", "REJECT", "Đã bác bỏ",
            "DELIST", "Đã gỡ khỏi danh sách chặn", "ALLOWLIST", "Đã đưa vào danh sách kênh chính thức",
            "UNALLOWLIST", "Đã bỏ khỏi danh sách kênh chính thức");

    private IndicatorCards() {
    }

    /** What the board shows; a blank part matches everything. Level is the card's current (latest) level. */
    record Filter(String level, String kind, boolean unacknowledged, String province) {

        static final Filter ALL = new Filter("", "", false, "");

        /** From the page's query: {@code level}, {@code kind}, {@code unacknowledged=true}, {@code province}. */
        static Filter from(Function<String, String> query) {
            return new Filter(blankIfNull(query.apply("level")), blankIfNull(query.apply("kind")),
                    "true".equals(query.apply("unacknowledged")), blankIfNull(query.apply("province")));
        }

        boolean shows(Map<String, Object> card) {
            return (level.isEmpty() || level.equals(card.get("level")))
                    && (kind.isEmpty() || kind.equals(card.get("kind")))
                    && (!unacknowledged || Boolean.TRUE.equals(card.get("unacknowledged")))
                    && (province.isEmpty() || strings(card.get("provinces")).contains(province));
        }

        private static String blankIfNull(String value) {
            return value == null ? "" : value.strip();
        }
    }

    /**
     * One card per indicator, the most recently raised first. {@code alerts} are in the order they were read, so
     * of two alerts raised at the same instant the later read is the latest.
     */
    static List<Map<String, Object>> group(List<Map<String, Object>> alerts) {
        Map<String, List<Map<String, Object>>> byIndicator = new LinkedHashMap<>();
        alerts.stream().sorted(Comparator.comparing(IndicatorCards::raisedAt))
                .forEach(view -> byIndicator.computeIfAbsent((String) view.get("indicator"), i -> new ArrayList<>())
                        .add(view));
        List<Map<String, Object>> cards = new ArrayList<>();
        byIndicator.values().forEach(history -> cards.add(card(history)));
        cards.sort(Comparator.comparing((Map<String, Object> card) -> raisedAt(latest(card))).reversed());
        return cards;
    }

    private static Map<String, Object> card(List<Map<String, Object>> history) {
        Map<String, Object> latest = history.get(history.size() - 1);
        boolean review = Boolean.TRUE.equals(latest.get("review"));
        String decision = decisionAction(latest);
        Set<String> provinces = new LinkedHashSet<>();
        history.forEach(view -> provinces.addAll(strings(view.get("provinces"))));
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("indicator", latest.get("indicator"));
        card.put("display", latest.get("display"));
        card.put("kind", latest.get("kind"));
        card.put("level", latest.get("level"));
        card.put("provinces", List.copyOf(provinces));
        card.put("provinceNames", provinces.stream().map(AlertBoard::provinceName).toList());
        card.put("awaitingReview", review && decision == null);
        card.put("listed", "BLOCKED".equals(latest.get("level")) && !"DELIST".equals(decision));
        card.put("unacknowledged", !review && latest.get("acknowledgedBy") == null);
        card.put("history", history.stream().map(view -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("alertId", view.get("alertId"));
            step.put("level", view.get("level"));
            step.put("raisedAt", view.get("raisedAt"));
            return step;
        }).toList());
        card.put("latest", latest);
        return card;
    }

    /** The header's figures: alerts raised today (Vietnam time), and cards awaiting review, listed, unacknowledged. */
    static Map<String, Object> figures(List<Map<String, Object>> alerts, List<Map<String, Object>> cards,
                                       LocalDate today) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("newToday", alerts.stream().filter(view -> raisedAt(view).atZone(VIETNAM).toLocalDate()
                .equals(today)).count());
        figures.put("awaitingReview", count(cards, "awaitingReview"));
        figures.put("listed", count(cards, "listed"));
        figures.put("unacknowledged", count(cards, "unacknowledged"));
        figures.put("indicators", cards.size());
        return figures;
    }

    /**
     * The cards as CSV (RFC 4180, comma-separated, CRLF) with a UTF-8 byte order mark, so Excel shows the
     * Vietnamese text right when an office opens the file with a double click.
     */
    static String csv(List<Map<String, Object>> cards) {
        StringBuilder csv = new StringBuilder("\uFEFF");
        row(csv, List.of("Chỉ báo", "Loại", "Mức hiện tại", "Lịch sử mức", "Tỉnh", "Người báo cáo", "Số báo cáo",
                "Cảnh báo gần nhất", "Xác nhận đã xem", "Quyết định"));
        for (Map<String, Object> card : cards) {
            Map<String, Object> latest = latest(card);
            String history = maps(card.get("history")).stream()
                    .map(step -> label(LEVELS, step.get("level")) + " " + TIME.format((Instant) step.get("raisedAt")))
                    .collect(Collectors.joining(" → "));
            Object ackBy = latest.get("acknowledgedBy");
            String decision = decisionAction(latest);
            row(csv, List.of(String.valueOf(card.get("display")), label(KINDS, card.get("kind")),
                    label(LEVELS, card.get("level")), history, String.join(", ", strings(card.get("provinceNames"))),
                    String.valueOf(latest.get("distinctReporters")), String.valueOf(latest.get("reportCount")),
                    TIME.format(raisedAt(latest)),
                    ackBy == null ? "" : ackBy + " " + TIME.format((Instant) latest.get("acknowledgedAt")),
                    decision == null ? "" : label(DECISIONS, decision) + " (" + decisionOf(latest).get("actor") + ")"));
        }
        return csv.toString();
    }

    /** One CSV record of {@link #quoted} fields, CRLF-terminated; the police evidence export writes its rows so too. */
    static void row(StringBuilder csv, List<String> fields) {
        csv.append(fields.stream().map(IndicatorCards::quoted).collect(Collectors.joining(","))).append("\r\n");
    }

    /** RFC 4180: every field quoted, a quote doubled; a leading =, +, - or @ is made text so Excel runs no formula. */
    private static String quoted(String field) {
        String safe = !field.isEmpty() && "=+-@".indexOf(field.charAt(0)) >= 0 ? "'" + field : field;
        return '"' + safe.replace("\"", "\"\"") + '"';
    }

    private static String label(Map<String, String> labels, Object code) {
        return labels.getOrDefault(String.valueOf(code), String.valueOf(code));
    }

    private static long count(List<Map<String, Object>> cards, String flag) {
        return cards.stream().filter(card -> Boolean.TRUE.equals(card.get(flag))).count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> latest(Map<String, Object> card) {
        return (Map<String, Object>) card.get("latest");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> decisionOf(Map<String, Object> view) {
        return (Map<String, Object>) view.get("decision");
    }

    private static String decisionAction(Map<String, Object> view) {
        Map<String, Object> decision = decisionOf(view);
        return decision == null ? null : (String) decision.get("action");
    }

    private static Instant raisedAt(Map<String, Object> view) {
        return (Instant) view.get("raisedAt");
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object list) {
        return list == null ? List.of() : (List<String>) list;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return (List<Map<String, Object>>) list;
    }
}
