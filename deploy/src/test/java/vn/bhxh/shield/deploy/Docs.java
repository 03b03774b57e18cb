package vn.bhxh.shield.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The project's Markdown documents as tests read them: the README's commands, the table of a docs page. */
final class Docs {

    private static final String FENCE = "```";

    private Docs() {
    }

    /** A document by its path from the project root (tests run in their module's directory). */
    static String read(String pathFromRoot) {
        try {
            return Files.readString(Path.of("..").resolve(pathFromRoot));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line inside a fenced code block, as written. */
    static List<String> fencedCodeLines(String markdown) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : markdown.lines().toList()) {
            if (line.startsWith(FENCE)) {
                inside = !inside;
            } else if (inside) {
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * The lines of the first table after the heading named {@code heading} (any level), header and separator row
     * included; empty when there is no such heading or it has no table before the next heading.
     */
    static List<String> tableUnder(String markdown, String heading) {
        List<String> table = new ArrayList<>();
        boolean underHeading = false;
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("#")) {
                if (underHeading) {
                    break;
                }
                underHeading = line.replaceFirst("^#+", "").strip().equals(heading);
            } else if (underHeading && line.startsWith("|")) {
                table.add(line);
            } else if (!table.isEmpty()) {
                break;
            }
        }
        return table;
    }
}
