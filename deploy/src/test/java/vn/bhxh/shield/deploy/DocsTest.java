package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;

/** The README stays a five-minute read and keeps the two commands people and CI copy from it. */
class DocsTest {

    static final String RUN_COMMAND = "mvn -DskipTests -Plocal-stack package";
    static final String TEST_COMMAND = "mvn -B verify";

    private final String readme = Docs.read("README.md");

    @Test
    void theReadmeIsAtMost150Lines() {
        assertThat(readme.lines().count()).isLessThanOrEqualTo(150);
    }

    @Test
    void theReadmeShowsTheRunAndTestCommandsVerbatimAsCode() {
        assertThat(Docs.fencedCodeLines(readme)).contains(RUN_COMMAND, TEST_COMMAND);
    }

    @Test
    void continuousIntegrationRunsTheReadmesTestCommand() {
        assertThat(Docs.read(".ci/run").lines().map(String::strip)).contains(TEST_COMMAND);
    }

    @Test
    void theReadmeNamesTheDevelopmentLoginsTheLauncherPrints() {
        String banner = LocalStack.banner(LocalStackConfig.from(Settings.of(Map.of())), 15, 1200, 5);
        for (String login : List.of("dev-operator-token", "thanhhoa-dev", "hanoi-dev", "quocgia-dev",
                "dev-police-token", "viettel-dev-key", "http://localhost:8080/", "http://localhost:8082/",
                "http://localhost:8082/khieu-nai", "http://localhost:8082/kiem-tra")) {
            assertThat(readme).as("README").contains(login);
            assertThat(banner).as("launcher banner").contains(login);
        }
    }

    @Test
    void theAccessMatrixIsATableOfEveryRoleUnderItsHeading() {
        List<String> table = Docs.tableUnder(Docs.read("docs/security.md"), "Access matrix");
        assertThat(table).hasSizeGreaterThan(2);
        assertThat(cells(table.get(0))).containsExactly("request", "none", "operator", "fanpage", "police",
                "province A", "province B", "national", "partner");
        assertThat(table.subList(2, table.size())).allSatisfy(row -> assertThat(cells(row)).hasSize(9));
    }

    @Test
    void aTableEndsAtTheNextHeadingOrProse() {
        String markdown = "# A\n| x |\n## Access matrix\ntext\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nafter\n| y |\n";
        assertThat(Docs.tableUnder(markdown, "Access matrix")).containsExactly("| a | b |", "|---|---|", "| 1 | 2 |");
        assertThat(Docs.tableUnder("## Access matrix\nno table\n## Next\n| z |\n", "Access matrix")).isEmpty();
    }

    private static List<String> cells(String row) {
        return Arrays.stream(row.split("\\|")).skip(1).map(String::strip).toList();
    }
}
