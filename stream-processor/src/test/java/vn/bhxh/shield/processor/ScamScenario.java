package vn.bhxh.shield.processor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * A deterministic stream of reports (same seed, same reports, same order) telling a story per indicator: some stay
 * quiet, some get a warning, some are proposed by many reporters or by several provinces, some are referred by the
 * police, and some are official BHXH channels that scammers spoof. Then officers decide about the proposals: some
 * are confirmed (and so listed), some rejected, some left undecided; some decisions come from a reporting
 * province's office, the rest from national accounts. Reporters are people with one channel and one
 * province, each naming several indicators over time, a few of them more than once, so reports carry up to three
 * indicators and their distinct-reporter counts are not the number of reports.
 *
 * <p>Each story keeps to a shape whose outcome does not depend on the order in which the processor's repartition
 * interleaves the reports of one indicator (see {@link ReferenceRules}); event times are all within one hour.
 *
 * @param reports   the reports in the order they are to be sent
 * @param keyOf     the canonical key of each raw identifier used, as the test wrote it
 * @param decisions the officers' decisions, to be sent once every report has been processed, at most one per
 *                  indicator, about the raw identifier as the officer typed it
 */
record ScamScenario(List<Report> reports, Map<String, String> keyOf, List<Decision> decisions) {

    enum Story { QUIET, WARNED, PROPOSED_BY_REPORTERS, PROPOSED_BY_PROVINCES, POLICE, OFFICIAL }

    record Reporter(String pseudonym, Channel channel, String province) {
    }

    private static final Duration SPAN = Duration.ofMinutes(45);
    private static final String[] MOBILE_PREFIXES = {"091", "098", "070", "086", "035"};

    static ScamScenario generate(long seed, int reportCount, Instant base) {
        return new Builder(seed).build(reportCount, base);
    }

    private static final class Builder {
        private final Random random;
        private final List<String> provinces = Provinces.all().stream().map(Province::slug).toList();
        private final Map<String, String> keyOf = new LinkedHashMap<>();
        /** Per reporter, the raw identifiers it will name, once per mention. */
        private final Map<Reporter, List<String>> mentions = new LinkedHashMap<>();
        private final Map<String, Reporter> pool = new HashMap<>();
        private final List<AllowlistEntry> officialLeft = new ArrayList<>(OfficialChannels.all());
        private final List<Decision> decisions = new ArrayList<>();
        /** When the officers decide: after the last report. */
        private Instant decidedAt;
        private int mentionCount;
        private int indicators;

        Builder(long seed) {
            this.random = new Random(seed);
        }

        ScamScenario build(int reportCount, Instant base) {
            decidedAt = base.plus(SPAN).plusSeconds(60);
            // Most people name one indicator a report (they report it alone, or it is all they saw): about 3
            // mentions make 2 reports. Stop telling stories once there is about enough to say.
            while (mentionCount < reportCount * 3 / 2) {
                tell(Story.values()[random.nextInt(Story.values().length)]);
            }
            List<Report> reports = pack(base);
            return new ScamScenario(reports, Map.copyOf(keyOf), List.copyOf(decisions));
        }

