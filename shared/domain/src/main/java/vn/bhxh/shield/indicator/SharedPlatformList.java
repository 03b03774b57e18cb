package vn.bhxh.shield.indicator;

import com.google.common.net.InternetDomainName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The data file {@code shared-platforms.csv} (next to this class): registrable domains whose pages are listed one
 * by one, each with its category. Lines are {@code domain,category}; {@code #} starts a comment. The lines before
 * {@link #GENERATED_MARKER} are kept by hand; the ones after it are rewritten from MISP's warninglists by the
 * {@code UpdateSharedPlatforms} ops tool (see docs/shared-platforms.md).
 */
public final class SharedPlatformList {

    public static final String RESOURCE = "shared-platforms.csv";
    /** The comment line that starts the section the updater rewrites. */
    public static final String GENERATED_MARKER = "# == generated from MISP warninglists";
    private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z-]*");

    /** One platform: its registrable domain (lower-case ASCII) and what kind of platform it is. */
    public record Entry(String domain, String category) {
    }

    private final List<Entry> handAdded;
    private final List<Entry> generated;

    private SharedPlatformList(List<Entry> handAdded, List<Entry> generated) {
        this.handAdded = List.copyOf(handAdded);
        this.generated = List.copyOf(generated);
    }

    /** The file shipped with this class; fails if it is missing or malformed. */
    public static SharedPlatformList load() {
        return load(RESOURCE);
    }

    static SharedPlatformList load(String resource) {
        try (InputStream in = SharedPlatformList.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("shared platform list " + resource + " is missing from the classpath"
                        + " (expected next to " + SharedPlatformList.class.getName() + ")");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read shared platform list " + resource, unreadable);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalStateException("shared platform list " + resource + " is malformed: "
                    + malformed.getMessage(), malformed);
        }
    }

    /**
     * Reads the lines of the file.
     *
     * @throws IllegalArgumentException naming the first bad line: not {@code domain,category}, a domain that is
     *                                  not a registrable domain in lower case, or a domain listed twice
     */
    public static SharedPlatformList parse(List<String> lines) {
        List<Entry> handAdded = new ArrayList<>();
        List<Entry> generated = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Entry> section = handAdded;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals(GENERATED_MARKER)) {
                section = generated;
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                Entry entry = entry(line, i + 1);
                if (!seen.add(entry.domain())) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": " + entry.domain() + " is listed twice");
                }
                section.add(entry);
            }
        }
        return new SharedPlatformList(handAdded, generated);
    }

    private static Entry entry(String line, int number) {
        String[] fields = line.split(",", -1);
        if (fields.length != 2) {
            throw new IllegalArgumentException("line " + number + ": expected domain,category but got '" + line + "'");
        }
        String domain = fields[0].strip();
        String category = fields[1].strip();
        if (registrableDomain(domain).filter(domain::equals).isEmpty()) {
            throw new IllegalArgumentException("line " + number + ": '" + domain
                    + "' is not a registrable domain in lower-case ASCII");
        }
        if (!CATEGORY.matcher(category).matches()) {
            throw new IllegalArgumentException("line " + number + ": category '" + category
                    + "' must be lower-case words joined by '-'");
        }
        return new Entry(domain, category);
    }

    /**
     * The registrable domain (the name just under the ICANN registry suffix) a host belongs to, in lower case,
     * or empty if the host is not a valid domain name under a known suffix.
     */
    public static Optional<String> registrableDomain(String host) {
        if (!InternetDomainName.isValid(host)) {
            return Optional.empty();
        }
        InternetDomainName name = InternetDomainName.from(host);
        return name.isUnderRegistrySuffix()
                ? Optional.of(name.topDomainUnderRegistrySuffix().toString())
                : Optional.empty();
    }

    /** The section kept by hand, in file order. */
    public List<Entry> handAdded() {
        return handAdded;
    }

    /** The section generated from MISP's warninglists, in file order. */
    public List<Entry> generated() {
        return generated;
    }

    /** Every entry, hand-added first. */
    public List<Entry> entries() {
        return Stream.concat(handAdded.stream(), generated.stream()).toList();
    }

    /** Every listed domain. */
    public Set<String> domains() {
        return Set.copyOf(entries().stream().map(Entry::domain).toList());
    }
}
