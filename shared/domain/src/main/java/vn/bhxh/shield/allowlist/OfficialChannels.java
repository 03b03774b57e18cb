package vn.bhxh.shield.allowlist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * The official BHXH channels that must never be blocked, from the versioned {@code official-channels.csv} next
 * to this class. The stream-processor seeds {@code bhxh.allowlist.v1} with them at start-up; the alert-sink
 * checks them again before anything reaches a partner. Identifiers are written as people know them and
 * normalised here, so the file stays readable and a typo fails loudly instead of allowlisting nothing. Its
 * {@code inbound_only} numbers also make the Do-Not-Originate list ({@link DoNotOriginate}).
 */
public final class OfficialChannels {

    /** The {@code source} of a seeded entry. */
    public static final String SOURCE = "seed:official-channels.csv";
    private static final String RESOURCE = "official-channels.csv";
    private static final List<AllowlistEntry> ALL = load();

    private OfficialChannels() {
    }

    /** The seed entries, keyed by {@link AllowlistEntry#getIndicator()}; deterministic, so re-seeding is a no-op. */
    public static List<AllowlistEntry> all() {
        return ALL;
    }

    public static boolean isOfficial(Indicator indicator) {
        return ALL.stream().anyMatch(entry -> entry.getIndicator().equals(indicator.key()));
    }

    private static List<AllowlistEntry> load() {
        var in = OfficialChannels.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing from the classpath");
        }
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(reader.lines().toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The lines of the seed file: {@code #} comments and blank lines, then the header naming the columns
     * {@code identifier,name,include_subdomains,added_at} and, optionally, {@code inbound_only} (a file written before
     * it existed reads as no number being inbound-only), then one channel a line.
     */
    static List<AllowlistEntry> parse(List<String> lines) {
        List<String> rows = lines.stream().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        if (rows.isEmpty()) {
            throw new IllegalStateException(RESOURCE + " has no header");
        }
        List<String> header = List.of(rows.get(0).split(",", -1));
        Normaliser normaliser = new Normaliser();
        return rows.stream().skip(1).map(row -> parse(normaliser, header, row.split(",", -1))).toList();
    }

    private static AllowlistEntry parse(Normaliser normaliser, List<String> header, String[] columns) {
        if (columns.length != header.size()) {
            throw new IllegalStateException(RESOURCE + ": '" + String.join(",", columns) + "' has " + columns.length
                    + " columns, the header " + header.size());
        }
        String identifier = column(header, columns, "identifier").orElseThrow(() -> missing("identifier"));
        Normalisation normalised = normaliser.any(identifier);
        if (!(normalised instanceof Normalisation.Accepted accepted)) {
            throw new IllegalStateException(RESOURCE + ": '" + identifier + "' is not an identifier: "
                    + ((Normalisation.Rejected) normalised).messageVi());
        }
        Indicator indicator = accepted.indicator();
        boolean inboundOnly = column(header, columns, "inbound_only").map(value -> strictBoolean(identifier, value))
                .orElse(false);
        // Only a number can be presented as caller id; true elsewhere is a mistake in the file, not a no-op.
        if (inboundOnly && indicator.kind() != IndicatorKind.PHONE) {
            throw new IllegalStateException(RESOURCE + ": '" + identifier + "' is no phone number, it cannot be "
                    + "inbound-only");
        }
        return AllowlistEntry.newBuilder()
                .setIndicator(indicator.key())
                .setKind(indicator.kind())
                .setName(column(header, columns, "name").orElseThrow(() -> missing("name")))
                .setIncludeSubdomains(Boolean.parseBoolean(column(header, columns, "include_subdomains")
                        .orElseThrow(() -> missing("include_subdomains"))))
                .setSource(SOURCE)
                .setAddedAt(Instant.parse(column(header, columns, "added_at").orElseThrow(() -> missing("added_at"))))
                .setInboundOnly(inboundOnly)
                .build();
    }

    private static Optional<String> column(List<String> header, String[] columns, String name) {
        int index = header.indexOf(name);
        return index < 0 ? Optional.empty() : Optional.of(columns[index].strip());
    }

    /** What puts a number on telecoms' Do-Not-Originate list must say true or false, never something in between. */
    private static boolean strictBoolean(String identifier, String value) {
        return switch (value) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalStateException(RESOURCE + ": inbound_only of '" + identifier
                    + "' must be true or false, not '" + value + "'");
        };
    }

    private static IllegalStateException missing(String column) {
        return new IllegalStateException(RESOURCE + " has no column " + column);
    }
}
