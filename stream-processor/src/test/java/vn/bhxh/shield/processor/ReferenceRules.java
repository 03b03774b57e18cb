package vn.bhxh.shield.processor;

import java.time.Duration;
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
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.Report;

/**
 * What the processor must end up having written for a set of reports, worked out here from the reports alone,
 * without the processor's code: the crash test's independent oracle. It knows the rules only as the README states
 * them, with this test's thresholds (deliberately not the defaults, passed to the processor by {@link #settings()}):
 * a reporter counts once with its channel's weight; a WARNING at {@value #WARNING} weighted reporters, a proposal
 * (a PROPOSED alert, nothing on the blocklist) at {@value #LISTING_WEIGHTED} weighted reporters or
 * {@value #LISTING_PROVINCES} provinces, escalated (one ESCALATED alert, national only) once undecided for
 * {@link #ESCALATE_AFTER}; an officer's CONFIRM lists a proposal (LISTED, with its BLOCKED alert), a REJECT closes
 * it; a police referral lists at once (CONFIRMED); an official channel is never listed, its spoofing raises one
 * OFFICIAL_CHANNEL_SPOOFED alert per day. All reports of the scenario fall within one hour, so every window holds
 * all of them. The crash test sends the decisions only once every proposal has been escalated, so each proposal's
 * story is PROPOSED, ESCALATED, then its decision's outcome.
 *
 * <p>The processor sees an indicator's reports in an order the repartition decides, and crashes change it. The
 * model only accepts stories whose outcome is the same in every order, and refuses the others rather than guess:
 * the weight grows by at most 1 per report, so below {@value #LISTING_PROVINCES} provinces a WARNING always comes
 * (once) before a proposal by weight; an indicator proposed by provinces has one reporter per province, so it
 * reaches {@value #LISTING_PROVINCES} provinces no later than weight {@value #WARNING} and is never warned; police
 * stories carry less crowd weight than a warning.
 */
final class ReferenceRules {

    static final double WARNING = 4;
    static final double LISTING_WEIGHTED = 6;
    static final int LISTING_PROVINCES = 3;
    static final Duration ESCALATE_AFTER = Duration.ofSeconds(3);
    private static final Map<Channel, Double> WEIGHTS = Map.of(
            Channel.HOTLINE, 1.0, Channel.FANPAGE, 0.5, Channel.POLICE, 1.0);

    static {
        // The order-free arguments above need these; change the thresholds and they must still hold.
        if (LISTING_WEIGHTED < WARNING + 1 || WARNING < LISTING_PROVINCES) {
            throw new IllegalStateException("thresholds outside what the reference model can predict");
        }
    }

    /**
     * What one indicator's committed outputs must be. {@code listing} is null when it must not be listed;
     * {@code proposed} whether crowd evidence proposes it (and so it is escalated).
     */
    record Expected(String indicator, Set<AlertLevel> levels, BlocklistStatus listing, int distinctReporters,
                    double weightedReporters, int reportCount, List<String> provinces, boolean proposed) {
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
                "PROCESSOR_LISTING_PROVINCES", Integer.toString(LISTING_PROVINCES),
                "PROCESSOR_ESCALATE_AFTER", ESCALATE_AFTER.toString(),
                // Escalations are looked for every second, not every minute.
                "PROCESSOR_EXPIRY_CHECK_INTERVAL", "PT1S");
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
        Map<String, DecisionAction> decided = new HashMap<>();
        for (Decision decision : scenario.decisions()) {
            decided.put(scenario.keyOf().get(decision.getIndicator()), decision.getAction());
        }
        Map<String, Expected> expected = new TreeMap<>();
        byIndicator.forEach((key, reports) -> expected.put(key, expect(key, reports, official.contains(key),
                decided.get(key))));
        return expected;
    }

    /** {@code decision}: what an officer decided once the proposal was escalated; null for nothing. */
    private static Expected expect(String key, List<Report> reports, boolean official, DecisionAction decision) {
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
        boolean proposed = false;
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
            proposed = byProvinces || weighted >= LISTING_WEIGHTED;
            if (proposed) {
                levels.add(AlertLevel.PROPOSED);
                levels.add(AlertLevel.ESCALATED);
                if (decision == DecisionAction.CONFIRM) {
                    levels.add(AlertLevel.BLOCKED);
                    listing = BlocklistStatus.LISTED;
                }
            }
        }
        require(decision == null || proposed, key, "a decision about what was never proposed");
        return new Expected(key, levels, listing, weightOf.size(), weighted, reports.size(), List.copyOf(provinces),
                proposed);
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
