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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.HttpProblem;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;

/**
 * {@code GET /api/v1/indicators/{indicator}} and {@code GET /api/v1/indicators?q=<indicator>}: what the processor
 * knows about one indicator, as {@link IndicatorStatus} JSON, by interactive query of the instance that owns the
 * indicator's partition (forwarded there when that is another instance). Any raw spelling is accepted and
 * normalised first. The query form exists for links: a raw or {@code url:} key holds {@code //}, {@code ?} and
 * {@code #}, which a path can carry only percent-encoded and some proxies decode or refuse.
 */
final class IndicatorLookup {

    static final String QUERY_PATH = "/api/v1/indicators";
    /** Slashes allowed: a {@code url:} indicator contains them. */
    static final String PATH = QUERY_PATH + "/<indicator>";
    static final String QUERY_PARAM = "q";
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
        handle(ctx, ctx.pathParam("indicator"));
    }

    void byQuery(Context ctx) throws IOException, InterruptedException {
        String raw = ctx.queryParam(QUERY_PARAM);
        if (raw == null || raw.isBlank()) {
            throw HttpProblem.of(400, "QUERY_REQUIRED",
                    "Thiếu tham số q: số điện thoại, tên miền, đường dẫn hoặc tài khoản.");
        }
        handle(ctx, raw);
    }

    private void handle(Context ctx, String raw) throws IOException, InterruptedException {
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
            forward(ctx, owner.activeHost(), indicator);
        } else {
            local(ctx, indicator);
        }
    }

    /** Which instance's active task holds the canonical {@code indicatorKey} in its store. */
    KeyQueryMetadata owner(String indicatorKey) {
        return streams.queryMetadataForKey(IndicatorProcessor.STORE, indicatorKey, Serdes.String().serializer());
    }

    private void local(Context ctx, Indicator indicator) throws JsonProcessingException {
        try {
            IndicatorState state = streams.store(StoreQueryParameters.fromNameAndType(IndicatorProcessor.STORE,
                    QueryableStoreTypes.<String, IndicatorState>keyValueStore())).get(indicator.key());
            AllowlistEntry allowlisted = streams.store(StoreQueryParameters.fromNameAndType(
                    IndicatorFlow.ALLOWLIST_STORE, QueryableStoreTypes.<String, AllowlistEntry>keyValueStore()))
                    .get(indicator.key());
            if (state == null && allowlisted == null) {
                throw HttpProblem.of(404, "NO_REPORTS", "Chưa có báo cáo nào về " + indicator.display() + ".")
                        .with("indicator", indicator.key());
            }
            IndicatorState known = state == null ? new IndicatorState() : state;
            json(ctx, 200, status(indicator, known, ListingLifecycle.isOfficial(known, allowlisted), rules,
                    System.currentTimeMillis()));
        } catch (InvalidStateStoreException e) {
            throw notReady();
        }
    }

    /**
     * Asks the owner by the canonical key in the query form: the owner resolves it to the same indicator (keys
     * parse as themselves), and no path encoding of the client's spelling has to survive a second hop.
     */
    private void forward(Context ctx, HostInfo owner, Indicator indicator) throws IOException, InterruptedException {
        if (ctx.header(FORWARDED) != null) {
            throw notReady();
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + owner.host() + ":" + owner.port() + QUERY_PATH + "?" + QUERY_PARAM
                                + "=" + URLEncoder.encode(indicator.key(), StandardCharsets.UTF_8)))
                .header(FORWARDED, self.host() + ":" + self.port())
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        ctx.status(response.statusCode()).result(response.body()).contentType(response.headers()
                .firstValue("Content-Type").orElse(HttpProblem.CONTENT_TYPE));
    }

    /** {@code official}: by the state and the allowlist topic, as {@link ListingLifecycle#isOfficial} says. */
    static IndicatorStatus status(Indicator indicator, IndicatorState state, boolean official, Rules rules,
                                  long now) {
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
                state.proposal != null && state.proposal.escalated(), week.burstAccount(), List.of());
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
