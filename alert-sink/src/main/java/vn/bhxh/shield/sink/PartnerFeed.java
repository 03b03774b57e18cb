package vn.bhxh.shield.sink;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.micrometer.core.instrument.MeterRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.runtime.HttpProblem;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.sink.BlocklistView.Behind;
import vn.bhxh.shield.sink.BlocklistView.Changes;
import vn.bhxh.shield.sink.BlocklistView.Gone;
import vn.bhxh.shield.sink.BlocklistView.Snapshot;
import vn.bhxh.shield.sink.BlocklistView.Version;

/**
 * The telecom partners' HTTP feed: {@code GET /api/v1/blocklist} (full list or one {@code ?kind=}, JSON,
 * {@code ?format=csv} or {@code ?format=stix}, with an ETag so an unchanged list answers 304),
 * {@code GET /api/v1/blocklist/changes?since=<version>} (what changed, with the checksum of the resulting list),
 * {@code GET /api/v1/blocklist/rpz} (the listed domains as a DNS Response Policy Zone) and
 * {@code POST /api/v1/blocklist/lookup} (many indicators in any spelling at once), and the Do-Not-Originate list
 * {@code GET /api/v1/do-not-originate} (official numbers that never call out: a call showing one is spoofed; JSON
 * or {@code ?format=csv}, with its own version and ETag). docs/partner-guide.md shows each.
 */
final class PartnerFeed {

    private static final String CSV_HEADER =
            "indicator,display,kind,status,reason,distinctReporters,weightedReporters,reportCount,provinces,"
                    + "firstSeen,lastSeen,listedAt,expiresAt,reasonCode";
    /** The body a bulk lookup may send, per indicator it may hold: room for a long URL and its JSON quoting. */
    static final int LOOKUP_BYTES_PER_INDICATOR = 1024;
    static final String DO_NOT_ORIGINATE = "/api/v1/do-not-originate";
    private static final String DO_NOT_ORIGINATE_CSV_HEADER = "number,display,name,since";

    private final BlocklistView view;
    private final DoNotOriginateView doNotOriginate;
    private final Partners partners;
    private final MeterRegistry metrics;
    private final int lookupLimit;
    private final Normaliser normaliser = new Normaliser();

    /** @param lookupLimit the most indicators one bulk lookup may ask about ({@code SINK_PARTNER_LOOKUP_MAX}) */
    PartnerFeed(BlocklistView view, DoNotOriginateView doNotOriginate, Partners partners, MeterRegistry metrics,
                int lookupLimit) {
        this.view = view;
        this.doNotOriginate = doNotOriginate;
        this.partners = partners;
        this.metrics = metrics;
        this.lookupLimit = lookupLimit;
    }

    void register(JavalinConfig config) {
        config.routes.get("/api/v1/blocklist", this::snapshot);
        config.routes.get("/api/v1/blocklist/changes", this::changes);
        config.routes.get("/api/v1/blocklist/rpz", this::rpz);
        config.routes.post("/api/v1/blocklist/lookup", this::lookup);
        config.routes.get(DO_NOT_ORIGINATE, this::doNotOriginate);
    }

