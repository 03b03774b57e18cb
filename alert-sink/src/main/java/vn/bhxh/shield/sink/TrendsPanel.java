package vn.bhxh.shield.sink;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.sink.DashboardUsers.Session;
import vn.bhxh.shield.trend.ReportWeeks;

/**
 * The weekly trends of reports on the national board ({@code GET /api/v1/dashboard/trends}, drawn by
 * {@code /trends.js}) and as gauges in {@code /metrics} for this week and the last: reports, per province, per kind
 * of indicator and per thing the scammer asked for (docs/trends.md). National accounts only: the figures compare
 * provinces, which is the national office's view; a province account gets 403.
 */
final class TrendsPanel {

    static final String PATH = "/api/v1/dashboard/trends";
    static final String WEEKS_SHOWN = "SINK_TREND_WEEKS";

    private final DashboardUsers users;
    private final WeeklyTrendBook book;
    private final int weeksShown;
    private final Clock clock;
    private final String script = Resources.text("trends.js");

    TrendsPanel(DashboardUsers users, WeeklyTrendBook book, int weeksShown, Clock clock, MeterRegistry metrics) {
        if (weeksShown < 2) {
            throw new IllegalStateException(WEEKS_SHOWN + " must be at least 2, got " + weeksShown);
        }
        this.users = users;
        this.book = book;
        this.weeksShown = weeksShown;
        this.clock = clock;
        registerGauges(metrics);
    }

    void register(JavalinConfig config) {
        config.routes.get("/trends.js", ctx -> ctx.contentType("text/javascript; charset=utf-8").result(script));
        config.routes.get(PATH, this::board);
    }

    private void board(Context ctx) {
        Session session = users.session(ctx.cookie(Dashboard.SESSION_COOKIE)).orElseThrow(SinkProblem::unauthorized);
        if (!session.user().scope().equals(Webhook.NATIONAL)) {
            throw new SinkProblem(403, "NATIONAL_ONLY", "Chỉ tài khoản cấp quốc gia xem xu hướng toàn quốc.");
        }
        ctx.header("Cache-Control", "no-store").contentType("application/json; charset=utf-8")
                .result(SinkJson.write(book.board(today(), weeksShown)));
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ReportWeeks.VIETNAM));
    }

    /**
     * One gauge per week (current, previous) and value of each dimension: 2 x (1 + 35 + 6 + 8), whatever was
     * reported, so the series exist (at 0) before the first report of a week and never grow with the data.
     */
    private void registerGauges(MeterRegistry metrics) {
        for (String which : List.of("current", "previous")) {
            Function<TrendsPanel, WeeklyTrendBook.Week> week = panel -> panel.book.week(
                    ReportWeeks.weekStart(panel.today()).minusWeeks(which.equals("current") ? 0 : 1));
            gauge(metrics, "bhxh_trend_reports", "reports of the week, each counted once", which, null, null,
                    week, WeeklyTrendBook.Week::reports);
            Stream.concat(Provinces.all().stream().map(Province::slug), Stream.of(WeeklyTrendBook.UNKNOWN_PROVINCE))
                    .forEach(province -> gauge(metrics, "bhxh_trend_reports_by_province",
                            "reports of the week from the province ('unknown': none named)", which, "province",
                            province, week, w -> w.byProvince().getOrDefault(province, 0)));
            Arrays.stream(IndicatorKind.values()).filter(kind -> kind != IndicatorKind.UNKNOWN).map(Enum::name)
                    .forEach(kind -> gauge(metrics, "bhxh_trend_reports_by_kind",
                            "reports of the week naming an indicator of the kind", which, "kind", kind, week,
                            w -> w.byKind().getOrDefault(kind, 0)));
            Arrays.stream(ScamRequest.values()).map(Enum::name)
                    .forEach(request -> gauge(metrics, "bhxh_trend_reports_by_request",
                            "reports of the week in which the scammer asked for it", which, "request", request,
                            week, w -> w.byRequest().getOrDefault(request, 0)));
        }
    }

    private void gauge(MeterRegistry metrics, String name, String description, String which, String tag,
                       String value, Function<TrendsPanel, WeeklyTrendBook.Week> week,
                       ToIntFunction<WeeklyTrendBook.Week> count) {
        Gauge.Builder<TrendsPanel> builder = Gauge.builder(name, this, panel -> count.applyAsInt(week.apply(panel)))
                .description(description).tag("week", which).strongReference(true);
        (tag == null ? builder : builder.tag(tag, value)).register(metrics);
    }
}
