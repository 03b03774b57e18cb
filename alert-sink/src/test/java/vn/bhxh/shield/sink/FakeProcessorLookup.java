package vn.bhxh.shield.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.HttpProblem;

/**
 * The stream-processor's lookup API as the sink sees it over HTTP (a real server on a free port, the external
 * service boundary): {@code GET /api/v1/indicators/{key}} answers the {@link IndicatorStatus} JSON set for the key,
 * 404 for a key it was not told about, and drops the connection unanswered for a key marked silent (a processor
 * that died mid-request).
 */
final class FakeProcessorLookup implements AutoCloseable {

    private static final String PATH = "/api/v1/indicators/";

    private final HttpServer server;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
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
        answers.put(key, SinkJson.write(Map.of("indicator", key, "display", SinkJson.display(key), "kind", "PHONE",
                "status", status.name(), "last7d", Map.of("reportCount", provinces.size(), "distinctReporters",
                        provinces.size(), "weightedReporters", provinces.size(), "provinces", provinces,
                        "channelCounts", Map.of("HOTLINE", provinces.size())),
                "audit", List.of())));
    }

    void silentAbout(String key) {
        silent.add(key);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String key = URLDecoder.decode(exchange.getRequestURI().getRawPath().substring(PATH.length()),
                StandardCharsets.UTF_8);
        if (silent.contains(key)) {
            exchange.close();
            return;
        }
        String body = answers.get(key);
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
