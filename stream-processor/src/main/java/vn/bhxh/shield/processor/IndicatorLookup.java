package vn.bhxh.shield.processor;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.lookup.IndicatorEvidence;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.HttpProblem;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;

/**
 * {@code GET /api/v1/indicators/{indicator}} and {@code GET /api/v1/indicators?q=<indicator>}: what the processor
 * knows about one indicator, as {@link IndicatorStatus} JSON, by interactive query of the instance that owns the
 * indicator's partition (forwarded there when that is another instance). {@code GET
 * /api/v1/indicators/{indicator}/evidence?limit=<n>}: the reports kept behind it ({@link IndicatorEvidence}), the
 * same way. Any raw spelling is accepted and
 * normalised first. The query form exists for links: a raw or {@code url:} key holds {@code //}, {@code ?} and
 * {@code #}, which a path can carry only percent-encoded and some proxies decode or refuse.
 */
final class IndicatorLookup {

    static final String QUERY_PATH = "/api/v1/indicators";
    /** Slashes allowed: a {@code url:} indicator contains them. */
    static final String PATH = QUERY_PATH + "/<indicator>";
    static final String QUERY_PARAM = "q";
    static final String EVIDENCE_PATH = PATH + "/evidence";
    static final String LIMIT_PARAM = "limit";
    private static final String FORWARDED = "X-Bhxh-Forwarded";

    private final KafkaStreams streams;
    private final HostInfo self;
    private final Rules rules;
    private final Normaliser normaliser = new Normaliser();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    IndicatorLookup(KafkaStreams streams, HostInfo self, Rules rules) {
        this.streams = streams;
        this.self = self;
        this.rules = rules;
    }

    void byPath(Context ctx) throws IOException, InterruptedException {
        handle(ctx, ctx.pathParam("indicator"), this::local, IndicatorLookup::queryForm);
    }

    /** The newest {@code limit} reports (all that are kept without it), oldest first. */
    void evidence(Context ctx) throws IOException, InterruptedException {
        String limitParam = ctx.queryParam(LIMIT_PARAM);
        int limit;
        try {
            limit = limitParam == null ? Integer.MAX_VALUE : Integer.parseInt(limitParam);
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1) {
            throw HttpProblem.of(400, "LIMIT_INVALID", "Tham số limit phải là một số nguyên dương.");
        }
        int newest = limit;
        handle(ctx, ctx.pathParam("indicator"), (context, indicator) -> localEvidence(context, indicator, newest),
                key -> QUERY_PATH + "/" + URLEncoder.encode(key, StandardCharsets.UTF_8) + "/evidence"
                        + (limitParam == null ? "" : "?" + LIMIT_PARAM + "=" + newest));
    }

    void byQuery(Context ctx) throws IOException, InterruptedException {
        String raw = ctx.queryParam(QUERY_PARAM);
        if (raw == null || raw.isBlank()) {
            throw HttpProblem.of(400, "QUERY_REQUIRED",
                    "Thiếu tham số q: số điện thoại, tên miền, đường dẫn hoặc tài khoản.");
        }
        handle(ctx, raw, this::local, IndicatorLookup::queryForm);
    }

    /** What the owner of an indicator answers. */
    private interface Answer {
        void answer(Context ctx, Indicator indicator) throws JsonProcessingException;
    }

