package vn.bhxh.shield.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import vn.bhxh.shield.lookup.IndicatorEvidence;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.HttpProblem;

/**
 * The stream-processor's lookup API as the sink sees it over HTTP (a real server on a free port, the external
 * service boundary): {@code GET /api/v1/indicators/{key}} answers the {@link IndicatorStatus} JSON set for the key
 * (with its linked indicators), {@code GET /api/v1/indicators/{key}/evidence} the {@link IndicatorEvidence} set for
 * it, 404 for a key it was not told about, and drops the connection unanswered for a key marked silent (a processor
 * that died mid-request).
 */
final class FakeProcessorLookup implements AutoCloseable {

    private static final String PATH = "/api/v1/indicators/";
    private static final String EVIDENCE = "/evidence";
    /**
     * When a linked indicator was first named together with the one looked up: three days ago, never a fixed date
     * (a board showing it next to an alert of today must not be showing last year's campaign).
     */
    static final Instant LINKED_SINCE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(3));

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, String> evidence = new ConcurrentHashMap<>();
    private final List<String> evidenceRequests = new CopyOnWriteArrayList<>();
    private final Set<String> silent = ConcurrentHashMap.newKeySet();

    FakeProcessorLookup() throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext(PATH, this::answer);
        server.start();
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** What the processor says of the key: its status and the provinces that reported it in the last 7 days. */
    void knows(String key, IndicatorStatus.Status status, List<String> provinces) {
        knows(key, status, provinces, List.of());
    }

    /** The same, and the indicators the processor links to it (its campaign), most reports first. */
    void knows(String key, IndicatorStatus.Status status, List<String> provinces, List<IndicatorStatus.Linked> linked) {
        answers.put(key, SinkJson.write(Map.of("indicator", key, "display", SinkJson.display(key), "kind", "PHONE",
                "status", status.name(), "last7d", Map.of("reportCount", provinces.size(), "distinctReporters",
                        provinces.size(), "weightedReporters", provinces.size(), "provinces", provinces,
                        "channelCounts", Map.of("HOTLINE", provinces.size())),
                "audit", List.of(), "linked", linked)));
    }

    /** The reports behind an indicator, as the processor's evidence API answers them. */
    void hasEvidence(IndicatorEvidence reports) {
        evidence.put(reports.indicator(), SinkJson.write(reports));
    }

    /** The evidence requests received, path and query as sent ({@code tel%3A%2B84...%2Fevidence?limit=5}). */
    List<String> evidenceRequests() {
        return List.copyOf(evidenceRequests);
    }

    /** A linked indicator as the lookup lists it, first named together at {@link #LINKED_SINCE}. */
    static IndicatorStatus.Linked linked(String indicator, int reports) {
        return new IndicatorStatus.Linked(indicator, SinkJson.display(indicator), reports, LINKED_SINCE);
    }

    /** One hotline report from Thanh Hóa behind the indicator, with these notes. */
    static IndicatorEvidence evidence(String indicator, String notes) {
        return new IndicatorEvidence(indicator, SinkJson.display(indicator), List.of(
                new IndicatorEvidence.ReportEvidence("R-1-" + indicator,
                        LINKED_SINCE.plus(Duration.ofMinutes(30)), LINKED_SINCE.plus(Duration.ofHours(1)), "thanh-hoa", "HOTLINE", "CALL", List.of("OTP"),
                        2_000_000, notes, "operator-7", "ps-77", List.of())), false);
    }

    void silentAbout(String key) {
        silent.add(key);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawPath().substring(PATH.length());
        boolean askedForEvidence = raw.endsWith(EVIDENCE);
        String key = URLDecoder.decode(askedForEvidence ? raw.substring(0, raw.length() - EVIDENCE.length()) : raw,
                StandardCharsets.UTF_8);
        if (silent.contains(key)) {
            exchange.close();
            return;
        }
        if (askedForEvidence) {
            String query = exchange.getRequestURI().getRawQuery();
            evidenceRequests.add(raw + (query == null ? "" : "?" + query));
        }
        String body = (askedForEvidence ? evidence : answers).get(key);
        // Unknown, it answers as the processor does: a problem naming the key.
        byte[] bytes = (body == null ? HttpProblem.of(404, "NO_REPORTS", "Chưa có báo cáo nào.").with("indicator", key)
                .json(exchange.getRequestURI().getRawPath()) : body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", body == null ? HttpProblem.CONTENT_TYPE : "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
