package vn.bhxh.shield.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.deploy.ops.UpdateSharedPlatforms.Warninglist;
import vn.bhxh.shield.indicator.SharedPlatformList;
import vn.bhxh.shield.indicator.SharedPlatformList.Entry;

class UpdateSharedPlatformsTest {

    private static final List<String> HAND_ADDED = List.of(
            "# header kept as it is",
            "bit.ly,shortener",
            "zalo.me,messaging");
    private static final List<Warninglist> LISTS = List.of(
            new Warninglist("url-shortener", "27", List.of("tinyurl.com", "bit.ly", "2no.co")),
            new Warninglist("google", "7", List.of(".google.com.vn", "www.google.co.uk", "tinyurl.com", "gogle.com")),
            new Warninglist("lots-project", "20241104", List.of("api.telegram.org", ".blogspot.com", "not a host",
                    "iespdytst", "com.vn")));

    @Test
    void rewritesTheGeneratedSectionAndKeepsTheHandAddedOne() {
        List<String> lines = UpdateSharedPlatforms.rewrite(HAND_ADDED, LISTS, "84f0610", LocalDate.of(2026, 12, 5));

        assertThat(lines).startsWith(HAND_ADDED.toArray(String[]::new))
                .contains(SharedPlatformList.GENERATED_MARKER,
                        "# Source: https://github.com/MISP/misp-warninglists at commit 84f0610, taken 2026-12-05;"
                                + " licence CC0 1.0 Universal (public domain dedication).",
                        "# List google version 7 -> category google");
        SharedPlatformList written = SharedPlatformList.parse(lines);
        assertThat(written.handAdded()).containsExactly(
                new Entry("bit.ly", "shortener"), new Entry("zalo.me", "messaging"));
        // Hosts become their registrable domain, sorted, each once with the first list's category; what is
        // hand-added or not a domain under a known suffix is left out.
        assertThat(written.generated()).containsExactly(
                new Entry("2no.co", "shortener"),
                new Entry("blogspot.com", "trusted-site"),
                new Entry("gogle.com", "google"),
                new Entry("google.co.uk", "google"),
                new Entry("google.com.vn", "google"),
                new Entry("telegram.org", "trusted-site"),
                new Entry("tinyurl.com", "shortener"));
    }

    @Test
    void rewritingAgainReplacesTheOldGeneratedSection() {
        List<String> first = UpdateSharedPlatforms.rewrite(HAND_ADDED, LISTS, "84f0610", LocalDate.of(2026, 12, 5));
        List<Warninglist> newer = List.of(new Warninglist("url-shortener", "28", List.of("is.gd")));

        List<String> second = UpdateSharedPlatforms.rewrite(first, newer, "abcdef0", LocalDate.of(2027, 1, 1));

        assertThat(second).containsOnlyOnce(SharedPlatformList.GENERATED_MARKER).doesNotContain("2no.co,shortener")
                .noneMatch(line -> line.contains("84f0610"));
        assertThat(SharedPlatformList.parse(second).generated()).containsExactly(new Entry("is.gd", "shortener"));
    }

    @Test
    void theShippedFileWasGeneratedFromTheListsTheUpdaterTakes() throws Exception {
        // Changing the updater's lists without re-running it would leave the file describing other lists.
        List<String> shipped;
        try (var in = SharedPlatformList.class.getResourceAsStream(SharedPlatformList.RESOURCE)) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        UpdateSharedPlatforms.LISTS.forEach((name, category) -> assertThat(shipped)
                .anyMatch(line -> line.matches("# List " + name + " version \\S+ -> category " + category)));
        assertThat(SharedPlatformList.parse(shipped).generated()).extracting(Entry::category)
                .isSubsetOf(UpdateSharedPlatforms.LISTS.values());
    }
}
