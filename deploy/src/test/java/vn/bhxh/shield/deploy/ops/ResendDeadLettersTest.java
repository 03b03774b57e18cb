package vn.bhxh.shield.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ResendDeadLettersTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    /** What {@code bhxh-ops resend-dead-letters <args>} would select at {@link #NOW}. */
    private static ResendDeadLetters.Selection selection(String... args) {
        ResendDeadLetters command = new ResendDeadLetters();
        new CommandLine(command).parseArgs(args);
        return command.selection(NOW);
    }

    @Test
    void selectsTheLastThirtyDaysOfEveryEndpointByDefault() {
        assertThat(selection("--dry-run")).isEqualTo(
                new ResendDeadLetters.Selection(NOW.minus(Duration.ofDays(30)), Optional.empty(), Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void takesAWindowAsDurationsOrInstantsAndAProvinceAndEndpoint() {
        assertThat(selection("--since", "PT48H", "--until", "2026-12-05T07:00:00Z",
                "--province", "thanh-hoa", "--endpoint", "https://hooks.example/a")).isEqualTo(
                new ResendDeadLetters.Selection(NOW.minus(Duration.ofHours(48)),
                        Optional.of(Instant.parse("2026-12-05T07:00:00Z")), Optional.of("thanh-hoa"),
                        Optional.of("https://hooks.example/a")));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> selection("--since", "yesterday"))
                .hasMessageContaining("'yesterday' is neither an ISO-8601 duration");
        assertThatThrownBy(() -> selection("--topic", "x")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("Unknown options: '--topic'");
        assertThatThrownBy(() -> selection("--province")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("Missing required parameter for option '--province'");
    }
}