        private void tell(Story story) {
            switch (story) {
                case QUIET -> crowd(scamIndicator(), twoProvinces(), 0.5, ReferenceRules.WARNING);
                case WARNED -> crowd(scamIndicator(), twoProvinces(), ReferenceRules.WARNING,
                        ReferenceRules.LISTING_WEIGHTED);
                case PROPOSED_BY_REPORTERS -> {
                    String indicator = scamIndicator();
                    crowd(indicator, twoProvinces(), ReferenceRules.LISTING_WEIGHTED, Double.MAX_VALUE);
                    decide(indicator, null);
                }
                case PROPOSED_BY_PROVINCES -> {
                    String indicator = scamIndicator();
                    List<String> shuffled = new ArrayList<>(provinces);
                    Collections.shuffle(shuffled, random);
                    int count = ReferenceRules.LISTING_PROVINCES + random.nextInt(4);
                    for (String province : shuffled.subList(0, count)) {
                        mention(crowdReporter(province, true), indicator);
                    }
                    // Every one of these provinces reported it: its office may decide.
                    decide(indicator, random.nextBoolean() ? shuffled.get(0) : null);
                }
                case POLICE -> {
                    String indicator = scamIndicator();
                    mention(reporter(Channel.POLICE, randomProvince()), indicator);
                    // A little crowd evidence too, never enough on its own to warn.
                    crowd(indicator, twoProvinces(), 0, ReferenceRules.WARNING);
                }
                case OFFICIAL -> {
                    if (officialLeft.isEmpty()) {
                        tell(Story.POLICE);
                        return;
                    }
                    String indicator = official(officialLeft.remove(random.nextInt(officialLeft.size())));
                    int reporters = 1 + random.nextInt(4);
                    for (int i = 0; i < reporters; i++) {
                        // A police referral of an official number must not list it either.
                        Reporter who = i == 0 && random.nextBoolean() ? reporter(Channel.POLICE, randomProvince())
                                : crowdReporter(randomProvince(), false);
                        mention(who, indicator);
                    }
                }
            }
        }

        /**
         * Distinct crowd reporters from at most two provinces until their weight reaches {@code atLeast}, then
         * perhaps a few more, never reaching {@code below}.
         */
        private void crowd(String indicator, List<String> twoProvinces, double atLeast, double below) {
            Set<Reporter> chosen = new LinkedHashSet<>();
            double weight = 0;
            while (weight < atLeast || random.nextInt(3) > 0) {
                Reporter next = crowdReporter(twoProvinces.get(random.nextInt(2)), false);
                double added = ReferenceRules.weight(next.channel());
                if (chosen.contains(next) || weight + added >= below) {
                    if (weight >= atLeast) {
                        return; // the story would say more than it is meant to
                    }
                    continue;
                }
                chosen.add(next);
                weight += added;
                mention(next, indicator);
            }
        }

        /** Half the proposals are confirmed, a quarter rejected, a quarter left undecided. */
        private void decide(String rawIndicator, String province) {
            int draw = random.nextInt(4);
            if (draw == 3) {
                return;
            }
            DecisionAction action = draw < 2 ? DecisionAction.CONFIRM : DecisionAction.REJECT;
            String id = "eos-decision-" + decisions.size();
            decisions.add(Decision.newBuilder()
                    .setDecisionId(id)
                    .setAction(action)
                    .setIndicator(rawIndicator)
                    .setActor(province == null ? "officer-national" : "officer-" + province)
                    .setProvince(province)
                    .setReason(action == DecisionAction.CONFIRM ? "đã xác minh" : "không đủ căn cứ")
                    .setDecidedAt(decidedAt)
                    .build());
        }

        /** A hotline caller or a fanpage writer of the province; fanpage writers often give no province. */
        private Reporter crowdReporter(String province, boolean mustHaveProvince) {
            if (random.nextInt(10) < 7) {
                return reporter(Channel.HOTLINE, province);
            }
            return reporter(Channel.FANPAGE, mustHaveProvince || random.nextBoolean() ? province : null);
        }

        /** One of a few people per channel and province, so the same people report many indicators. */
        private Reporter reporter(Channel channel, String province) {
            String id = channel + "-" + (province == null ? "none" : province) + "-" + random.nextInt(12);
            return pool.computeIfAbsent(id, key -> new Reporter(
                    "eos-" + Integer.toHexString(key.hashCode()) + "-" + key.length(), channel, province));
        }

        private void mention(Reporter reporter, String rawIndicator) {
            // One in five people report the same thing again (a second call, a follow-up message).
            int times = random.nextInt(5) == 0 ? 2 + random.nextInt(2) : 1;
            for (int i = 0; i < times; i++) {
                mentions.computeIfAbsent(reporter, r -> new ArrayList<>()).add(rawIndicator);
                mentionCount++;
            }
        }

