package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * The alerting and listing rules' thresholds, weights and durations, from the environment so that BHXH can tune
 * them without a release. Durations are ISO-8601 ({@code PT24H}, {@code P90D}).
 *
 * @param weights           weight of one distinct reporter per channel
 * @param warningWeighted   weighted distinct reporters in the short window that warn the reporting provinces
 * @param listingWeighted   weighted distinct reporters in the short window that list the indicator
 * @param listingProvinces  reporting provinces in the short window that list the indicator
 * @param shortWindow       the sliding window the rules look at (24 h)
 * @param longWindow        the wider window kept for evidence and the lookup API (7 days)
 * @param grace             how late a report may arrive and still count in a window that has ended
 * @param listingTtl        a listing lapses this long after its last report, by kind and source
 * @param delistGuard       after a DELIST, crowd reports cannot propose or list it again for this long
 * @param review            when crowd evidence is proposed, escalated, auto-listed
 * @param expiryCheck       how often (wall clock) what is due (escalations, lapsed listings) is looked for
 * @param renewInterval     how often (wall clock) the entries of listed indicators with new reports are re-sent:
 *                          a number reported hundreds of times a second gets one updated entry per interval
 * @param sampleNotes       notes kept per indicator as context for alerts
 * @param sampleNoteChars   longest note kept
 * @param maxSightings      merged sightings kept per indicator, newest first: the cost of a report must not grow
 *                          with how many people reported its number
 * @param sweepBatch        states looked at per expiry check by the sweep that forgets stale indicators and
 *                          re-sends entries written in an older form
 * @param campaigns         the reports kept per indicator for the police and how campaigns are linked from them
 */
