package vn.bhxh.shield.ingest.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import vn.bhxh.shield.lookup.IndicatorStatus;

/**
 * Asks the stream-processor what it knows about an indicator, with a short timeout: the receipt must not wait
 * for it, and a processor that is down or slow only means "status unavailable", never a failed submission.
 */
final class ProcessorLookup {

    enum Availability { KNOWN, UNKNOWN, UNAVAILABLE }

    record Answer(Availability availability, IndicatorStatus status) {
    }

    private final HttpClient http;
    private final String baseUrl;
    private final Duration timeout;

    ProcessorLookup(String baseUrl, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.timeout = timeout;
    }

    Answer lookup(String indicatorKey) {
        URI uri = URI.create(baseUrl + "/api/v1/indicators/" + URLEncoder.encode(indicatorKey, StandardCharsets.UTF_8));
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 -> new Answer(Availability.KNOWN, Json.MAPPER.readValue(response.body(), IndicatorStatus.class));
                case 404 -> new Answer(Availability.UNKNOWN, null);
                default -> new Answer(Availability.UNAVAILABLE, null);
            };
        } catch (IOException e) {
            return new Answer(Availability.UNAVAILABLE, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Availability.UNAVAILABLE, null);
        }
    }
}