    /**
     * @param local     the answer when this instance owns the indicator
     * @param forwarded the path and query to ask the owner, for the canonical key
     */
    private void handle(Context ctx, String raw, Answer local, Function<String, String> forwarded)
            throws IOException, InterruptedException {
        Normalisation parsed = normaliser.keyOrAny(raw);
        if (!(parsed instanceof Normalisation.Accepted accepted)) {
            Normalisation.Rejected rejected = (Normalisation.Rejected) parsed;
            throw HttpProblem.of(400, rejected.reason().name(), rejected.messageVi());
        }
        Indicator indicator = accepted.indicator();
        KeyQueryMetadata owner = owner(indicator.key());
        if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
            throw notReady();
        } else if (!owner.activeHost().equals(self)) {
            forward(ctx, owner.activeHost(), forwarded.apply(indicator.key()));
        } else {
            try {
                local.answer(ctx, indicator);
            } catch (InvalidStateStoreException e) {
                throw notReady();
            }
        }
    }

    /** Which instance's active task holds the canonical {@code indicatorKey} in its store. */
    KeyQueryMetadata owner(String indicatorKey) {
        return streams.queryMetadataForKey(IndicatorProcessor.STORE, indicatorKey, Serdes.String().serializer());
    }

    private void local(Context ctx, Indicator indicator) throws JsonProcessingException {
        ReadOnlyKeyValueStore<String, IndicatorState> states = store(IndicatorProcessor.STORE);
        IndicatorState state = states.get(indicator.key());
        ReadOnlyKeyValueStore<String, AllowlistEntry> allowlist = store(IndicatorFlow.ALLOWLIST_STORE);
        AllowlistEntry allowlisted = allowlist.get(indicator.key());
        if (state == null && allowlisted == null) {
            throw noReports(indicator);
        }
        IndicatorState known = state == null ? new IndicatorState() : state;
        boolean official = ListingLifecycle.isOfficial(known, allowlisted);
        List<ReportEvidence> kept = official ? List.of() : EvidenceStore.reports(store(EvidenceStore.STORE),
                indicator.key(), rules.campaigns().evidenceReports());
        List<IndicatorStatus.Linked> linked = Campaign.links(kept, other -> allowlist.get(other) != null,
                        rules.campaigns().links()).stream()
                .map(link -> new IndicatorStatus.Linked(link.indicator(), Indicator.parseKey(link.indicator())
                        .map(Indicator::display).orElse(link.indicator()), link.reports(), link.since()))
                .toList();
        json(ctx, 200, status(indicator, known, official, rules, System.currentTimeMillis(), linked));
    }

    private void localEvidence(Context ctx, Indicator indicator, int limit) throws JsonProcessingException {
        ReadOnlyKeyValueStore<String, ReportEvidence> evidence = store(EvidenceStore.STORE);
        List<ReportEvidence> kept = EvidenceStore.reports(evidence, indicator.key(),
                rules.campaigns().evidenceReports());
        if (kept.isEmpty()) {
            throw noReports(indicator);
        }
        ReadOnlyKeyValueStore<String, EvidenceStore.Head> heads = store(EvidenceStore.HEADS);
        EvidenceStore.Head head = heads.get(indicator.key());
        List<ReportEvidence> shown = kept.subList(Math.max(0, kept.size() - limit), kept.size());
        boolean truncated = shown.size() < kept.size()
                || head != null && head.readersMissSome(rules.campaigns().evidenceReports());
        json(ctx, 200, new IndicatorEvidence(indicator.key(), indicator.display(), List.copyOf(shown), truncated));
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name) {
        return streams.store(StoreQueryParameters.fromNameAndType(name,
                QueryableStoreTypes.<String, V>keyValueStore()));
    }

    private static HttpProblem noReports(Indicator indicator) {
        return HttpProblem.of(404, "NO_REPORTS", "Chưa có báo cáo nào về " + indicator.display() + ".")
                .with("indicator", indicator.key());
    }

    /** The query form of the lookup of a canonical key: no path encoding has to survive a second hop. */
    private static String queryForm(String key) {
        return QUERY_PATH + "?" + QUERY_PARAM + "=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /**
     * Asks the owner by the canonical key (the owner resolves it to the same indicator: keys parse as themselves),
     * never by the client's spelling.
     */
    private void forward(Context ctx, HostInfo owner, String pathAndQuery) throws IOException, InterruptedException {
        if (ctx.header(FORWARDED) != null) {
            throw notReady();
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + owner.host() + ":" + owner.port() + pathAndQuery))
                .header(FORWARDED, self.host() + ":" + self.port())
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        ctx.status(response.statusCode()).result(response.body()).contentType(response.headers()
                .firstValue("Content-Type").orElse(HttpProblem.CONTENT_TYPE));
    }

    /** {@code official}: by the state and the allowlist topic, as {@link ListingLifecycle#isOfficial} says. */
    static IndicatorStatus status(Indicator indicator, IndicatorState state, boolean official, Rules rules,
                                  long now, List<IndicatorStatus.Linked> linked) {
        IndicatorStatus.Status status;
        if (official) {
            status = IndicatorStatus.Status.OFFICIAL_CHANNEL;
        } else if (state.listing != null) {
            status = state.listing.status() == BlocklistStatus.CONFIRMED
                    ? IndicatorStatus.Status.CONFIRMED : IndicatorStatus.Status.LISTED;
        } else if (state.proposal != null) {
            status = IndicatorStatus.Status.PROPOSED;
        } else if (state.isDelistGuarded(now, rules)) {
            status = IndicatorStatus.Status.DELISTED;
        } else if (state.isRejectGuarded(now, rules)) {
            status = IndicatorStatus.Status.REJECTED;
        } else {
            status = IndicatorStatus.Status.NOT_LISTED;
        }
        Evidence week = Evidence.over(state.sightings, now - rules.longWindow().toMillis(), now, rules);
        return new IndicatorStatus(indicator.key(), indicator.display(), indicator.kind().name(), status,
                Evidence.over(state.sightings, now - rules.shortWindow().toMillis(), now, rules).counts(),
                week.counts(), instant(state.firstSeen), instant(state.lastSeen),
                state.listing == null ? null : Instant.ofEpochMilli(state.listing.listedAt()),
                state.listing == null ? null : Instant.ofEpochMilli(state.listing.expiresAt()),
                List.copyOf(state.audit), List.copyOf(state.provincesEver), week.submittingAccounts(),
                state.listing == null ? null : state.listing.reasonCode().name(),
                state.proposal == null ? null : Instant.ofEpochMilli(state.proposal.proposedAt()),
                state.proposal != null && state.proposal.escalated(), week.burstAccount(), linked);
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    /** Starting, or the owner of the indicator's partition moving (a rebalance, a store not yet queryable): retry soon. */
    static HttpProblem notReady() {
        return HttpProblem.of(503, "NOT_READY",
                "Bộ xử lý chưa trả lời được (đang khởi động hoặc chia lại dữ liệu), hãy thử lại sau ít giây.")
                .retryAfter(1);
    }

    private static void json(Context ctx, int status, Object body) throws JsonProcessingException {
        ctx.status(status).contentType("application/json").result(JsonSerde.MAPPER.writeValueAsString(body));
    }
}
