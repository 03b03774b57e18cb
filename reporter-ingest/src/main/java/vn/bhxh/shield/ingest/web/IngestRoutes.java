package vn.bhxh.shield.ingest.web;

import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.ingest.IngestSettings;
import vn.bhxh.shield.ingest.intake.NoteIdentifiers;
import vn.bhxh.shield.ingest.intake.ReportIntake;
import vn.bhxh.shield.ingest.intake.ReportValidator;
import vn.bhxh.shield.ingest.security.Authenticator;

/** Every route of reporter-ingest beyond /health and /metrics, with what they share. */
public final class IngestRoutes implements Consumer<JavalinConfig> {

    /** The largest body any endpoint takes (a police batch); each endpoint may take less. */
    static final long MAX_REQUEST_BYTES = 1024 * 1024;

    private final ReportsApi reports;
    private final FanpageWebhook fanpage;
    private final Optional<ZaloOaWebhook> zaloOa;
    private final PoliceReferrals police;
    private final OperatorPages pages;

    /**
     * @param normaliser for identifiers typed into their fields
     * @param noteIdentifiers for free text and reporters' numbers, personal data kept in no memo
     */
    public IngestRoutes(IngestSettings settings, ReportIntake intake, Normaliser normaliser,
                        NoteIdentifiers noteIdentifiers, MeterRegistry metrics, Clock clock) {
        Authenticator authenticator = new Authenticator(settings.clients(), settings.sessionKey(), clock);
        Endpoints endpoints = new Endpoints(new Access(authenticator), new RateLimits(settings.requestsPerSecond()),
                new RequestMetrics(metrics));
        this.reports = new ReportsApi(endpoints, new ReportValidator(normaliser, noteIdentifiers, clock), intake,
                new ProcessorLookup(settings.processorUrl(), settings.processorTimeout()));
        this.fanpage = new FanpageWebhook(endpoints, intake, noteIdentifiers,
                settings.fanpageAppSecret(), settings.fanpageVerifyToken());
        this.zaloOa = settings.zaloOa().map(zalo -> new ZaloOaWebhook(endpoints, intake, noteIdentifiers, zalo));
        this.police = new PoliceReferrals(endpoints, intake, normaliser);
        // Browsers accept Secure cookies on http://localhost too, but curl and some tools do not: dev mode skips it.
        this.pages = new OperatorPages(endpoints, authenticator, !settings.devMode());
    }

    @Override
    public void accept(JavalinConfig config) {
        config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        config.http.maxRequestSize = MAX_REQUEST_BYTES;
        reports.register(config);
        fanpage.register(config);
        zaloOa.ifPresent(webhook -> webhook.register(config));
        police.register(config);
        pages.register(config);
    }
}
