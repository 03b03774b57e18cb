package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookTest {

    @Test
    void endpointAsShownInMetricsAndLogsKeepsNoCredentials() {
        Webhook webhook = new Webhook("thanh-hoa", "bhxh.alerts.thanh-hoa.v1",
                URI.create("https://ops:s3cret@hooks.thanhhoa.example:8443/bhxh/alerts?token=abc#x"),
                "secret".getBytes(StandardCharsets.UTF_8));

        assertThat(webhook.endpoint()).isEqualTo("https://hooks.thanhhoa.example:8443/bhxh/alerts");
    }

    @Test
    void endpointWithoutPortHasNone() {
        Webhook webhook = new Webhook("ha-noi", "bhxh.alerts.ha-noi.v1", URI.create("https://hooks.example/a"),
                "secret".getBytes(StandardCharsets.UTF_8));

        assertThat(webhook.endpoint()).isEqualTo("https://hooks.example/a");
    }
}
