package vn.bhxh.shield.sink;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.topic.Topics;

/**
 * One provincial office's webhook endpoint: the alert topic it follows ({@code national} for the national one),
 * where to POST, and the HMAC key of its province, which its receiver verifies the Standard Webhooks signature
 * with (https://www.standardwebhooks.com/).
 */
record Webhook(String province, String alertTopic, URI url, byte[] key) {

    static final String NATIONAL = "national";
    /** A secret given in the Standard Webhooks form is the base64 of the key after this prefix. */
    static final String STANDARD_SECRET_PREFIX = "whsec_";
    static final String GLOBAL_SECRET = "SINK_WEBHOOK_SECRET";
    private static final int MIN_KEY_BYTES = 16;

    /** Where it is shown in metrics and logs: no user info nor query string, which might carry credentials. */
    String endpoint() {
        String port = url.getPort() == -1 ? "" : ":" + url.getPort();
        return url.getScheme() + "://" + url.getHost() + port + url.getPath();
    }

    /**
     * The endpoint's stable name: its province and a hash of its whole URL. It names the consumer group, marks its
     * dead letters and re-sends, and goes into every delivery id, so it must not change while the URL does not.
     */
    String id() {
        return province + "-" + hash(url.toString(), 12);
    }

    /**
     * Standard Webhooks' {@code webhook-id}: the same for every attempt and every re-send of one alert to this
     * endpoint, so a receiver drops what it already has; another endpoint gets another id for the same alert.
     */
    String deliveryId(String alertId) {
        return "msg_" + hash(id() + "/" + alertId, 32);
    }

    /** {@code webhook-signature}: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}. */
    String signature(String deliveryId, long timestampSeconds, byte[] body) {
        byte[] signed = (deliveryId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
        return "v1," + Base64.getEncoder().encodeToString(hmac(signed, body));
    }

    /**
     * The pre-Standard-Webhooks {@code X-BHXH-Signature-256} ({@code sha256=<hex HMAC-SHA256 of the body>}), sent
     * for one more release so receivers can move over; it has no timestamp, so a captured call replays forever.
     */
    String legacySignature(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(new byte[0], body));
    }

    private byte[] hmac(byte[] prefix, byte[] body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update(prefix);
            return hmac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /**
     * {@code SINK_WEBHOOKS=thanh-hoa=http://a;ha-noi=http://b,http://c}; each province signs with its own
     * {@code SINK_WEBHOOK_SECRET_<SLUG>} (e.g. {@code SINK_WEBHOOK_SECRET_THANH_HOA}, {@code _NATIONAL}), so one
     * leaked secret lets nobody forge another province's alerts. A webhook without its secret, two provinces with
     * the same one, and the old global {@code SINK_WEBHOOK_SECRET} are refused at start-up.
     */
    static List<Webhook> fromSettings(Settings settings) {
        if (settings.find(GLOBAL_SECRET).isPresent()) {
            throw new IllegalStateException(GLOBAL_SECRET + " is no longer used: each province with webhooks signs"
                    + " with its own " + GLOBAL_SECRET + "_<SLUG> (e.g. " + secretName("thanh-hoa") + ", "
                    + secretName(NATIONAL) + "); remove " + GLOBAL_SECRET);
        }
        List<Webhook> webhooks = new ArrayList<>();
        Map<String, String> provinceBySecret = new HashMap<>();
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
            String secretName = secretName(slug);
            String secret = settings.find(secretName).orElseThrow(() -> new IllegalStateException(where
                    + ": no " + secretName + " (each province with webhooks signs with its own secret)"));
            String sharing = provinceBySecret.putIfAbsent(secret, slug);
            if (sharing != null && !sharing.equals(slug)) {
                throw new IllegalStateException(secretName + " is the same as " + secretName(sharing)
                        + ": each province needs its own secret");
            }
            byte[] key = key(secretName, secret);
            String[] urls = slugAndUrls[1].split(",");
            for (int u = 0; u < urls.length; u++) {
                String which = where + ", URL " + (u + 1);
                URI uri = httpUrl(urls[u].trim())
                        .orElseThrow(() -> new IllegalStateException(which + ": not an http(s) URL"));
                webhooks.add(new Webhook(slug, topic, uri, key));
            }
        }
        return List.copyOf(webhooks);
    }

