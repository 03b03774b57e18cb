package vn.bhxh.shield.deploy.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/**
 * The operator's tools as one command, {@code bhxh-ops <subcommand>}, each with {@code --help} in Vietnamese and
 * English (docs/runbook.md "The operator's tools"). Run from the repository as
 * {@code mvn -q -DskipTests -Pops package -Dops.args="decide --help"}. Exit status: 0 done, 1 failed (nothing or
 * not everything written), 2 the command line was wrong.
 */
// INHERIT: every subcommand gets --help and --version too.
@Command(name = "bhxh-ops", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        version = "bhxh-ops (BHXH Shield 0.1.0)",
        description = {"Công cụ vận hành BHXH Shield / BHXH Shield's operator tools.",
            "Mỗi lệnh có --help / every subcommand has --help."},
        subcommands = {Decide.class, ReadDeadLetters.class, ResendDeadLetters.class, ReindexReports.Cli.class,
            HashPassword.class,
            HelpCommand.class})
public final class BhxhOps {

    private BhxhOps() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BhxhOps());
    }
}
