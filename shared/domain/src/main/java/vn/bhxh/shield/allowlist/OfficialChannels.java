package vn.bhxh.shield.allowlist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.AllowlistEntry;

/**
 * The official BHXH channels that must never be blocked, from the versioned {@code official-channels.csv} next
 * to this class. The stream-processor seeds {@code bhxh.allowlist.v1} with them at start-up; the alert-sink
 * checks them again before anything reaches a partner. Identifiers are written as people know them and
 * normalised here, so the file stays readable and a typo fails loudly instead of allowlisting nothing.
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
        Normaliser normaliser = new Normaliser();
        try (var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().skip(1).filter(line -> !line.isBlank())
                    .map(line -> parse(normaliser, line)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** identifier,name,include_subdomains,added_at */
    private static AllowlistEntry parse(Normaliser normaliser, String line) {
        String[] columns = line.split(",", -1);
        Normalisation normalised = normaliser.any(columns[0]);
        if (!(normalised instanceof Normalisation.Accepted accepted)) {
            throw new IllegalStateException(RESOURCE + ": '" + columns[0] + "' is not an identifier: "
                    + ((Normalisation.Rejected) normalised).messageVi());
        }
        return AllowlistEntry.newBuilder()
                .setIndicator(accepted.indicator().key())
                .setKind(accepted.indicator().kind())
                .setName(columns[1])
                .setIncludeSubdomains(Boolean.parseBoolean(columns[2]))
                .setSource(SOURCE)
                .setAddedAt(Instant.parse(columns[3]))
                .build();
    }
}
