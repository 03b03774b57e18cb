package vn.bhxh.shield.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.SessionCookies.Claims;

class SessionCookiesTest {

    private static final byte[] KEY = "a-session-key-of-32-characters!!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    private static final Duration LENGTH = Duration.ofHours(8);

    private static SessionCookies at(Instant instant) {
        return new SessionCookies(KEY, "test-session-v1", LENGTH, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void anotherInstanceWithTheSameKeyAcceptsTheCookieAndItsCsrfToken() {
        String cookie = at(NOW).issue("thanhhoa1", "thanh-hoa", "credential-1");
        SessionCookies replica = at(NOW.plusSeconds(60));

        assertThat(replica.verify(cookie, name -> Optional.of("credential-1")))
                .contains(new Claims("thanhhoa1", "thanh-hoa"));
        assertThat(replica.csrfValid(cookie, at(NOW).csrfToken(cookie))).isTrue();
        assertThat(replica.csrfValid(cookie, at(NOW).csrfToken(at(NOW).issue("hanoi1", "ha-noi", "c")))).isFalse();
        assertThat(replica.csrfValid(cookie, null)).isFalse();
    }

    @Test
    void aChangedCredentialAnUnknownUserAnExpiredOrAlteredCookieAreRefused() {
        String cookie = at(NOW).issue("thanhhoa1", "thanh-hoa", "credential-1");

        assertThat(at(NOW).verify(cookie, name -> Optional.of("credential-2"))).as("credential changed").isEmpty();
        assertThat(at(NOW).verify(cookie, name -> Optional.empty())).as("user removed").isEmpty();
        assertThat(at(NOW.plus(LENGTH).plusSeconds(1)).verify(cookie, name -> Optional.of("credential-1")))
                .as("expired").isEmpty();
        assertThat(at(NOW).verify(cookie.replace(".thanh-hoa.", ".national."), name -> Optional.of("credential-1")))
                .as("scope altered").isEmpty();
        assertThat(new SessionCookies("another-key-of-some-length".getBytes(StandardCharsets.UTF_8),
                "test-session-v1", LENGTH, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(cookie, name -> Optional.of("credential-1"))).as("another key").isEmpty();
        assertThat(at(NOW).verify("garbage", name -> Optional.of("credential-1"))).isEmpty();
        assertThat(at(NOW).verify("a.b.c.d.e", name -> Optional.of("credential-1"))).isEmpty();
        assertThat(at(NOW).verify(null, name -> Optional.of("credential-1"))).isEmpty();
    }
}