    private void snapshot(Context ctx) {
        authorise(ctx, "snapshot");
        Optional<IndicatorKind> kind = kind(ctx);
        String format = format(ctx, "json", "csv", "stix");
        Snapshot snapshot = view.snapshot(kind);
        if (notModified(ctx, snapshot, format, kind)) {
            return;
        }
        switch (format) {
            case "csv" -> ctx.contentType("text/csv; charset=utf-8").result(csv(snapshot.entries()));
            case "stix" -> ctx.contentType("application/stix+json; version=2.1; charset=utf-8")
                    .result(SinkJson.write(StixBundle.bundle(snapshot, kind.map(Enum::name).orElse("ALL"))));
            default -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("version", snapshot.version().toString());
                kind.ifPresent(k -> body.put("kind", k.name()));
                body.put("count", snapshot.entries().size());
                body.put("checksum", snapshot.checksum());
                body.put("checksumAlgorithm", BlocklistView.CHECKSUM_ALGORITHM);
                body.put("entries", snapshot.entries().stream().map(SinkJson::blocklistEntry).toList());
                json(ctx, HttpStatus.OK, body);
            }
        }
    }

    /** Only DOMAIN listings: a URL is one page, often on a shared platform, never a whole domain to block. */
    private void rpz(Context ctx) {
        authorise(ctx, "rpz");
        Optional<IndicatorKind> domains = Optional.of(IndicatorKind.DOMAIN);
        Snapshot snapshot = view.snapshot(domains);
        if (notModified(ctx, snapshot, "rpz", domains)) {
            return;
        }
        ctx.header("X-Blocklist-Serial", Long.toString(ResponsePolicyZone.serial(snapshot.version())));
        ctx.contentType("text/dns; charset=utf-8").result(ResponsePolicyZone.zone(snapshot.version(),
                snapshot.entries()));
    }

    /**
     * Sets the snapshot's version and checksum headers, and answers 304 when the partner already holds this
     * representation: its ETag is made of what the body is a function of, the version (of the kind), the format and
     * the kind.
     */
    private static boolean notModified(Context ctx, Snapshot snapshot, String format, Optional<IndicatorKind> kind) {
        ctx.header("X-Blocklist-Version", snapshot.version().toString());
        ctx.header("X-Blocklist-Checksum", snapshot.checksum());
        return notModified(ctx, snapshot.version() + "-" + format + "-" + kind.map(Enum::name).orElse("ALL"));
    }

    /**
     * Sets the ETag and caching headers of a list's representation, and answers 304 when the partner already holds
     * it. The ETag is weak (the same list, gzipped or not, is the same to a partner); {@code representation} names
     * everything the body is a function of, so a 304 costs no serialising.
     */
    private static boolean notModified(Context ctx, String representation) {
        String etag = "W/\"" + representation + "\"";
        ctx.header("ETag", etag);
        ctx.header("Cache-Control", "no-cache");
        ctx.header("Vary", "Accept-Encoding, Authorization");
        String held = ctx.header("If-None-Match");
        if (held == null) {
            return false;
        }
        String opaque = etag.substring(2);
        boolean same = Arrays.stream(held.split(","))
                .map(String::strip)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(opaque));
        if (same) {
            ctx.status(HttpStatus.NOT_MODIFIED);
        }
        return same;
    }

    /**
     * The official numbers that only receive calls, whole (a handful): JSON with what the list means, or CSV. Its
     * version and ETag are its own, so a partner polling it is answered 304 until a number joins or leaves it.
     */
    private void doNotOriginate(Context ctx) {
        partner(ctx, "do-not-originate");
        if (!doNotOriginate.loaded()) {
            throw HttpProblem.of(503, "LOADING", "Danh sách số BHXH không gọi đi đang được nạp, hãy thử lại sau ít giây.")
                    .retryAfter(5);
        }
        String format = format(ctx, "json", "csv");
        DoNotOriginateView.Snapshot snapshot = doNotOriginate.snapshot();
        ctx.header("X-Do-Not-Originate-Version", snapshot.version().toString());
        if (notModified(ctx, snapshot.version() + "-do-not-originate-" + format)) {
            return;
        }
        List<Map<String, Object>> entries = snapshot.entries().stream().map(SinkJson::doNotOriginateEntry).toList();
        if (format.equals("csv")) {
            ctx.contentType("text/csv; charset=utf-8").result(csv(DO_NOT_ORIGINATE_CSV_HEADER, entries));
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", snapshot.version().toString());
            body.put("meaning", DoNotOriginateView.MEANING);
            body.put("count", entries.size());
            body.put("entries", entries);
            json(ctx, HttpStatus.OK, body);
        }
    }

    /** {@code ?format=}, one of {@code formats}, the first when absent. */
    private static String format(Context ctx, String... formats) {
        String format = Optional.ofNullable(ctx.queryParam("format")).orElse(formats[0]);
        if (!List.of(formats).contains(format)) {
            String allowed = String.join(", ", Arrays.copyOf(formats, formats.length - 1)) + " hoặc "
                    + formats[formats.length - 1];
            throw HttpProblem.of(400, "INVALID_FORMAT", "Tham số format chỉ nhận " + allowed + ".");
        }
        return format;
    }

    private void changes(Context ctx) {
        authorise(ctx, "changes");
        Optional<IndicatorKind> kind = kind(ctx);
        Optional<Version> since = Version.parse(ctx.queryParam("since"));
        if (since.isEmpty()) {
            throw HttpProblem.of(400, "INVALID_SINCE", "Tham số since phải là một phiên bản lấy từ câu trả lời của "
                    + "/api/v1/blocklist hoặc /api/v1/blocklist/changes, ví dụ 12.0.7.3.0.9.2.");
        }
        BlocklistView.Delta delta = view.changesSince(since.get(), kind);
        if (delta instanceof Changes changes) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("since", changes.since().toString());
            body.put("version", changes.version().toString());
            kind.ifPresent(k -> body.put("kind", k.name()));
            body.put("upserted", changes.upserted().stream().map(SinkJson::blocklistEntry).toList());
            body.put("removed", changes.removed());
            body.put("checksum", changes.checksum());
            body.put("checksumAlgorithm", BlocklistView.CHECKSUM_ALGORITHM);
            json(ctx, HttpStatus.OK, body);
        } else if (delta instanceof Gone gone) {
            String snapshot = "/api/v1/blocklist" + kind.map(k -> "?kind=" + k.name()).orElse("");
            throw HttpProblem.of(410, "VERSION_TOO_OLD", "Phiên bản này đã quá cũ để trả thay đổi, hãy lấy "
                    + "toàn bộ danh sách ở " + snapshot + " (" + gone.why() + ").").with("snapshot", snapshot);
        } else if (delta instanceof Behind behind) {
            throw HttpProblem.of(503, "NOT_CAUGHT_UP", "Máy chủ này chưa đọc tới phiên bản đó, hãy thử lại sau ít "
                    + "giây.").with("version", behind.version().toString()).retryAfter(5);
        }
    }

    /** Any kind the contract knows (new kinds need no change here); none: the whole list. */
    private static Optional<IndicatorKind> kind(Context ctx) {
        String kind = ctx.queryParam("kind");
        if (kind == null) {
            return Optional.empty();
        }
        List<String> known = Arrays.stream(IndicatorKind.values()).filter(k -> k != IndicatorKind.UNKNOWN)
                .map(Enum::name).toList();
        if (!known.contains(kind)) {
            throw HttpProblem.of(400, "INVALID_KIND", "Tham số kind phải là một trong " + String.join(", ", known)
                    + ".");
        }
        return Optional.of(IndicatorKind.valueOf(kind));
    }

    /**
     * Up to {@link #lookupLimit} indicators, a JSON array of strings or one per line of text, each in any spelling
     * a person or a partner's system wrote it: per input, in order, its canonical key and whether it is listed, or
     * why it is no indicator at all.
     */
    private void lookup(Context ctx) throws IOException {
        authorise(ctx, "lookup");
        List<String> inputs = lookupInputs(ctx);
        List<Normalisation> normalised = inputs.stream().map(normaliser::keyOrAny).toList();
        List<String> keys = normalised.stream()
                .map(n -> n.accepted().map(Indicator::key).orElse(null))
                .filter(Objects::nonNull)
                .toList();
        Map<String, Optional<BlocklistEntry>> listings = new HashMap<>();
        List<Optional<BlocklistEntry>> found = view.listings(keys);
        for (int i = 0; i < keys.size(); i++) {
            listings.put(keys.get(i), found.get(i));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("input", inputs.get(i));
            if (normalised.get(i) instanceof Normalisation.Rejected rejected) {
                result.put("key", null);
                result.put("listed", false);
                result.put("invalid", rejected.reason().name());
                result.put("message", rejected.messageVi());
            } else {
                Indicator indicator = normalised.get(i).accepted().orElseThrow();
                Optional<BlocklistEntry> listing = listings.get(indicator.key());
                result.put("key", indicator.key());
                result.put("kind", indicator.kind().name());
                result.put("listed", listing.isPresent());
                listing.ifPresent(entry -> {
                    result.put("status", entry.getStatus().name());
                    result.put("reasonCode", entry.getReasonCode().name());
                    result.put("since", entry.getListedAt());
                    result.put("expiresAt", entry.getExpiresAt());
                });
            }
            results.add(result);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", results.size());
        body.put("listed", results.stream().filter(r -> Boolean.TRUE.equals(r.get("listed"))).count());
        body.put("results", results);
        json(ctx, HttpStatus.OK, body);
    }

    private List<String> lookupInputs(Context ctx) throws IOException {
        long maxBytes = (long) lookupLimit * LOOKUP_BYTES_PER_INDICATOR;
        String tooMany = "Mỗi lần tra cứu tối đa " + lookupLimit + " chỉ dấu (và " + maxBytes / 1024
                + " KiB); hãy chia thành nhiều lần.";
        if (ctx.req().getContentLengthLong() > maxBytes) {
            throw HttpProblem.of(413, "TOO_MANY_INDICATORS", tooMany);
        }
        byte[] body = ctx.req().getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            throw HttpProblem.of(413, "TOO_MANY_INDICATORS", tooMany);
        }
        String type = Optional.ofNullable(ctx.contentType()).orElse("").split(";")[0].strip().toLowerCase(Locale.ROOT);
        List<String> inputs = switch (type) {
            case "application/json" -> jsonStrings(body);
            case "text/plain" -> new String(body, StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList();
            default -> throw HttpProblem.of(415, "UNSUPPORTED_MEDIA_TYPE", "Gửi danh sách chỉ dấu dạng "
                    + "application/json (một mảng chuỗi) hoặc text/plain (mỗi dòng một chỉ dấu).");
        };
        if (inputs.size() > lookupLimit) {
            throw HttpProblem.of(413, "TOO_MANY_INDICATORS", tooMany);
        }
        return inputs;
    }

    private static List<String> jsonStrings(byte[] body) {
        String notAnArray = "Nội dung phải là một mảng JSON các chuỗi, ví dụ [\"0994311201\", \"lua-dao.vn\"].";
        JsonNode array;
        try {
            array = SinkJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw HttpProblem.of(400, "INVALID_BODY", notAnArray);
        }
        if (array == null || !array.isArray()) {
            throw HttpProblem.of(400, "INVALID_BODY", notAnArray);
        }
        List<String> inputs = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw HttpProblem.of(400, "INVALID_BODY", notAnArray);
            }
            inputs.add(item.asText());
        }
        return inputs;
    }

    /** Counts the partner's request; refuses it with 401 (bad key) or 503 (list still loading). */
    private void authorise(Context ctx, String endpoint) {
        partner(ctx, endpoint);
        if (!view.loaded()) {
            throw HttpProblem.of(503, "LOADING", "Danh sách chặn đang được nạp, hãy thử lại sau ít giây.")
                    .retryAfter(5);
        }
    }

    /** Counts the partner's request; refuses it with 401 without a valid partner key. */
    private void partner(Context ctx, String endpoint) {
        Optional<String> partner = partners.authenticate(ctx.header("Authorization"));
        if (partner.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"bhxh-blocklist\"");
            throw HttpProblem.of(401, "PARTNER_KEY_REQUIRED",
                    "Cần khoá đối tác hợp lệ: Authorization: Bearer <khoá>.");
        }
        metrics.counter("bhxh_sink_partner_requests", "partner", partner.get(), "endpoint", endpoint).increment();
    }

    private static void json(Context ctx, HttpStatus status, Object body) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(SinkJson.write(body));
    }

    static String csv(List<BlocklistEntry> entries) {
        return csv(CSV_HEADER, entries.stream().map(SinkJson::blocklistEntry).toList());
    }

    /** One line per row, its values in order: a list joined with ';', null empty. */
    private static String csv(String header, List<Map<String, Object>> rows) {
        StringBuilder csv = new StringBuilder(header).append("\r\n");
        for (Map<String, Object> json : rows) {
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
