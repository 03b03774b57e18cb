package vn.bhxh.shield.sink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import vn.bhxh.shield.lookup.IndicatorEvidence;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.schema.ListingReason;

/**
 * The stream-processor's lookup API ({@code PROCESSOR_URL}, {@code GET /api/v1/indicators/{indicator}}), asked with
 * a short timeout: by the dashboard's search box, before an officer's decision is written, for the facts its
 * authority depends on (and a campaign's linked indicators), and for the reports behind an indicator that the
 * national board exports for the police ({@code /evidence}).
 */
final class ProcessorLookup {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** The processor could not answer (down, slow, rebalancing): nothing may be guessed from its silence. */
    static final class Unavailable extends Exception {
        Unavailable(String why) {
            super(why);
        }
    }

    /**
     * What a decision's authority depends on: the provinces whose citizens reported it (a top-level
     * {@code provinces} when the processor gives one, and those of its counting windows), and whether its listing
     * is police-confirmed (status CONFIRMED, or the {@code reasonCode} POLICE_CONFIRMED); and the indicators
     * linked to it (its campaign, the {@code linked} keys, most reports first), which a campaign decision covers.
     */
    record IndicatorFacts(String status, Set<String> provinces, boolean policeConfirmed, List<String> linked) {

        static final IndicatorFacts NEVER_REPORTED = new IndicatorFacts(IndicatorStatus.Status.NOT_LISTED.name(),
                Set.of(), false, List.of());

        static IndicatorFacts of(JsonNode indicatorStatus) {
            Set<String> provinces = new TreeSet<>();
            for (JsonNode list : new JsonNode[] {indicatorStatus.path("provinces"),
                    indicatorStatus.path("last24h").path("provinces"), indicatorStatus.path("last7d").path("provinces")}) {
                list.forEach(province -> provinces.add(province.asText()));
            }
            String status = indicatorStatus.path("status").asText();
            List<String> linked = new ArrayList<>();
            indicatorStatus.path("linked").forEach(other -> linked.add(other.path("indicator").asText()));
            return new IndicatorFacts(status, Set.copyOf(provinces),
                    status.equals(IndicatorStatus.Status.CONFIRMED.name())
                            || indicatorStatus.path("reasonCode").asText().equals(ListingReason.POLICE_CONFIRMED.name()),
                    List.copyOf(linked));
        }
    }

    /** The processor answers its evidence with fields of its own besides the contract's: those are left out. */
    private static final ObjectReader EVIDENCE = SinkJson.MAPPER.readerFor(IndicatorEvidence.class)
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI processorUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    ProcessorLookup(URI processorUrl) {
        this.processorUrl = processorUrl;
    }

    /** The processor's answer as it came: 200 with an {@link IndicatorStatus}, 404, 400 or 503 with an error. */
    HttpResponse<String> status(String indicator) throws IOException, InterruptedException {
        return get("/api/v1/indicators/" + URLEncoder.encode(indicator, StandardCharsets.UTF_8));
    }

    /**
     * The reports behind a canonical indicator ({@code GET /api/v1/indicators/{key}/evidence}, {@code ?limit=} when
     * given); empty when the processor knows nothing of it (404).
     */
    Optional<IndicatorEvidence> evidence(String indicatorKey, OptionalInt limit)
            throws Unavailable, InterruptedException {
        HttpResponse<String> response;
        try {
            response = get("/api/v1/indicators/" + URLEncoder.encode(indicatorKey, StandardCharsets.UTF_8)
                    + "/evidence" + (limit.isPresent() ? "?limit=" + limit.getAsInt() : ""));
        } catch (IOException e) {
            throw new Unavailable(e.toString());
        }
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw new Unavailable("the evidence API answered " + response.statusCode());
        }
        try {
            IndicatorEvidence evidence = EVIDENCE.readValue(response.body());
            return Optional.of(evidence);
        } catch (IOException e) {
            throw new Unavailable("unreadable evidence: " + e.getMessage());
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(processorUrl.resolve(path)).timeout(TIMEOUT).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The facts about a canonical indicator; those of one never reported when the processor knows nothing of it. */
    IndicatorFacts facts(String indicatorKey) throws Unavailable, InterruptedException {
        HttpResponse<String> response;
        try {
            response = status(indicatorKey);
        } catch (IOException e) {
            throw new Unavailable(e.toString());
        }
        if (response.statusCode() == 404) {
            return IndicatorFacts.NEVER_REPORTED;
        }
        if (response.statusCode() != 200) {
            throw new Unavailable("the lookup API answered " + response.statusCode());
        }
        try {
            return IndicatorFacts.of(SinkJson.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new Unavailable("unreadable answer: " + e.getMessage());
        }
    }
}
