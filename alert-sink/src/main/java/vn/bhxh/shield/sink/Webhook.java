package vn.bhxh.shield.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.topic.Topics;

/**
 * One provincial office's webhook endpoint: the alert topic it follows ({@code national} for the national one),
 * where to POST, and the HMAC secret its receiver verifies {@code X-BHXH-Signature-256} with.
 */
record Webhook(String province, String alertTopic, URI url, byte[] secret) {

    static final String NATIONAL = "national";

    /** Where it is shown in metrics and logs: no user info nor query string, which might carry credentials. */
    String endpoint() {
        String port = url.getPort() == -1 ? "" : ":" + url.getPort();
        return url.getScheme() + "://" + url.getHost() + port + url.getPath();
    }

    /** {@code sha256=<hex HMAC-SHA256 of the raw body>}, as GitHub does, so receivers can reuse their code. */
    String signature(byte[] body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(hmac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /**
     * {@code SINK_WEBHOOKS=thanh-hoa=http://a;ha-noi=http://b,http://c}; the secret of a province is
     * {@code SINK_WEBHOOK_SECRET_<SLUG>} (e.g. {@code SINK_WEBHOOK_SECRET_THANH_HOA}), else
     * {@code SINK_WEBHOOK_SECRET}. A webhook without a secret is refused: receivers must be able to verify.
     */
    static List<Webhook> fromSettings(Settings settings) {
        List<Webhook> webhooks = new ArrayList<>();
        String[] entries = settings.string("SINK_WEBHOOKS", "").split(";");
        for (int i = 0; i < entries.length; i++) {
            if (entries[i].isBlank()) {
                continue;
            }
            // Errors name the position, never the text: a URL may carry the receiver's token.
            String where = "SINK_WEBHOOKS entry " + (i + 1);
            String[] slugAndUrls = entries[i].trim().split("=", 2);
            if (slugAndUrls.length != 2) {
                throw new IllegalStateException(where + ": expected province=url[,url]");
            }
            String slug = slugAndUrls[0].trim();
            if (!slug.equals(NATIONAL) && Provinces.bySlug(slug).isEmpty()) {
                throw new IllegalStateException(where + ": not a province slug nor " + NATIONAL);
            }
            String topic = slug.equals(NATIONAL) ? Topics.ALERTS_NATIONAL : Topics.provinceAlertsName(slug);
            String secretName = "SINK_WEBHOOK_SECRET_" + slug.toUpperCase(Locale.ROOT).replace('-', '_');
            String secret = settings.find(secretName).or(() -> settings.find("SINK_WEBHOOK_SECRET"))
                    .orElseThrow(() -> new IllegalStateException("no " + secretName + " nor SINK_WEBHOOK_SECRET"));
            String[] urls = slugAndUrls[1].split(",");
            for (int u = 0; u < urls.length; u++) {
                String which = where + ", URL " + (u + 1);
                URI uri = httpUrl(urls[u].trim())
                        .orElseThrow(() -> new IllegalStateException(which + ": not an http(s) URL"));
                webhooks.add(new Webhook(slug, topic, uri, secret.getBytes(StandardCharsets.UTF_8)));
            }
        }
        return List.copyOf(webhooks);
    }

    private static Optional<URI> httpUrl(String text) {
        try {
            URI uri = new URI(text);
            return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty(); // its message quotes the text
        }
    }

    /** How hard to try before dead-lettering: attempts, exponential backoff with jitter, per-call timeout. */
    record RetryBudget(int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration timeout) {

        static RetryBudget fromSettings(Settings settings) {
            return new RetryBudget(settings.integer("SINK_WEBHOOK_MAX_ATTEMPTS", 8),
                    Duration.ofMillis(settings.integer("SINK_WEBHOOK_BACKOFF_MS", 1_000)),
                    Duration.ofMillis(settings.integer("SINK_WEBHOOK_MAX_BACKOFF_MS", 60_000)),
                    Duration.ofMillis(settings.integer("SINK_WEBHOOK_TIMEOUT_MS", 10_000)));
        }

        /** Before attempt {@code n + 1}: first * 2^(n-1), capped, then a random point in its upper half. */
        Duration backoffAfter(int attempt, double random) {
            long exponential = firstBackoff.toMillis() << Math.min(attempt - 1, 30);
            long capped = Math.min(Math.max(exponential, 0), maxBackoff.toMillis());
            return Duration.ofMillis(capped / 2 + (long) (random * (capped / 2.0)));
        }

        /** The longest one alert can take, so the consumer group does not evict a member that is still trying. */
        Duration worstCase() {
            return timeout.plus(maxBackoff).multipliedBy(maxAttempts);
        }
    }
}