    static String secretName(String slug) {
        return GLOBAL_SECRET + "_" + slug.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The HMAC key of a secret setting: {@code whsec_<base64>} as Standard Webhooks libraries take it, else the
     * UTF-8 bytes of the text (a receiver's library then takes {@code whsec_} + its base64). Errors name the
     * setting, never the value.
     */
    static byte[] key(String settingName, String secret) {
        byte[] key;
        if (secret.startsWith(STANDARD_SECRET_PREFIX)) {
            try {
                key = Base64.getDecoder().decode(secret.substring(STANDARD_SECRET_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(settingName + ": after " + STANDARD_SECRET_PREFIX
                        + " must come base64");
            }
        } else {
            key = secret.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalStateException(settingName + " must be at least " + MIN_KEY_BYTES + " bytes");
        }
        return key;
    }

    private static Optional<URI> httpUrl(String text) {
        try {
            URI uri = new URI(text);
            return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty(); // its message quotes the text
        }
    }

    private static String hash(String text, int hexChars) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, hexChars);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * How long and how hard to try one alert before dead-lettering it: for {@code budget} (a day by default, so an
     * office's outage overnight loses nothing) with doubling backoff and jitter capped at {@code maxBackoff}, each
     * call limited to {@code timeout}. An answer that says the call will never work is not retried.
     */
    record RetryPolicy(Duration budget, Duration firstBackoff, Duration maxBackoff, Duration timeout) {

        static RetryPolicy fromSettings(Settings settings) {
            String budget = settings.string("SINK_WEBHOOK_RETRY_BUDGET", "PT24H");
            try {
                return new RetryPolicy(Duration.parse(budget),
                        Duration.ofMillis(settings.integer("SINK_WEBHOOK_BACKOFF_MS", 1_000)),
                        Duration.ofMillis(settings.integer("SINK_WEBHOOK_MAX_BACKOFF_MS", 60_000)),
                        Duration.ofMillis(settings.integer("SINK_WEBHOOK_TIMEOUT_MS", 10_000)));
            } catch (DateTimeParseException e) {
                throw new IllegalStateException("SINK_WEBHOOK_RETRY_BUDGET must be an ISO-8601 duration such as"
                        + " PT24H, got '" + budget + "'", e);
            }
        }

        /**
         * Whether an answer may change if asked again: 408 (timeout), 425 (too early), 429 (too many requests) and
         * every 5xx may; any other status that is not 2xx will not (a wrong URL, a refused signature, a body too
         * large; a redirect is not followed because the signature covers this URL): the alert is dead-lettered at
         * once, with the status, for a person to fix the endpoint and re-send it.
         */
        static boolean retryable(int status) {
            return status == 408 || status == 425 || status == 429 || status / 100 == 5;
        }

        /**
         * When to try again after {@code attempts} failed calls, the first at {@code firstAttempt}; empty once the
         * budget is spent. The server's {@code Retry-After} is waited even beyond {@code maxBackoff}, but no wait
         * goes past the end of the budget: the last attempt is made there.
         */
        Optional<Instant> nextAttempt(int attempts, Instant firstAttempt, Instant now, Optional<Duration> retryAfter,
                                      double random) {
            Instant end = firstAttempt.plus(budget);
            if (!now.isBefore(end)) {
                return Optional.empty();
            }
            Instant next = now.plus(retryAfter.orElseGet(() -> backoffAfter(attempts, random)));
            return Optional.of(next.isAfter(end) ? end : next);
        }

        /** Before attempt {@code n + 1}: first * 2^(n-1), capped, then a random point in its upper half. */
        Duration backoffAfter(int attempt, double random) {
            long exponential = firstBackoff.toMillis() << Math.min(attempt - 1, 30);
            long capped = Math.min(Math.max(exponential, 0), maxBackoff.toMillis());
            return Duration.ofMillis(capped / 2 + (long) (random * (capped / 2.0)));
        }

        /**
         * {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110), relative to {@code now}; a date in the
         * past means at once; a value that is neither is ignored (the usual backoff applies).
         */
        static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
            return header.map(String::trim).flatMap(value -> {
                if (value.matches("\\d{1,10}")) {
                    return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
                }
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
                } catch (DateTimeParseException e) {
                    return Optional.empty();
                }
            });
        }
    }
}