        private String scamIndicator() {
            int n = indicators++;
            if (n % 7 == 3) {
                String domain = "bhxh-ho-tro-" + n + ".com";
                String raw = "https://" + domain + "/cap-nhat-vssid";
                keyOf.put(raw, "domain:" + domain);
                return raw;
            }
            String prefix = MOBILE_PREFIXES[n % MOBILE_PREFIXES.length];
            String raw = prefix + String.format("%07d", (n * 7919L + random.nextInt(7)) % 10_000_000);
            if (keyOf.containsKey(raw)) {
                return scamIndicator();
            }
            keyOf.put(raw, "tel:+84" + raw.substring(1));
            return raw;
        }

        /** An official channel as a citizen would quote it: the number in E.164, a link to the site or page. */
        private String official(AllowlistEntry entry) {
            String key = entry.getIndicator();
            String raw;
            if (key.startsWith("tel:")) {
                raw = key.substring(4);
            } else if (key.startsWith("domain:")) {
                raw = "https://" + key.substring(7) + "/tra-cuu";
            } else if (key.startsWith("social:facebook:")) {
                raw = "https://www.facebook.com/" + key.substring("social:facebook:".length());
            } else if (key.startsWith("url:")) {
                raw = key.substring(4);
            } else {
                throw new IllegalStateException("no way to quote the official channel " + key + " yet");
            }
            keyOf.put(raw, key);
            return raw;
        }

        private List<String> twoProvinces() {
            return List.of(randomProvince(), randomProvince());
        }

        private String randomProvince() {
            return provinces.get(random.nextInt(provinces.size()));
        }

        /** Each reporter's mentions, shuffled, become reports of one to three distinct indicators. */
        private List<Report> pack(Instant base) {
            List<Map.Entry<Reporter, List<String>>> drafts = new ArrayList<>();
            for (var entry : mentions.entrySet()) {
                List<String> left = new ArrayList<>(entry.getValue());
                Collections.shuffle(left, random);
                while (!left.isEmpty()) {
                    List<String> named = new ArrayList<>();
                    int size = 1 + random.nextInt(3);
                    for (var it = left.iterator(); it.hasNext() && named.size() < size; ) {
                        String raw = it.next();
                        if (!named.contains(raw)) {
                            named.add(raw);
                            it.remove();
                        }
                    }
                    drafts.add(Map.entry(entry.getKey(), named));
                }
            }
            Collections.shuffle(drafts, random);
            List<Report> reports = new ArrayList<>();
            for (int i = 0; i < drafts.size(); i++) {
                Reporter who = drafts.get(i).getKey();
                Instant at = base.plusMillis(SPAN.toMillis() * i / drafts.size());
                reports.add(report("eos-" + i, who, drafts.get(i).getValue(), at));
            }
            return reports;
        }

        private Report report(String id, Reporter who, List<String> named, Instant at) {
            List<String> phones = named.stream().filter(raw -> !raw.startsWith("http")).toList();
            List<String> urls = named.stream().filter(raw -> raw.startsWith("http")).toList();
            boolean police = who.channel() == Channel.POLICE;
            return Report.newBuilder()
                    .setReportId(id)
                    .setChannel(who.channel())
                    .setReporterPseudonym(who.pseudonym())
                    .setProvince(who.province())
                    .setPhoneNumbers(phones)
                    .setUrls(urls)
                    .setRequested(List.of(ScamRequest.values()[random.nextInt(ScamRequest.values().length)]))
                    .setNotes(random.nextInt(4) == 0 ? "Tự xưng cán bộ BHXH, báo cáo số " + id : null)
                    .setOccurredAt(at)
                    .setReceivedAt(at.plusSeconds(5))
                    .setSubmittedBy(police ? "police-cyber-unit" : "eos-crash-it")
                    .setSourceReference(police ? "CV-" + id : null)
                    .build();
        }
    }
}
