package vn.bhxh.shield.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResendDeadLettersTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    @Test
    void selectsTheLastThirtyDaysOfEveryEndpointByDefault() {
        assertThat(ResendDeadLetters.Selection.parse(List.of("--dry-run"), NOW)).isEqualTo(
                new ResendDeadLetters.Selection(NOW.minus(Duration.ofDays(30)), Optional.empty(), Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void takesAWindowAsDurationsOrInstantsAndAProvinceAndEndpoint() {
        assertThat(ResendDeadLetters.Selection.parse(List.of("--since", "PT48H", "--until", "2026-12-05T07:00:00Z",
                "--province", "thanh-hoa", "--endpoint", "https://hooks.example/a"), NOW)).isEqualTo(
                new ResendDeadLetters.Selection(NOW.minus(Duration.ofHours(48)),
                        Optional.of(Instant.parse("2026-12-05T07:00:00Z")), Optional.of("thanh-hoa"),
                        Optional.of("https://hooks.example/a")));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> ResendDeadLetters.Selection.parse(List.of("--since", "yesterday"), NOW))
                .hasMessageContaining("'yesterday' is neither an ISO-8601 duration");
        assertThatThrownBy(() -> ResendDeadLetters.Selection.parse(List.of("--topic", "x"), NOW))
                .hasMessageStartingWith("usage: ResendDeadLetters");
        assertThatThrownBy(() -> ResendDeadLetters.Selection.parse(List.of("--province"), NOW))
                .hasMessageStartingWith("usage: ResendDeadLetters");
    }
}
