package vn.bhxh.shield.sink;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.sink.BlocklistView.Version;

/**
 * The Do-Not-Originate list as partners see it: the compacted {@code bhxh.do-not-originate.v1} folded into a map.
 * Its version, like the blocklist's, is the next offset of every partition of the topic, so every instance that has
 * read the same records answers the same version and ETag. A list of a handful of numbers: partners take it whole,
 * there is no change feed.
 */
final class DoNotOriginateView {

    /** What the list means, on every JSON answer, for whoever reads it without the partner guide. */
    static final Meaning MEANING = new Meaning(
            "Các số chính thức của BHXH chỉ dùng để nhận cuộc gọi: BHXH không bao giờ gọi đi từ các số này. Cuộc gọi "
                    + "hiển thị một trong các số này làm số gọi đến là cuộc gọi giả mạo: hãy chặn hoặc gắn cảnh báo.",
            "Official BHXH numbers that only receive calls: BHXH never calls out from them. A call presenting one of "
                    + "these numbers as caller id is spoofed: block or flag it.");

    private final Map<String, DoNotOriginateEntry> entries = new HashMap<>();
    private final long[] positions;
    private boolean loaded;

    DoNotOriginateView(int partitions) {
        this.positions = new long[partitions];
    }

    /** One record of the topic; a null entry (tombstone) takes the number off the list. */
    synchronized void apply(int partition, long offset, String key, DoNotOriginateEntry entry) {
        if (entry == null) {
            entries.remove(key);
        } else {
            entries.put(key, entry);
        }
        positions[partition] = offset + 1;
    }

    /** Moves a partition's position past offsets that carried no record (transaction markers, compacted gaps). */
    synchronized void advance(int partition, long position) {
        positions[partition] = Math.max(positions[partition], position);
    }

    synchronized void markLoaded() {
        loaded = true;
    }

    synchronized boolean loaded() {
        return loaded;
    }

    synchronized int size() {
        return entries.size();
    }

    /** The whole list, sorted by canonical key, with its version. */
    synchronized Snapshot snapshot() {
        return new Snapshot(new Version(positions.clone()), List.copyOf(new TreeMap<>(entries).values()));
    }

    record Snapshot(Version version, List<DoNotOriginateEntry> entries) {
    }

    /** The same sentence in Vietnamese and in English. */
    record Meaning(String vi, String en) {
    }
}