public record Rules(Map<Channel, Double> weights, double warningWeighted, double listingWeighted,
                    int listingProvinces, Duration shortWindow, Duration longWindow, Duration grace,
                    ListingTtl listingTtl, Duration delistGuard, Review review, Duration expiryCheck,
                    Duration renewInterval, int sampleNotes, int sampleNoteChars, int maxSightings, int sweepBatch,
                    Campaigns campaigns) {

    /**
     * How long a listing lasts after its last report: numbers are recycled to new subscribers, so a crowd-listed
     * phone number lapses soon; a domain, page or bank account stays a scammer's far longer; police confirmations
     * last longest.
     *
     * @param crowdPhone a phone number or e-wallet listed from citizens' reports (officer-confirmed or auto-listed)
     * @param crowdOther a domain, URL, page, social account or bank account listed from citizens' reports
     * @param police     anything a police referral confirmed
     */
    public record ListingTtl(Duration crowdPhone, Duration crowdOther, Duration police) {
    }

    /**
     * The human in the loop: crowd evidence that reaches the listing thresholds is proposed to officers.
     *
     * @param rejectGuard        after a REJECT, crowd reports cannot propose it again for this long unless a
     *                           submitting account not seen before the rejection reports it
     * @param escalateAfter      a proposal undecided this long (wall clock) is escalated to the national board
     * @param burstWindow        one submitting account entering more than half the distinct reporters within this
     *                           span flags the proposal
     * @param autoList           list crowd evidence without review (off by default)
     * @param autoListAccounts   distinct submitting accounts auto-listing needs (never fewer than two)
     * @param autoListProvinces  reporting provinces auto-listing needs
     */
    public record Review(Duration rejectGuard, Duration escalateAfter, Duration burstWindow, boolean autoList,
                         int autoListAccounts, int autoListProvinces) {
    }

    /**
     * The evidence kept per indicator ({@link EvidenceStore}) and the campaign links made from it.
     *
     * @param evidenceReports   reports kept per indicator: the first ever and the newest (a number reported by
     *                          thousands must not cost thousands of records; the police get the start and the
     *                          latest, and {@code truncated} says reports in between were let go)
     * @param evidenceRetention how long (wall clock, from the report's event time) a report is kept at all
     * @param links             longest list of linked indicators on an alert and in the lookup API
     */
    public record Campaigns(int evidenceReports, Duration evidenceRetention, int links) {
        public Campaigns {
            if (evidenceReports < 2 || links < 0) {
                throw new IllegalStateException("PROCESSOR_EVIDENCE_REPORTS must be at least 2 (the first and the"
                        + " newest report) and PROCESSOR_CAMPAIGN_LINKS at least 0, got " + evidenceReports + " and "
                        + links);
            }
        }
    }

    public static final Rules DEFAULTS = from(Settings.of(Map.of()));

    public Rules {
        weights = Map.copyOf(weights);
        // Merged sightings count exactly only in windows longer than their span.
        if (shortWindow.toMillis() <= Sighting.MERGE_SPAN_MS) {
            throw new IllegalStateException("PROCESSOR_SHORT_WINDOW must be longer than "
                    + Duration.ofMillis(Sighting.MERGE_SPAN_MS) + ", got " + shortWindow);
        }
        // Below a threshold the evidence could never reach it: an indicator would never be warned or listed.
        if (maxSightings < Math.max(Math.ceil(listingWeighted / weights.values().stream()
                .mapToDouble(Double::doubleValue).max().orElse(1)), listingProvinces) * 4) {
            throw new IllegalStateException("PROCESSOR_MAX_SIGHTINGS must be at least four times what listing"
                    + " needs, got " + maxSightings);
        }
        // Auto-listing never rests on one submitting account, whatever the setting says.
        if (review.autoListAccounts() < 2) {
            throw new IllegalStateException("PROCESSOR_AUTO_LIST_ACCOUNTS must be at least 2, got "
                    + review.autoListAccounts());
        }
        if (sweepBatch < 1) {
            throw new IllegalStateException("PROCESSOR_SWEEP_BATCH must be positive, got " + sweepBatch);
        }
    }

    public static Rules from(Settings settings) {
        Map<Channel, Double> weights = new EnumMap<>(Channel.class);
        weights.put(Channel.HOTLINE, decimal(settings, "PROCESSOR_WEIGHT_HOTLINE", 1.0));
        weights.put(Channel.FANPAGE, decimal(settings, "PROCESSOR_WEIGHT_FANPAGE", 0.5));
        weights.put(Channel.POLICE, decimal(settings, "PROCESSOR_WEIGHT_POLICE", 1.0));
        return new Rules(weights,
                decimal(settings, "PROCESSOR_WARNING_WEIGHTED_REPORTERS", 3),
                decimal(settings, "PROCESSOR_LISTING_WEIGHTED_REPORTERS", 5),
                settings.integer("PROCESSOR_LISTING_PROVINCES", 3),
                duration(settings, "PROCESSOR_SHORT_WINDOW", "PT24H"),
                duration(settings, "PROCESSOR_LONG_WINDOW", "P7D"),
                duration(settings, "PROCESSOR_GRACE", "PT1H"),
                new ListingTtl(duration(settings, "PROCESSOR_TTL_CROWD_PHONE", "P30D"),
                        duration(settings, "PROCESSOR_TTL_CROWD_OTHER", "P180D"),
                        duration(settings, "PROCESSOR_TTL_POLICE", "P365D")),
                duration(settings, "PROCESSOR_DELIST_GUARD", "P30D"),
                new Review(duration(settings, "PROCESSOR_REJECT_GUARD", "P30D"),
                        duration(settings, "PROCESSOR_ESCALATE_AFTER", "PT2H"),
                        duration(settings, "PROCESSOR_BURST_WINDOW", "PT10M"),
                        bool(settings, "PROCESSOR_AUTO_LIST", false),
                        settings.integer("PROCESSOR_AUTO_LIST_ACCOUNTS", 3),
                        settings.integer("PROCESSOR_AUTO_LIST_PROVINCES", 2)),
                duration(settings, "PROCESSOR_EXPIRY_CHECK_INTERVAL", "PT1M"),
                duration(settings, "PROCESSOR_RENEW_INTERVAL", "PT1S"),
                settings.integer("PROCESSOR_SAMPLE_NOTES", 3),
                settings.integer("PROCESSOR_SAMPLE_NOTE_CHARS", 280),
                settings.integer("PROCESSOR_MAX_SIGHTINGS", 256),
                settings.integer("PROCESSOR_SWEEP_BATCH", 1_000),
                new Campaigns(settings.integer("PROCESSOR_EVIDENCE_REPORTS", 500),
                        duration(settings, "PROCESSOR_EVIDENCE_RETENTION", "P365D"),
                        settings.integer("PROCESSOR_CAMPAIGN_LINKS", 20)));
    }

    /** How long a listing of this kind and status lasts after its last report. */
    Duration ttl(IndicatorKind kind, BlocklistStatus status) {
        if (status == BlocklistStatus.CONFIRMED) {
            return listingTtl.police();
        }
        // A wallet is a phone number's too, and numbers are recycled to new owners: it lapses as soon as a phone.
        return kind == IndicatorKind.PHONE || kind == IndicatorKind.E_WALLET
                ? listingTtl.crowdPhone() : listingTtl.crowdOther();
    }

    private static boolean bool(Settings settings, String name, boolean defaultValue) {
        String value = settings.string(name, Boolean.toString(defaultValue)).strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException("setting " + name + " must be true or false, got '" + value
                    + "'");
        };
    }

    double weight(Channel channel) {
        return weights.getOrDefault(channel, 1.0);
    }

    /** Sightings older than this, relative to stream time, can no longer count in any window. */
    long horizon(long streamTime) {
        return streamTime - longWindow.toMillis() - grace.toMillis();
    }

    private static double decimal(Settings settings, String name, double defaultValue) {
        return settings.find(name).map(value -> {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("setting " + name + " must be a number, got '" + value + "'", e);
            }
        }).orElse(defaultValue);
    }

    private static Duration duration(Settings settings, String name, String defaultValue) {
        String value = settings.string(name, defaultValue);
        try {
            return Duration.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalStateException("setting " + name + " must be an ISO-8601 duration, got '" + value + "'",
                    e);
        }
    }
}
