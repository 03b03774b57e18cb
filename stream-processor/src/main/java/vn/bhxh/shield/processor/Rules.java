package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Channel;

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
 * @param listingTtl        a listing lapses this long after its last report
 * @param delistGuard       after a DELIST, crowd reports cannot re-list for this long
 * @param expiryCheck       how often (wall clock) lapsed listings are looked for
 * @param renewInterval     how often (wall clock) the entries of listed indicators with new reports are re-sent:
 *                          a number reported hundreds of times a second gets one updated entry per interval
 * @param sampleNotes       notes kept per indicator as context for alerts
 * @param sampleNoteChars   longest note kept
 * @param maxSightings      merged sightings kept per indicator, newest first: the cost of a report must not grow
 *                          with how many people reported its number
 */
public record Rules(Map<Channel, Double> weights, double warningWeighted, double listingWeighted,
                    int listingProvinces, Duration shortWindow, Duration longWindow, Duration grace,
                    Duration listingTtl, Duration delistGuard, Duration expiryCheck, Duration renewInterval,
                    int sampleNotes,
                    int sampleNoteChars, int maxSightings) {

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
                duration(settings, "PROCESSOR_LISTING_TTL", "P90D"),
                duration(settings, "PROCESSOR_DELIST_GUARD", "P30D"),
                duration(settings, "PROCESSOR_EXPIRY_CHECK_INTERVAL", "PT1M"),
                duration(settings, "PROCESSOR_RENEW_INTERVAL", "PT1S"),
                settings.integer("PROCESSOR_SAMPLE_NOTES", 3),
                settings.integer("PROCESSOR_SAMPLE_NOTE_CHARS", 280),
                settings.integer("PROCESSOR_MAX_SIGHTINGS", 256));
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
