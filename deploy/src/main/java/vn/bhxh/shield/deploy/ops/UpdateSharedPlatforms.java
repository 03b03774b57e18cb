package vn.bhxh.shield.deploy.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import vn.bhxh.shield.indicator.SharedPlatformList;
import vn.bhxh.shield.runtime.JsonMappers;

/**
 * Re-downloads the MISP warninglists the shared platform list is seeded from and rewrites the generated section
 * of {@code shared-platforms.csv}, keeping its header and hand-added section as they are. Run by a person, never
 * by the build (docs/shared-platforms.md):
 * {@code mvn -q -DskipTests -Pops package -pl deploy -am -Dops.main=vn.bhxh.shield.deploy.ops.UpdateSharedPlatforms
 * -Dops.args="<path of shared-platforms.csv> [<commit of MISP/misp-warninglists, default: the newest on main>]
 * [<base URL of a copy of the repository, default: raw.githubusercontent.com at that commit>]"}.
 */
public final class UpdateSharedPlatforms {

    static final String REPOSITORY = "https://github.com/MISP/misp-warninglists";
    /**
     * The lists taken and the category their domains get. A domain in several lists takes the first one's
     * category: a shortener is a shortener before it is a Google domain, and a dynamic DNS domain keeps the
     * category that makes the root of a user's subdomain an indicator (SharedHosts).
     */
    static final Map<String, String> LISTS = lists();
    private static final ObjectMapper JSON = JsonMappers.create();

    private UpdateSharedPlatforms() {
    }

    private static Map<String, String> lists() {
        Map<String, String> lists = new LinkedHashMap<>();
        lists.put("url-shortener", "shortener");
        lists.put("link-in-bio", "link-in-bio");
        lists.put("google", "google");
        lists.put("microsoft", "microsoft");
        lists.put("dynamic-dns", "dynamic-dns");
        lists.put("lots-project", "trusted-site");
        return Collections.unmodifiableMap(lists);
    }

    /** One downloaded warninglist: its name, its version and its values. */
    record Warninglist(String name, String version, List<String> values) {

        static Warninglist fromJson(String name, JsonNode list) {
            List<String> values = StreamSupport.stream(list.path("list").spliterator(), false)
                    .map(JsonNode::asText)
                    .toList();
            if (values.isEmpty()) {
                throw new IllegalArgumentException("warninglist " + name + " has no values");
            }
            return new Warninglist(name, list.path("version").asText("?"), values);
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: UpdateSharedPlatforms <shared-platforms.csv> [<commit>] [<base URL>]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        String commit = args.length > 1 ? args[1] : newestCommit(http);
        String given = args.length > 2 ? args[2]
                : "https://raw.githubusercontent.com/MISP/misp-warninglists/" + commit;
        // Without the slash, resolving lists/... would replace the base's last segment.
        URI base = URI.create(given.endsWith("/") ? given : given + "/");
        List<Warninglist> lists = new ArrayList<>();
        for (String name : LISTS.keySet()) {
            try (InputStream in = base.resolve("lists/" + name + "/list.json").toURL().openStream()) {
                lists.add(Warninglist.fromJson(name, JSON.readTree(in)));
            }
        }
        List<String> current = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> rewritten = rewrite(current, lists, commit, LocalDate.now(ZoneOffset.UTC));
        // Refuse to write what the services would refuse to read.
        SharedPlatformList written = SharedPlatformList.parse(rewritten);
        Files.write(file, rewritten, StandardCharsets.UTF_8);
        System.out.printf("%s: %d hand-added, %d from MISP warninglists at %s%n",
                file, written.handAdded().size(), written.generated().size(), commit);
    }

    /** The newest commit on MISP/misp-warninglists' main branch, so the file records exactly what it came from. */
    private static String newestCommit(HttpClient http) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("https://api.github.com/repos/MISP/misp-warninglists/commits/main"))
                .header("Accept", "application/vnd.github.sha")
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().strip().matches("[0-9a-f]{40}")) {
            throw new IOException("cannot resolve the newest commit of " + REPOSITORY + ": HTTP "
                    + response.statusCode() + " " + response.body());
        }
        return response.body().strip();
    }

    /**
     * The file's lines with everything from {@link SharedPlatformList#GENERATED_MARKER} on replaced by the
     * lists' registrable domains, sorted, each once, without those already hand-added. Values that are not a
     * domain under a known suffix are skipped; a host ({@code api.telegram.org}) stands for its registrable
     * domain, since that is what the normaliser would otherwise list whole.
     */
    static List<String> rewrite(List<String> current, List<Warninglist> lists, String commit, LocalDate taken) {
        int marker = current.indexOf(SharedPlatformList.GENERATED_MARKER);
        List<String> kept = marker < 0 ? current : current.subList(0, marker);
        Set<String> handAdded = SharedPlatformList.parse(kept).domains();
        Map<String, String> categories = new TreeMap<>();
        for (Warninglist list : lists) {
            String category = LISTS.get(list.name());
            for (String value : list.values()) {
                SharedPlatformList.registrableDomain(value.strip().replaceFirst("^\\.", "").toLowerCase(Locale.ROOT))
                        .filter(domain -> !handAdded.contains(domain))
                        .ifPresent(domain -> categories.putIfAbsent(domain, category));
            }
        }
        List<String> lines = new ArrayList<>(kept);
        lines.add(SharedPlatformList.GENERATED_MARKER);
        lines.add("# Rewritten by vn.bhxh.shield.deploy.ops.UpdateSharedPlatforms: do not edit by hand.");
        lines.add("# Source: " + REPOSITORY + " at commit " + commit + ", taken " + taken
                + "; licence CC0 1.0 Universal (public domain dedication).");
        for (Warninglist list : lists) {
            lines.add("# List " + list.name() + " version " + list.version() + " -> category "
                    + LISTS.get(list.name()));
        }
        categories.forEach((domain, category) -> lines.add(domain + "," + category));
        return lines;
    }
}
