package vn.bhxh.shield.sink;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
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
 * ask any instance for the changes since the version it holds. Changes are remembered for a bounded number of
 * records; a version older than that, or older than this instance's start, is answered with {@link Gone}.
 */
final class BlocklistView {

    /** The checksum partners recompute over their copy; documented in the README. */
    static final String CHECKSUM_ALGORITHM =
            "SHA-256 over the UTF-8 lines 'indicator|status|listedAt|expiresAt\\n' of the list sorted by indicator";

    private final int blocklistPartitions;
    private final int historyLimit;
    private final Map<String, BlocklistEntry> listed = new HashMap<>();
    private final Map<String, AllowlistEntry> official = new HashMap<>();
    private final long[] positions;
    // Per source: the lowest offset from which every change is still in history.
    private final long[] historyFrom;
    private final Deque<Change> history = new ArrayDeque<>();
    private boolean loaded;

    private record Change(int source, long offset, Set<String> indicators) {
    }

    BlocklistView(int blocklistPartitions, int allowlistPartitions, int historyLimit) {
        this.blocklistPartitions = blocklistPartitions;
        this.historyLimit = historyLimit;
        this.positions = new long[blocklistPartitions + allowlistPartitions];
        this.historyFrom = new long[positions.length];
    }

    int sources() {
        return positions.length;
    }

    synchronized void applyBlocklist(int partition, long offset, String indicator, BlocklistEntry entry) {
        if (entry == null) {
            listed.remove(indicator);
        } else {
            listed.put(indicator, entry);
        }
        record(partition, offset, Set.of(indicator));
    }

    synchronized void applyAllowlist(int partition, long offset, String indicator, AllowlistEntry entry) {
        // The listings this official channel hides (or stops hiding) change for partners.
        Set<String> touched = new HashSet<>();
        Optional.ofNullable(official.get(indicator)).ifPresent(old -> touched.addAll(coveredBy(old)));
        if (entry == null) {
            official.remove(indicator);
        } else {
            official.put(indicator, entry);
            touched.addAll(coveredBy(entry));
        }
        record(blocklistPartitions + partition, offset, touched);
    }

    /** Moves a source's position past offsets that carried no record (transaction markers, compacted gaps). */
    synchronized void advance(int source, long position) {
        positions[source] = Math.max(positions[source], position);
    }

    /** The initial read is complete: serve the list, and changes from here on. */
    synchronized void markLoaded() {
        System.arraycopy(positions, 0, historyFrom, 0, positions.length);
        history.clear();
        loaded = true;
    }

    synchronized boolean loaded() {
        return loaded;
    }

    synchronized int size() {
        return visible().size();
    }

    /** The listing of {@code indicator} as partners see it now (an official channel is never listed to them). */
    synchronized Optional<BlocklistEntry> listing(String indicator) {
        return Optional.ofNullable(listed.get(indicator)).filter(entry -> !isOfficial(indicator));
    }

    private void record(int source, long offset, Set<String> indicators) {
        positions[source] = offset + 1;
        if (!loaded) {
            return;
        }
        history.addLast(new Change(source, offset, indicators));
        while (history.size() > historyLimit) {
            Change dropped = history.removeFirst();
            historyFrom[dropped.source()] = dropped.offset() + 1;
        }
    }

    synchronized Snapshot snapshot() {
        TreeMap<String, BlocklistEntry> entries = visible();
        return new Snapshot(new Version(positions.clone()), List.copyOf(entries.values()), checksum(entries));
    }

    synchronized Delta changesSince(Version since) {
        if (since.offsets().length != positions.length) {
            return new Gone("version has " + since.offsets().length + " parts, this feed has " + positions.length);
        }
        for (int source = 0; source < positions.length; source++) {
            if (since.offsets()[source] < historyFrom[source]) {
                return new Gone("changes before " + new Version(historyFrom.clone()) + " are no longer kept");
            }
            if (since.offsets()[source] > positions[source]) {
                return new Behind(new Version(positions.clone()));
            }
        }
        Set<String> touched = new TreeSet<>();
        Set<String> touchedByAllowlist = new HashSet<>();
        for (Change change : history) {
            if (change.offset() >= since.offsets()[change.source()]) {
                touched.addAll(change.indicators());
                if (change.source() >= blocklistPartitions) {
                    touchedByAllowlist.addAll(change.indicators());
                }
            }
        }
        TreeMap<String, BlocklistEntry> entries = visible();
        List<BlocklistEntry> upserted = touched.stream().filter(entries::containsKey).map(entries::get).toList();
        // An official channel is named only to tell a partner to drop it because it was allowlisted since; a
        // listing of it the guard held back was never in the partner's copy.
        List<String> removed = touched.stream()
                .filter(key -> !entries.containsKey(key))
                .filter(key -> touchedByAllowlist.contains(key) || !isOfficial(key))
                .toList();
        return new Changes(since, new Version(positions.clone()), upserted, removed, checksum(entries));
    }

    private boolean isOfficial(String indicator) {
        return official.values().stream().anyMatch(channel -> covers(channel, indicator));
    }

    private TreeMap<String, BlocklistEntry> visible() {
        return listed.entrySet().stream()
                .filter(e -> !isOfficial(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
    }

    private Set<String> coveredBy(AllowlistEntry channel) {
        return listed.keySet().stream().filter(key -> covers(channel, key)).collect(Collectors.toSet());
    }

    /** An official channel covers its own key and, for a domain with subdomains, every host under it. */
    static boolean covers(AllowlistEntry channel, String indicator) {
        if (channel.getIndicator().equals(indicator)) {
            return true;
        }
        if (channel.getKind() != IndicatorKind.DOMAIN || !channel.getIncludeSubdomains()) {
            return false;
        }
        String domain = channel.getIndicator().substring("domain:".length());
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
