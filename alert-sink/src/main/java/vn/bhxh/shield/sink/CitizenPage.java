package vn.bhxh.shield.sink;

import com.google.common.html.HtmlEscapers;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.sink.Appeals.FieldError;

/**
 * The citizens' check, public and without sign-in: {@code GET /kiem-tra} (the page) and {@code GET /api/v1/check?q=}
 * (the answer, {@link CitizenCheck}). Answered from this instance's {@link BlocklistView}, which follows the
 * blocklist and allowlist topics anyway, so it scales with the sink's replicas and never asks the processor.
 * Rate limited per client address; what is typed is never logged.
 */
final class CitizenPage {

    static final String PAGE = "/kiem-tra";
    static final String API = "/api/v1/check";
    static final String PER_MINUTE = "SINK_CHECKS_PER_MINUTE";
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'";

    private final BlocklistView blocklist;
    private final ClientRateLimit limit;
    private final MeterRegistry metrics;
    private final Normaliser normaliser = new Normaliser();
    private final String page;
    private final String script = Resources.text("citizen-check.js");

    CitizenPage(BlocklistView blocklist, int perMinute, MeterRegistry metrics) {
        this.blocklist = blocklist;
        this.limit = new ClientRateLimit(Math.multiplyExact(perMinute, 60));
        this.metrics = metrics;
        this.page = Resources.text("citizen-check.html")
                .replace("{{channels}}", items(OfficialChannels.all().stream().map(CitizenPage::channel).toList()))
                .replace("{{advice}}", items(CitizenCheck.ADVICE));
    }

    void register(JavalinConfig config) {
        config.routes.get(PAGE, ctx -> ctx.header("Content-Security-Policy", POLICY)
                .header("Referrer-Policy", "no-referrer").html(page));
        config.routes.get("/citizen-check.js", ctx -> ctx.contentType("text/javascript; charset=utf-8")
                .result(script));
        config.routes.get(API, this::check);
        config.routes.after(API, ctx -> metrics.counter("bhxh_sink_citizen_checks", "status",
                Integer.toString(ctx.statusCode())).increment());
    }

    private void check(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        // Every question counts, a malformed one too: the limit bounds what a script can ask, not what it learns.
        if (!limit.tryAcquire(ctx.ip())) {
            long seconds = Math.max(1, (limit.interval().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            ProblemJson.send(ctx, 429, "TOO_MANY_REQUESTS", "Bạn tra cứu quá nhanh. Vui lòng thử lại sau " + seconds
                    + " giây.");
            return;
        }
        if (!blocklist.loaded()) {
            // Not "no reports": a listed number must never be told safe because this instance is still reading.
            ctx.header("Retry-After", "5");
            ProblemJson.send(ctx, 503, "LOADING", "Hệ thống đang khởi động, vui lòng thử lại sau ít giây.");
            return;
        }
        String query = Optional.ofNullable(ctx.queryParam("q")).orElse("");
        Normalisation normalised = normaliser.keyOrAny(query);
        String key = normalised.accepted().map(Indicator::key).orElse("");
        CitizenCheck.Answer answer = CitizenCheck.answer(query, normalised, blocklist.listing(key),
                officialChannel(key));
        if (answer.verdict() == CitizenCheck.Verdict.INVALID) {
            ProblemJson.send(ctx, 400, "INVALID_QUERY", answer.message(),
                    List.of(new FieldError("q", answer.message())));
            return;
        }
        ctx.contentType("application/json; charset=utf-8").result(SinkJson.write(answer.json()));
    }

    /** The allowlist topic's channel, or the seed's: an official number is official even before the topic is seeded. */
    private Optional<AllowlistEntry> officialChannel(String key) {
        return blocklist.officialChannel(key).or(() -> OfficialChannels.all().stream()
                .filter(channel -> BlocklistView.covers(channel, key)).findFirst());
    }

    private static String channel(AllowlistEntry entry) {
        return entry.getName() + ": " + SinkJson.display(entry.getIndicator())
                + (entry.getIncludeSubdomains() ? " (và các trang con)" : "")
                + (entry.getInboundOnly() ? " (chỉ nhận cuộc gọi đến: BHXH không gọi đi từ số này)" : "");
    }

    private static String items(List<String> texts) {
        return texts.stream().map(text -> "<li>" + HtmlEscapers.htmlEscaper().escape(text) + "</li>")
                .collect(Collectors.joining("\n"));
    }
}
