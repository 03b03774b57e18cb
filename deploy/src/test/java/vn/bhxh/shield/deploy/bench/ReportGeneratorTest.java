package vn.bhxh.shield.deploy.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.Channel;

class ReportGeneratorTest {

    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    private static final int REPORTS = 20_000;
    private final Normaliser normaliser = new Normaliser();

    @Test
    void theSameSeedGivesTheSameReports() {
        assertThat(generate(7, 500)).isEqualTo(generate(7, 500)).isNotEqualTo(generate(8, 500));
    }

    @Test
    void everyIdentifierAsWrittenNormalisesToTheKeyItWasMeantFor() {
        List<GeneratedReport> reports = generate(42, REPORTS);
        int malformed = 0;
        for (GeneratedReport report : reports) {
            List<String> keys = new ArrayList<>();
            report.phoneNumbers().forEach(phone -> keys.add(key(normaliser.phone(phone))));
            report.urls().forEach(url -> keys.add(key(normaliser.link(url))));
            if (report.malformed()) {
                malformed++;
                assertThat(keys).as("malformed %s", report).containsOnlyNulls();
            } else {
                assertThat(keys).as("%s", report).containsExactlyElementsOf(report.intendedKeys());
            }
            assertThat(Provinces.lookup(report.province())).as(report.province()).isPresent();
        }
        assertThat(malformed).isBetween(REPORTS / 100, REPORTS * 4 / 100);
    }

    @Test
    void coversEveryProvinceChannelOfficialChannelAndLateEvents() {
        List<GeneratedReport> reports = generate(42, REPORTS);
        Set<String> provinces = new HashSet<>();
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        Set<String> keys = new HashSet<>();
        for (GeneratedReport report : reports) {
            provinces.add(Provinces.lookup(report.province()).map(Province::slug).orElseThrow());
            channels.add(report.channel());
            keys.addAll(report.intendedKeys());
        }
        assertThat(provinces).hasSize(34);
        assertThat(channels).containsExactlyInAnyOrder(Channel.values());
        assertThat(keys).containsAll(OfficialChannels.all().stream().map(AllowlistEntry::getIndicator).toList());
        long late = reports.stream().filter(GeneratedReport::late).count();
        assertThat(late).isBetween(REPORTS * 3L / 100, REPORTS * 7L / 100);
        assertThat(reports).filteredOn(GeneratedReport::late)
                .allSatisfy(report -> assertThat(report.occurredAt()).isBefore(NOW.minusSeconds(2 * 3600 - 1)));
    }

    @Test
    void aFewNumbersTakeMostReportsAndTheTailIsLong() {
        Map<String, Integer> counts = new HashMap<>();
        generate(42, REPORTS).forEach(report -> report.intendedKeys().stream().filter(k -> k.startsWith("tel:"))
                .forEach(key -> counts.merge(key, 1, Integer::sum)));
        List<Integer> sorted = counts.values().stream().sorted((a, b) -> b - a).toList();
        int top10 = sorted.stream().limit(10).mapToInt(Integer::intValue).sum();
        int total = sorted.stream().mapToInt(Integer::intValue).sum();
        assertThat(top10).as("reports of the 10 most reported numbers").isGreaterThan(total / 5);
        assertThat(sorted.stream().filter(count -> count == 1).count()).as("numbers reported once").isGreaterThan(1000);
    }

    @Test
    void probesAndStateFillersAreFreshDistinctNumbers() {
        ReportGenerator generator = new ReportGenerator(ReportGenerator.Options.realistic(1, 10_000, 1_000));
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            GeneratedReport probe = generator.probe(i, NOW);
            GeneratedReport filler = generator.distinct(i, NOW);
            assertThat(probe.channel()).isEqualTo(Channel.POLICE);
            assertThat(key(normaliser.phone(probe.phoneNumbers().get(0)))).isEqualTo(probe.intendedKeys().get(0));
            assertThat(key(normaliser.phone(filler.phoneNumbers().get(0)))).isEqualTo(filler.intendedKeys().get(0));
            keys.addAll(probe.intendedKeys());
            keys.addAll(filler.intendedKeys());
        }
        assertThat(keys).hasSize(10_000);
    }

    private static List<GeneratedReport> generate(long seed, int count) {
        ReportGenerator generator = new ReportGenerator(ReportGenerator.Options.realistic(seed, 100_000, 5_000));
        List<GeneratedReport> reports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            reports.add(generator.next(NOW));
        }
        return reports;
    }

    private static String key(Normalisation normalisation) {
        return normalisation.accepted().map(indicator -> indicator.key()).orElse(null);
    }
}
