package vn.bhxh.shield.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs axe-core (vendored from npm as {@code testkit/axe.min.js}) in the page a browser test has open and fails
 * on any violation of impact serious or critical, listing each rule with the elements it found.
 *
 * <p>The page is reached through {@link AsyncScript}, a method reference to the test's own WebDriver
 * ({@code driver::executeAsyncScript}), so this kit needs no Selenium dependency of its own.
 */
public final class AxeCheck {

    /** What a browser test's driver offers: Selenium's {@code JavascriptExecutor::executeAsyncScript}. */
    @FunctionalInterface
    public interface AsyncScript {
        Object run(String script, Object... args);
    }

    private static final Set<String> FAILING_IMPACTS = Set.of("serious", "critical");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AXE_SOURCE = read("/testkit/axe.min.js");

    // The axe source is evaluated only when the page does not have it yet (a reload drops it); the result is
    // returned as JSON text because WebDriver's conversion of nested objects differs between drivers.
    private static final String RUN = """
            const done = arguments[arguments.length - 1];
            if (!window.axe) { (0, eval)(arguments[0]); }
            window.axe.run(document, { resultTypes: ['violations'] })
                .then(r => done(JSON.stringify(r.violations)))
                .catch(e => done(JSON.stringify({ error: String(e) })));
            """;

    private AxeCheck() {
    }

    /** Fails with the serious and critical violations axe finds in the page as it is now; {@code page} names it. */
    public static void assertClean(AsyncScript browser, String page) {
        List<String> found = violations(browser);
        if (!found.isEmpty()) {
            throw new AssertionError("axe-core: " + found.size() + " serious or critical violation(s) on " + page
                    + ":\n" + String.join("\n", found));
        }
    }

    /** The serious and critical violations, one line per rule: id, impact, help, and the offending elements. */
    public static List<String> violations(AsyncScript browser) {
        Object result = browser.run(RUN, AXE_SOURCE);
        JsonNode violations;
        try {
            violations = JSON.readTree(String.valueOf(result));
        } catch (IOException e) {
            throw new AssertionError("axe-core returned something that is not JSON: " + result, e);
        }
        if (violations.has("error")) {
            throw new AssertionError("axe-core could not run: " + violations.get("error").asText());
        }
        List<String> serious = new ArrayList<>();
        for (JsonNode violation : violations) {
            String impact = violation.path("impact").asText();
            if (!FAILING_IMPACTS.contains(impact)) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            for (JsonNode node : violation.path("nodes")) {
                targets.add(node.path("target").toString() + " " + node.path("failureSummary").asText()
                        .replace('\n', ' '));
            }
            serious.add("- " + violation.path("id").asText() + " (" + impact + "): "
                    + violation.path("help").asText() + "\n    " + String.join("\n    ", targets));
        }
        return serious;
    }

    private static String read(String resource) {
        try (InputStream in = AxeCheck.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the test kit's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
