package vn.bhxh.shield.sink;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * The blocklist as telecom partners see it: the compacted blocklist topic folded into a map, minus every official
 * channel of the allowlist topic (a second guard besides the processor's: a partner must never be told to block
 * an official BHXH channel, even if a bad listing got through).
 *
 * <p>Its {@link Version} is the vector of next offsets of every source partition (blocklist partitions, then the
 * allowlist's), so every sink instance that has read the same records gives the same version, and a partner may
 * ask any instance for the changes since the version it holds.
 *
 * <p>Changes are answered from the topic itself, not from a history in memory: the view keeps, per indicator, its
 * latest record (tombstones too) with the record's offset and time. Compaction keeps the latest record of every
 * key, so "every indicator whose latest record is at or after the partner's offset" is the complete change set,
 * on every instance and across restarts, unless the broker has cleaned a tombstone away, which it does no sooner
 * than {@code delete.retention.ms} after the tombstone was written. So a version is answered only while what was
 * written after it is younger than that (judged from the times of the records read at and before the version's
 * offsets, with a margin); beyond, {@link Gone}.
 *
 * <p>A partner may follow one {@link IndicatorKind} only. That kind's version has, for every blocklist partition,
 * the next offset after the last record of an indicator of that kind (the allowlist's parts are the whole
 * allowlist's: an official channel may hide a listing of any kind), so it moves only when that kind changes; the
 * changes since it are those of the kind's indicators whose latest record is at or after it, as above.
 */
final class BlocklistView {

    /** The checksum partners recompute over their copy; documented in the README. */
    static final String CHECKSUM_ALGORITHM =
            "SHA-256 over the UTF-8 lines 'indicator|status|listedAt|expiresAt\\n' of the list sorted by indicator";
    /** Room for the producers' clocks (record times are theirs) and the broker's being apart. */
    static final Duration CLOCK_MARGIN = Duration.ofHours(1);
    /** A version's age is judged to within this; it bounds the time index to a week of minutes per partition. */
    static final Duration TIME_INDEX_STEP = Duration.ofMinutes(1);

    private final int blocklistPartitions;
    private final Duration tombstoneRetention;
    private final Clock clock;
    private final Map<String, Latest<BlocklistEntry>> listed = new HashMap<>();
    private final Map<String, Latest<AllowlistEntry>> official = new HashMap<>();
    /**
     * Per source: offset -> time of the records read, the first of every {@link #TIME_INDEX_STEP} (superseded ones
     * too), those younger than the tombstone retention: when the records after a version were written.
     */
    private final List<TreeMap<Long, Long>> writeTimes = new ArrayList<>();
    private final long[] positions;
    /** Per kind, per blocklist partition: the next offset after the last record of an indicator of the kind. */
    private final Map<IndicatorKind, long[]> kindPositions = new EnumMap<>(IndicatorKind.class);
    private boolean loaded;

    /** An indicator's latest record: where it was written, and its value (null: a tombstone). */
    private record Latest<T>(int source, long offset, T value) {
    }

    /**
     * @param tombstoneRetention the topics' {@code delete.retention.ms}: how long the broker keeps a tombstone
     * @param clock              now, to judge whether a version's tombstones may have been cleaned
     */
    BlocklistView(int blocklistPartitions, int allowlistPartitions, Duration tombstoneRetention, Clock clock) {
        this.blocklistPartitions = blocklistPartitions;
        this.tombstoneRetention = tombstoneRetention;
        this.clock = clock;
        this.positions = new long[blocklistPartitions + allowlistPartitions];
        for (int source = 0; source < positions.length; source++) {
            writeTimes.add(new TreeMap<>());
        }
    }

    synchronized void applyBlocklist(int partition, long offset, long timestamp, String indicator,
                                     BlocklistEntry entry) {
        hold(listed, indicator, new Latest<>(partition, offset, entry), timestamp);
        kindOf(indicator, entry).ifPresent(kind ->
                kindPositions.computeIfAbsent(kind, k -> new long[blocklistPartitions])[partition] = offset + 1);
    }

    synchronized void applyAllowlist(int partition, long offset, long timestamp, String indicator,
                                     AllowlistEntry entry) {
        hold(official, indicator, new Latest<>(blocklistPartitions + partition, offset, entry), timestamp);
    }

    private <T> void hold(Map<String, Latest<T>> latest, String indicator, Latest<T> record, long timestamp) {
        latest.put(indicator, record);
        TreeMap<Long, Long> times = writeTimes.get(record.source());
        // A record whose time goes back (another producer's clock) is kept too: the index must never make the
        // records after a version look younger than they are.
        if (times.isEmpty() || timestamp < times.lastEntry().getValue()
                || timestamp - times.lastEntry().getValue() >= TIME_INDEX_STEP.toMillis()) {
            times.put(record.offset(), timestamp);
        }
        // Older entries could only tell that a version is gone, which a missing entry tells as well.
        long horizon = clock.millis() - tombstoneRetention.toMillis();
        while (times.size() > 1 && times.firstEntry().getValue() < horizon) {
            times.pollFirstEntry();
        }
        positions[record.source()] = record.offset() + 1;
    }

    /** Moves a source's position past offsets that carried no record (transaction markers, compacted gaps). */
    synchronized void advance(int source, long position) {
        positions[source] = Math.max(positions[source], position);
    }

    /** The initial read is complete: serve the list. */
    synchronized void markLoaded() {
        loaded = true;
    }

    synchronized boolean loaded() {
        return loaded;
    }

    synchronized int size() {
        return visible(Optional.empty()).size();
    }

    /** The listing of {@code indicator} as partners see it now (an official channel is never listed to them). */
    synchronized Optional<BlocklistEntry> listing(String indicator) {
        return Optional.ofNullable(listed.get(indicator)).map(Latest::value).filter(entry -> !isOfficial(indicator));
    }

    /**
     * The listings of {@code indicators} as partners see them, in their order, read together (one bulk lookup sees
     * one state of the list).
     */
    synchronized List<Optional<BlocklistEntry>> listings(List<String> indicators) {
        return indicators.stream().map(this::listing).toList();
    }

    /** The official channel (allowlist topic) covering {@code indicator}, if one does: the citizens' check. */
    synchronized Optional<AllowlistEntry> officialChannel(String indicator) {
        return official.values().stream().map(Latest::value)
                .filter(channel -> channel != null && covers(channel, indicator)).findFirst();
    }

    synchronized Snapshot snapshot() {
        return snapshot(Optional.empty());
    }

    /** The whole list, or only the indicators of {@code kind} with that kind's version. */
    synchronized Snapshot snapshot(Optional<IndicatorKind> kind) {
        TreeMap<String, BlocklistEntry> entries = visible(kind);
        return new Snapshot(version(kind), List.copyOf(entries.values()), checksum(entries));
    }

    synchronized Delta changesSince(Version since) {
        return changesSince(since, Optional.empty());
    }

    /** The changes since {@code since} (a version of the same kind, or of the whole list) of {@code kind}'s. */
    synchronized Delta changesSince(Version since, Optional<IndicatorKind> kind) {
        if (since.offsets().length != positions.length) {
            return new Gone("version has " + since.offsets().length + " parts, this feed has " + positions.length);
        }
        for (int source = 0; source < positions.length; source++) {
            if (since.offsets()[source] > positions[source]) {
                return new Behind(new Version(positions.clone()));
            }
        }
        Instant now = clock.instant();
        Version current = version(kind);
        for (int source = 0; source < positions.length; source++) {
            Optional<String> lost = mayHaveLostTombstones(source, since.offsets()[source], current, now);
            if (lost.isPresent()) {
                return new Gone(lost.get());
            }
        }
        Set<String> touched = new TreeSet<>();
        listed.forEach((indicator, latest) -> {
            if (latest.offset() >= since.offsets()[latest.source()]) {
                touched.add(indicator);
            }
        });
        // The listings an official channel hides, or stopped hiding, changed for partners. A channel's old value
        // is gone with compaction: a lifted domain is taken to have covered its subdomains, so at worst a partner
        // is sent again an entry it already has.
        Set<String> touchedByAllowlist = new HashSet<>();
        official.forEach((indicator, latest) -> {
            if (latest.offset() >= since.offsets()[latest.source()]) {
                boolean subdomains = latest.value() == null || latest.value().getIncludeSubdomains();
                touchedByAllowlist.addAll(listed.keySet().stream()
                        .filter(key -> covers(indicator, subdomains, key)).toList());
            }
        });
        touched.addAll(touchedByAllowlist);
        touched.removeIf(key -> kind.isPresent() && !kindOf(key, null).equals(kind));
        TreeMap<String, BlocklistEntry> entries = visible(kind);
        List<BlocklistEntry> upserted = touched.stream().filter(entries::containsKey).map(entries::get).toList();
        // An official channel is named only to tell a partner to drop it because it was allowlisted since; a
        // listing of it the guard held back was never in the partner's copy.
        List<String> removed = touched.stream()
                .filter(key -> !entries.containsKey(key))
                .filter(key -> touchedByAllowlist.contains(key) || !isOfficial(key))
                .toList();
        return new Changes(since, current, upserted, removed, checksum(entries));
    }

    /**
     * Why the records of {@code source} from {@code offset} on may no longer hold every tombstone, if they may not.
     * Every record from the offset on was written after the last record read at or before it (this instance read it
     * even if compaction has dropped it since; what was compacted before this instance started it did not see, so
     * it may judge more cautiously than an older instance, never less); the broker keeps a tombstone at least
     * {@code delete.retention.ms} after it was written. Nothing of the partner's kind written since ({@code current}
     * is its version now), or a partner that held nothing of the source yet, loses nothing: a partner following a
     * kind that has not changed for weeks keeps its version.
     */
    private Optional<String> mayHaveLostTombstones(int source, long offset, Version current, Instant now) {
        if (offset == 0 || offset >= current.offsets()[source]) {
            return Optional.empty();
        }
        TreeMap<Long, Long> times = writeTimes.get(source);
        Long before = times.floorKey(offset);
        if (before == null) { // what was read at and before the offset is older than the retention
            return Optional.of("source " + source + ": the records from offset " + offset
                    + " on may be older than the tombstones' " + tombstoneRetention);
        }
        long writtenAfter = times.tailMap(before, true).values().stream().min(Long::compare).orElseThrow();
        Instant keptUntil = Instant.ofEpochMilli(writtenAfter).plus(tombstoneRetention).minus(CLOCK_MARGIN);
        return now.isBefore(keptUntil) ? Optional.empty()
                : Optional.of("source " + source + " from offset " + offset + " was written before "
                        + Instant.ofEpochMilli(writtenAfter) + "; tombstones are kept " + tombstoneRetention);
    }

    private boolean isOfficial(String indicator) {
        return officialChannel(indicator).isPresent();
    }

    private Version version(Optional<IndicatorKind> kind) {
        long[] version = positions.clone();
        kind.ifPresent(k -> System.arraycopy(kindPositions.getOrDefault(k, new long[blocklistPartitions]), 0,
                version, 0, blocklistPartitions));
        return new Version(version);
    }

    /** A listing's kind; a tombstone's (no value), or a held-back listing's, from its key. */
    private Optional<IndicatorKind> kindOf(String indicator, BlocklistEntry entry) {
        BlocklistEntry value = entry != null ? entry
                : Optional.ofNullable(listed.get(indicator)).map(Latest::value).orElse(null);
        return value != null ? Optional.of(value.getKind()) : Indicator.parseKey(indicator).map(Indicator::kind);
    }

    private TreeMap<String, BlocklistEntry> visible(Optional<IndicatorKind> kind) {
        TreeMap<String, BlocklistEntry> visible = new TreeMap<>();
        listed.forEach((indicator, latest) -> {
            if (latest.value() != null && kind.map(k -> k == latest.value().getKind()).orElse(true)
                    && !isOfficial(indicator)) {
                visible.put(indicator, latest.value());
            }
        });
        return visible;
    }

    /** An official channel covers its own key and, for a domain with subdomains, every host under it. */
    static boolean covers(AllowlistEntry channel, String indicator) {
        return covers(channel.getIndicator(), channel.getIncludeSubdomains(), indicator);
    }

    private static boolean covers(String channel, boolean includeSubdomains, String indicator) {
        if (channel.equals(indicator)) {
            return true;
        }
        if (!includeSubdomains || !channel.startsWith("domain:")) {
            return false;
        }
        String domain = channel.substring("domain:".length());
        return host(indicator).map(host -> host.equals(domain) || host.endsWith("." + domain)).orElse(false);
    }

    private static Optional<String> host(String indicator) {
        return Indicator.parseKey(indicator).flatMap(parsed -> switch (parsed.kind()) {
            case DOMAIN -> Optional.of(parsed.value());
            case URL -> Optional.ofNullable(URI.create(parsed.value()).getHost());
            default -> Optional.empty();
        });
    }

    static String checksum(Map<String, BlocklistEntry> sortedByIndicator) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (BlocklistEntry entry : sortedByIndicator.values()) {
                String line = entry.getIndicator() + "|" + entry.getStatus() + "|" + entry.getListedAt() + "|"
                        + (entry.getExpiresAt() == null ? "" : entry.getExpiresAt()) + "\n";
                sha256.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Next offset of every source partition, written {@code 12.0.7.3.0.9.2} (blocklist partitions, allowlist). */
    record Version(long[] offsets) {

        static Optional<Version> parse(String text) {
            if (text == null || !text.matches("\\d{1,18}(\\.\\d{1,18})*")) {
                return Optional.empty();
            }
            return Optional.of(new Version(Arrays.stream(text.split("\\.")).mapToLong(Long::parseLong).toArray()));
        }

        @Override
        public String toString() {
            return Arrays.stream(offsets).mapToObj(Long::toString).collect(Collectors.joining("."));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Version v && Arrays.equals(offsets, v.offsets);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(offsets);
        }
    }

    record Snapshot(Version version, List<BlocklistEntry> entries, String checksum) {
    }

    sealed interface Delta permits Changes, Gone, Behind {
    }

    /** Indicators listed or changed since, indicators no longer listed, and the checksum of the resulting list. */
    record Changes(Version since, Version version, List<BlocklistEntry> upserted, List<String> removed,
                   String checksum) implements Delta {
    }

    record Gone(String why) implements Delta {
    }

    /** The partner's version comes from an instance that has read further than this one. */
    record Behind(Version version) implements Delta {
    }
}
