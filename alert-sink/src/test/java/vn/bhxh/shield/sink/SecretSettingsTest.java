package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.testkit.SinkUsers;

/** A malformed secret setting is refused by its position or name: the message never quotes the value, which may be a key. */
class SecretSettingsTest {

    private static final String SECRET = "s3cret-KEY-9f2c";

    @Test
    void partnerKeyWithoutName() {
        assertThatThrownBy(() -> Partners.parse("viettel:viettel-key-1," + SECRET))
                .hasMessageContaining("SINK_PARTNER_KEYS entry 2").hasMessageNotContaining(SECRET)
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void partnerKeyTooShort() {
        assertThatThrownBy(() -> Partners.parse("vnpt:s3cret"))
                .hasMessageContaining("SINK_PARTNER_KEYS entry 1").hasMessageNotContaining("s3cret");
    }

    @Test
    void dashboardUserWithoutProvince() {
        assertThatThrownBy(() -> DashboardUsers.parse("hanoi1:" + SECRET))
                .hasMessageContaining("SINK_USERS entry 1").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> DashboardUsers.parse(SECRET))
                .hasMessageContaining("SINK_USERS entry 1").hasMessageNotContaining("s3cret");
    }

    @Test
    void dashboardPasswordInPlainTextIsRefused() {
        assertThatThrownBy(() -> DashboardUsers.parse(SinkUsers.hashed("thanhhoa1:th-pass-1:thanh-hoa")
                + ",hanoi1:" + SECRET + ":ha-noi"))
                .hasMessageContaining("SINK_USERS entry 2").hasMessageContaining("BCrypt hash")
                .hasMessageContaining("bhxh-ops hash-password").hasMessageNotContaining("s3cret");
    }

    @Test
    void dashboardPasswordIsCheckedAgainstItsHash() {
        DashboardUsers users = DashboardUsers.fromSettings(Settings.of(Map.of(
                "SINK_USERS", SinkUsers.hashed("hanoi1:" + SECRET + ":ha-noi"),
                "SINK_SESSION_KEY", "secret-settings-session-key")), Clock.systemUTC());
        assertThat(users.signIn("hanoi1", SECRET)).isPresent();
        assertThat(users.signIn("hanoi1", SECRET + "x")).isEmpty();
        assertThat(users.signIn("hanoi1", "x".repeat(200))).as("too long to have been hashed").isEmpty();
        assertThat(users.signIn("hanoi1", null)).isEmpty();
        assertThat(users.signIn("thanhhoa1", SECRET)).as("no such user, even with another user's password").isEmpty();
    }

    @Test
    void webhookWithoutProvince() {
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of(
                "SINK_WEBHOOK_SECRET_HA_NOI", "ha-noi-webhook-secret",
                "SINK_WEBHOOKS", "https://hooks.example/a?token=" + SECRET))))
                .hasMessageContaining("SINK_WEBHOOKS entry 1").hasMessageNotContaining("s3cret");
    }

    @Test
    void webhookUrlNotHttpOrMalformed() {
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of(
                "SINK_WEBHOOK_SECRET_HA_NOI", "ha-noi-webhook-secret",
                "SINK_WEBHOOK_SECRET_THANH_HOA", "thanh-hoa-webhook-secret",
                "SINK_WEBHOOKS", "ha-noi=https://a.example;thanh-hoa=https://b.example,ftp://u:" + SECRET + "@x"))))
                .hasMessageContaining("SINK_WEBHOOKS entry 2, URL 2").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of(
                "SINK_WEBHOOK_SECRET_HA_NOI", "ha-noi-webhook-secret",
                "SINK_WEBHOOKS", "ha-noi=https://a.example/ x?token=" + SECRET))))
                .hasMessageContaining("SINK_WEBHOOKS entry 1, URL 1").hasMessageNotContaining("s3cret");
    }

    @Test
    void dashboardUsersNeedASessionKeyOfSixteenCharacters() {
        assertThatThrownBy(() -> DashboardUsers.fromSettings(Settings.of(Map.of("SINK_USERS", SinkUsers.hashed("hanoi1:pw:ha-noi"),
                "SINK_SESSION_KEY", "s3cret-short")), Clock.systemUTC()))
                .hasMessageContaining("SINK_SESSION_KEY").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> DashboardUsers.fromSettings(Settings.of(Map.of("SINK_USERS", SinkUsers.hashed("hanoi1:pw:ha-noi"))),
                Clock.systemUTC())).hasMessageContaining("SINK_SESSION_KEY");
        assertThat(DashboardUsers.fromSettings(Settings.of(Map.of()), Clock.systemUTC()).signIn("hanoi1", "pw"))
                .as("no users, no key needed, nobody signs in").isEmpty();
    }

    @Test
    void webhookSecretsArePerProvinceAndNamedNeverQuoted() {
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of("SINK_WEBHOOK_SECRET", SECRET,
                "SINK_WEBHOOK_SECRET_HA_NOI", "ha-noi-webhook-secret", "SINK_WEBHOOKS", "ha-noi=https://a.example"))))
                .as("the old global secret is refused").hasMessageContaining("SINK_WEBHOOK_SECRET is no longer used")
                .hasMessageContaining("SINK_WEBHOOK_SECRET_<SLUG>").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of("SINK_WEBHOOK_SECRET_HA_NOI", SECRET + "-long",
                "SINK_WEBHOOKS", "ha-noi=https://a.example;national=https://n.example"))))
                .hasMessageContaining("SINK_WEBHOOKS entry 2: no SINK_WEBHOOK_SECRET_NATIONAL")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of("SINK_WEBHOOK_SECRET_HA_NOI", SECRET + "-long",
                "SINK_WEBHOOK_SECRET_HUE", SECRET + "-long", "SINK_WEBHOOKS", "ha-noi=https://a.example;hue=https://b.example"))))
                .hasMessageContaining("SINK_WEBHOOK_SECRET_HUE is the same as SINK_WEBHOOK_SECRET_HA_NOI")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of("SINK_WEBHOOK_SECRET_HA_NOI", "s3cret",
                "SINK_WEBHOOKS", "ha-noi=https://a.example"))))
                .hasMessageContaining("SINK_WEBHOOK_SECRET_HA_NOI must be at least 16 bytes")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Webhook.fromSettings(Settings.of(Map.of("SINK_WEBHOOK_SECRET_HA_NOI",
                "whsec_s3cret!!not-base64", "SINK_WEBHOOKS", "ha-noi=https://a.example"))))
                .hasMessageContaining("SINK_WEBHOOK_SECRET_HA_NOI: after whsec_ must come base64")
                .hasMessageNotContaining("s3cret");
    }
}
