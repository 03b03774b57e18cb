package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookTest {

    private static final Instant FIRST = Instant.parse("2026-12-05T01:00:00Z");
    private static final Webhook.RetryPolicy DAY = new Webhook.RetryPolicy(Duration.ofHours(24),
            Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10));

    private static Webhook webhook(String url) {
        return new Webhook("thanh-hoa", "bhxh.alerts.thanh-hoa.v1", URI.create(url),
                Webhook.key("SINK_WEBHOOK_SECRET_THANH_HOA", "thanh-hoa-webhook-secret"));
    }

    @Test
    void endpointAsShownInMetricsAndLogsKeepsNoCredentials() {
        Webhook webhook = webhook("https://ops:s3cret@hooks.thanhhoa.example:8443/bhxh/alerts?token=abc#x");

        assertThat(webhook.endpoint()).isEqualTo("https://hooks.thanhhoa.example:8443/bhxh/alerts");
    }

    @Test
    void endpointWithoutPortHasNone() {
        assertThat(webhook("https://hooks.example/a").endpoint()).isEqualTo("https://hooks.example/a");
    }

    @Test
    void signsAsTheStandardWebhooksReferenceDoes() {
        // The reference libraries' test vector (standard-webhooks, svix).
        Webhook webhook = new Webhook("ha-noi", "bhxh.alerts.ha-noi.v1", URI.create("https://hooks.example/a"),
                Webhook.key("SINK_WEBHOOK_SECRET_HA_NOI", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));

        assertThat(webhook.signature("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void theDeliveryIdIsStablePerAlertAndEndpoint() {
        Webhook office = webhook("https://hooks.thanhhoa.example/a");
        Webhook backup = webhook("https://backup.thanhhoa.example/a");

        assertThat(office.deliveryId("alert-1")).startsWith("msg_").isEqualTo(office.deliveryId("alert-1"))
                .isNotEqualTo(office.deliveryId("alert-2")).isNotEqualTo(backup.deliveryId("alert-1"));
        assertThat(office.id()).startsWith("thanh-hoa-").isNotEqualTo(backup.id());
    }

    @Test
    void onlyTimeoutsTooEarlyTooManyAndServerErrorsAreRetried() {
        for (int status : new int[] {408, 425, 429, 500, 502, 503, 504}) {
            assertThat(Webhook.RetryPolicy.retryable(status)).as("HTTP %d", status).isTrue();
        }
        for (int status : new int[] {301, 307, 400, 401, 403, 404, 405, 409, 410, 413, 415, 422}) {
            assertThat(Webhook.RetryPolicy.retryable(status)).as("HTTP %d", status).isFalse();
        }
    }

    @Test
    void backoffDoublesWithJitterUpToItsCap() {
        assertThat(DAY.backoffAfter(1, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(DAY.backoffAfter(1, 1.0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(DAY.backoffAfter(3, 1.0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(DAY.backoffAfter(40, 0.5)).isEqualTo(Duration.ofSeconds(45));
        assertThat(DAY.backoffAfter(40, 1.0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void retriesGoOnForTheWholeBudgetAndEndAtIt() {
        Instant twoHoursIn = FIRST.plus(Duration.ofHours(2));
        assertThat(DAY.nextAttempt(120, FIRST, twoHoursIn, Optional.empty(), 1.0))
                .contains(twoHoursIn.plusSeconds(60));
        Instant nearTheEnd = FIRST.plus(Duration.ofHours(24)).minusSeconds(10);
        assertThat(DAY.nextAttempt(1_400, FIRST, nearTheEnd, Optional.empty(), 1.0))
                .as("the last attempt at the end of the budget").contains(FIRST.plus(Duration.ofHours(24)));
        assertThat(DAY.nextAttempt(1_401, FIRST, FIRST.plus(Duration.ofHours(24)), Optional.empty(), 1.0))
                .isEmpty();
    }

    @Test
    void retryAfterIsWaitedBeyondTheBackoffCapButNotBeyondTheBudget() {
        Instant now = FIRST.plusSeconds(5);
        assertThat(DAY.nextAttempt(1, FIRST, now, Optional.of(Duration.ofMinutes(10)), 0.5))
                .contains(now.plus(Duration.ofMinutes(10)));
        assertThat(DAY.nextAttempt(1, FIRST, now, Optional.of(Duration.ofDays(3)), 0.5))
                .contains(FIRST.plus(Duration.ofHours(24)));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-12-05T07:28:00Z");
        assertThat(Webhook.RetryPolicy.retryAfter(Optional.of("2"), now)).contains(Duration.ofSeconds(2));
        assertThat(Webhook.RetryPolicy.retryAfter(Optional.of("Sat, 05 Dec 2026 07:30:00 GMT"), now))
                .contains(Duration.ofMinutes(2));
        assertThat(Webhook.RetryPolicy.retryAfter(Optional.of("Sat, 05 Dec 2026 07:00:00 GMT"), now))
                .as("a date past means now").contains(Duration.ZERO);
        assertThat(Webhook.RetryPolicy.retryAfter(Optional.of("soon"), now)).isEmpty();
        assertThat(Webhook.RetryPolicy.retryAfter(Optional.empty(), now)).isEmpty();
    }
}
