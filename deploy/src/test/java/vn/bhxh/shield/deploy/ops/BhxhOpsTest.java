package vn.bhxh.shield.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import vn.bhxh.shield.runtime.PasswordHashes;

/** {@code bhxh-ops}: its subcommands, their help and how a wrong command line is answered, without a broker. */
class BhxhOpsTest {

    /** Exit status, standard output and standard error of one run. */
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = BhxhOps.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int status = command.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void listsItsToolsAndGivesEachOneHelpInVietnameseAndEnglish() {
        Run top = run("--help");
        assertThat(top.status()).isZero();
        assertThat(top.out()).contains("bhxh-ops", "decide", "read-dead-letters", "resend-dead-letters",
                "hash-password");
        assertThat(run("decide", "--help").out()).contains("Ghi quyết định", "Writes an officer's decision",
                "--province", "<indicator>", "<actor>", "<reason>");
        assertThat(run("read-dead-letters", "--help").out()).contains("In các thư chết", "Prints the dead letters",
                "default P30D");
        assertThat(run("resend-dead-letters", "--help").out()).contains("Gửi lại", "Re-sends", "--since", "--until",
                "--province", "--endpoint", "--dry-run");
        assertThat(run("hash-password", "--help").out()).contains("mã băm BCrypt", "never from an argument");
        assertThat(run("help", "decide").out()).contains("Writes an officer's decision");
        assertThat(run("decide", "--version").out()).contains("bhxh-ops (BHXH Shield");
    }

    @Test
    void aWrongCommandLineIsRefusedWithItsReasonAndStatusTwo() {
        Run none = run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("Missing required subcommand");
        assertThat(run("purge").status()).isEqualTo(2);
        Run missing = run("decide", "DELIST", "0904038115");
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required parameters", "<actor>", "<reason>");
        Run notAnIndicator = run("decide", "DELIST", "12345", "nguyen.van.a", "KN-1");
        assertThat(notAnIndicator.status()).as("refused before connecting to anything").isEqualTo(2);
        assertThat(notAnIndicator.err()).contains("'12345' is not an indicator");
        assertThat(run("decide", "--province", "binh-duong", "CONFIRM", "0904038115", "a", "b").err())
                .contains("'binh-duong' is not a province slug");
        assertThat(run("resend-dead-letters", "--since", "yesterday").err())
                .contains("'yesterday' is neither an ISO-8601 duration");
        assertThat(run("read-dead-letters", "yesterday").status()).isEqualTo(2);
    }

    @Test
    void hashPasswordReadsTheFirstLineOfStandardInputAndPrintsOnlyItsHash() {
        Run hashed = withStandardInput("quocgia-mới-2026\nignored\n", () -> run("hash-password"));
        assertThat(hashed.status()).isZero();
        String hash = hashed.out().strip();
        assertThat(PasswordHashes.isHash(hash)).isTrue();
        assertThat(PasswordHashes.matches(hash, "quocgia-mới-2026")).isTrue();
        assertThat(hashed.out() + hashed.err()).doesNotContain("quocgia-mới-2026");
        assertThat(hashed.err()).contains("standard input");

        Run empty = withStandardInput("", () -> run("hash-password"));
        assertThat(empty.status()).isEqualTo(2);
        assertThat(empty.err()).contains("the password is empty");
        assertThat(run("hash-password", "quocgia-dev").status()).as("never from an argument").isEqualTo(2);
    }

    private static Run withStandardInput(String text, Supplier<Run> body) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return body.get();
        } finally {
            System.setIn(original);
        }
    }
}
