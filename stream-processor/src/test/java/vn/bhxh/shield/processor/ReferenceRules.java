package vn.bhxh.shield.processor;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;

/**
 * What the processor must end up having written for a set of reports, worked out here from the reports alone,
 * without the processor's code: the crash test's independent oracle. It knows the rules only as the README states
 * them, with this test's thresholds (deliberately not the defaults, passed to the processor by {@link #settings()}):
 * a reporter counts once with its channel's weight; a WARNING at {@value #WARNING} weighted reporters, a listing
 * (and its BLOCKED alert) at {@value #LISTING_WEIGHTED} weighted reporters or {@value #LISTING_PROVINCES}
 * provinces; a police referral lists at once (CONFIRMED); an official channel is never listed, its spoofing
 * raises one OFFICIAL_CHANNEL_SPOOFED alert per day. All reports of the scenario fall within one hour, so every
 * window holds all of them.
 *
 * <p>The processor sees an indicator's reports in an order the repartition decides, and crashes change it. The
 * model only accepts stories whose outcome is the same in every order, and refuses the others rather than guess:
 * the weight grows by at most 1 per report, so below {@value #LISTING_PROVINCES} provinces a WARNING always comes
 * (once) before a listing by weight; an indicator listed by provinces has one reporter per province, so it
 * reaches {@value #LISTING_PROVINCES} provinces no later than weight {@value #WARNING} and is never warned; police
 * stories carry less crowd weight than a warning.
 */
final class ReferenceRules {

    static final double WARNING = 4;
    static final double LISTING_WEIGHTED = 6;
    static final int LISTING_PROVINCES = 3;
    private static final Map<Channel, Double> WEIGHTS = Map.of(
            Channel.HOTLINE, 1.0, Channel.FANPAGE, 0.5, Channel.POLICE, 1.0);

    static {
        // The order-free arguments above need these; change the thresholds and they must still hold.
        if (LISTING_WEIGHTED < WARNING + 1 || WARNING < LISTING_PROVINCES) {
            throw new IllegalStateException("thresholds outside what the reference model can predict");
        }
    }

    /** What one indicator's committed outputs must be. {@code listing} is null when it must not be listed. */
    record Expected(String indicator, Set<AlertLevel> levels, BlocklistStatus listing, int distinctReporters,
                    double weightedReporters, int reportCount, List<String> provinces) {
    }

    private ReferenceRules() {
    }

    /** The processor's settings for these rules. */
    static Map<String, String> settings() {
        return Map.of(
                "PROCESSOR_WEIGHT_HOTLINE", "1.0",
                "PROCESSOR_WEIGHT_FANPAGE", "0.5",
                "PROCESSOR_WEIGHT_POLICE", "1.0",
                "PROCESSOR_WARNING_WEIGHTED_REPORTERS", Double.toString(WARNING),
                "PROCESSOR_LISTING_WEIGHTED_REPORTERS", Double.toString(LISTING_WEIGHTED),
                "PROCESSOR_LISTING_PROVINCES", Integer.toString(LISTING_PROVINCES));
    }

    static double weight(Channel channel) {
        return WEIGHTS.get(channel);
    }

    static Map<String, Expected> expect(ScamScenario scenario) {
        Map<String, List<Report>> byIndicator = new TreeMap<>();
        for (Report report : scenario.reports()) {
            Set<String> named = new HashSet<>();
            List<String> raw = new ArrayList<>(report.getPhoneNumbers());
            raw.addAll(report.getUrls());
            raw.forEach(identifier -> named.add(scenario.keyOf().get(identifier)));
            named.forEach(key -> byIndicator.computeIfAbsent(key, k -> new ArrayList<>()).add(report));
        }
        Set<String> official = OfficialChannels.all().stream().map(AllowlistEntry::getIndicator)
                .collect(Collectors.toSet());
        Map<String, Expected> expected = new TreeMap<>();
        byIndicator.forEach((key, reports) -> expected.put(key, expect(key, reports, official.contains(key))));
        return expected;
    }

    private static Expected expect(String key, List<Report> reports, boolean official) {
        Map<String, Double> weightOf = new HashMap<>();
        Map<String, Double> crowdWeightOf = new HashMap<>();
        Set<String> provinces = new TreeSet<>();
        boolean police = false;
        boolean everyReportHasAProvince = true;
        for (Report report : reports) {
            weightOf.merge(report.getReporterPseudonym(), weight(report.getChannel()), Math::max);
            if (report.getChannel() == Channel.POLICE) {
                police = true;
            } else {
                crowdWeightOf.merge(report.getReporterPseudonym(), weight(report.getChannel()), Math::max);
            }
            if (report.getProvince() == null) {
                everyReportHasAProvince = false;
            } else {
                provinces.add(report.getProvince());
            }
        }
        double weighted = sum(weightOf);
        Set<AlertLevel> levels = EnumSet.noneOf(AlertLevel.class);
        BlocklistStatus listing = null;
        if (official) {
            levels.add(AlertLevel.OFFICIAL_CHANNEL_SPOOFED);
        } else if (police) {
            require(sum(crowdWeightOf) < WARNING, key, "a police story with enough crowd weight to warn");
            levels.add(AlertLevel.BLOCKED);
            listing = BlocklistStatus.CONFIRMED;
        } else {
            boolean byProvinces = provinces.size() >= LISTING_PROVINCES;
            if (byProvinces) {
                require(everyReportHasAProvince && weightOf.size() == provinces.size(), key,
                        "listed by provinces but not one reporter per province");
            } else if (weighted >= WARNING) {
                levels.add(AlertLevel.WARNING);
            }
            if (byProvinces || weighted >= LISTING_WEIGHTED) {
                levels.add(AlertLevel.BLOCKED);
                listing = BlocklistStatus.LISTED;
            }
        }
        return new Expected(key, levels, listing, weightOf.size(), weighted, reports.size(), List.copyOf(provinces));
    }

    private static double sum(Map<String, Double> weights) {
        return weights.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void require(boolean orderFree, String key, String story) {
        if (!orderFree) {
            throw new IllegalArgumentException(key + ": " + story + " has an order-dependent outcome");
        }
    }
}
