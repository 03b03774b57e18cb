package vn.bhxh.shield.sink;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import vn.bhxh.shield.runtime.HttpProblem;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.sink.BlocklistView.Behind;
import vn.bhxh.shield.sink.BlocklistView.Changes;
import vn.bhxh.shield.sink.BlocklistView.Gone;
import vn.bhxh.shield.sink.BlocklistView.Snapshot;
import vn.bhxh.shield.sink.BlocklistView.Version;

/**
 * The telecom partners' HTTP feed: {@code GET /api/v1/blocklist} (full list, JSON or {@code ?format=csv}) and
 * {@code GET /api/v1/blocklist/changes?since=<version>} (what changed, with the checksum of the resulting list).
 */
final class PartnerFeed {

    private static final String CSV_HEADER =
            "indicator,display,kind,status,reason,distinctReporters,weightedReporters,reportCount,provinces,"
                    + "firstSeen,lastSeen,listedAt,expiresAt,reasonCode";

    private final BlocklistView view;
    private final Partners partners;
    private final MeterRegistry metrics;

    PartnerFeed(BlocklistView view, Partners partners, MeterRegistry metrics) {
        this.view = view;
        this.partners = partners;
        this.metrics = metrics;
    }

    void register(JavalinConfig config) {
        config.routes.get("/api/v1/blocklist", this::snapshot);
        config.routes.get("/api/v1/blocklist/changes", this::changes);
    }

    private void snapshot(Context ctx) {
        authorise(ctx, "snapshot");
        Snapshot snapshot = view.snapshot();
        ctx.header("X-Blocklist-Version", snapshot.version().toString());
        ctx.header("X-Blocklist-Checksum", snapshot.checksum());
        if ("csv".equals(ctx.queryParam("format"))) {
            ctx.contentType("text/csv; charset=utf-8").result(csv(snapshot.entries()));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", snapshot.version().toString());
        body.put("count", snapshot.entries().size());
        body.put("checksum", snapshot.checksum());
        body.put("checksumAlgorithm", BlocklistView.CHECKSUM_ALGORITHM);
        body.put("entries", snapshot.entries().stream().map(SinkJson::blocklistEntry).toList());
        json(ctx, HttpStatus.OK, body);
    }

    private void changes(Context ctx) {
        authorise(ctx, "changes");
        Optional<Version> since = Version.parse(ctx.queryParam("since"));
        if (since.isEmpty()) {
            throw HttpProblem.of(400, "INVALID_SINCE", "Tham số since phải là một phiên bản lấy từ câu trả lời của "
                    + "/api/v1/blocklist hoặc /api/v1/blocklist/changes, ví dụ 12.0.7.3.0.9.2.");
        }
        BlocklistView.Delta delta = view.changesSince(since.get());
        if (delta instanceof Changes changes) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("since", changes.since().toString());
            body.put("version", changes.version().toString());
            body.put("upserted", changes.upserted().stream().map(SinkJson::blocklistEntry).toList());
            body.put("removed", changes.removed());
            body.put("checksum", changes.checksum());
            body.put("checksumAlgorithm", BlocklistView.CHECKSUM_ALGORITHM);
            json(ctx, HttpStatus.OK, body);
        } else if (delta instanceof Gone gone) {
            throw HttpProblem.of(410, "VERSION_TOO_OLD", "Phiên bản này đã quá cũ để trả thay đổi, hãy lấy "
                    + "toàn bộ danh sách ở /api/v1/blocklist (" + gone.why() + ").").with("snapshot", "/api/v1/blocklist");
        } else if (delta instanceof Behind behind) {
            throw HttpProblem.of(503, "NOT_CAUGHT_UP", "Máy chủ này chưa đọc tới phiên bản đó, hãy thử lại sau ít "
                    + "giây.").with("version", behind.version().toString()).retryAfter(5);
        }
    }

    /** Counts the partner's request; refuses it with 401 (bad key) or 503 (list still loading). */
    private void authorise(Context ctx, String endpoint) {
        Optional<String> partner = partners.authenticate(ctx.header("Authorization"));
        if (partner.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"bhxh-blocklist\"");
            throw HttpProblem.of(401, "PARTNER_KEY_REQUIRED",
                    "Cần khoá đối tác hợp lệ: Authorization: Bearer <khoá>.");
        }
        metrics.counter("bhxh_sink_partner_requests", "partner", partner.get(), "endpoint", endpoint).increment();
        if (!view.loaded()) {
            throw HttpProblem.of(503, "LOADING", "Danh sách chặn đang được nạp, hãy thử lại sau ít giây.")
                    .retryAfter(5);
        }
    }

    private static void json(Context ctx, HttpStatus status, Object body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(SinkJson.write(body));
    }

    static String csv(List<BlocklistEntry> entries) {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append("\r\n");
        for (BlocklistEntry entry : entries) {
            Map<String, Object> json = SinkJson.blocklistEntry(entry);
            csv.append(json.values().stream()
                    .map(value -> value instanceof List<?> list
                            ? list.stream().map(String::valueOf).collect(Collectors.joining(";"))
                            : value == null ? "" : String.valueOf(value))
                    .map(PartnerFeed::csvField)
                    .collect(Collectors.joining(",")));
            csv.append("\r\n");
        }
        return csv.toString();
    }

    /** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
    private static String csvField(String value) {
        return value.matches("(?s).*[\",\r\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
