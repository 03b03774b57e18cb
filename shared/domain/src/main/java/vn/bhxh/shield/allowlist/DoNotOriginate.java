package vn.bhxh.shield.allowlist;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * The Do-Not-Originate list: the official numbers BHXH only receives calls on, published to telecoms on
 * {@code bhxh.do-not-originate.v1}. A call presenting one of them as caller id is spoofed.
 *
 * <p>It follows the reviewed seed file only ({@code inbound_only} in {@code official-channels.csv}), never a
 * decision: an ALLOWLIST decision adds a channel that is not inbound-only, and an UNALLOWLIST decision of an
 * inbound-only number leaves it on the list. A number leaves the list only through a change of the seed file in
 * the repository, because both mistakes are costly and one national account should not make them in a hurry:
 * a number wrongly left on it makes telecoms block BHXH's own calls, one wrongly taken off lets scammers call
 * from it again.
 */
public final class DoNotOriginate {

    private DoNotOriginate() {
    }

    /** What the topic must hold for {@code seed}: its inbound-only numbers, by canonical key. */
    public static SortedMap<String, DoNotOriginateEntry> entries(Iterable<AllowlistEntry> seed) {
        SortedMap<String, DoNotOriginateEntry> entries = new TreeMap<>();
        for (AllowlistEntry channel : seed) {
            if (channel.getInboundOnly() && channel.getKind() == IndicatorKind.PHONE) {
                Indicator number = Indicator.parseKey(channel.getIndicator()).orElseThrow(() ->
                        new IllegalArgumentException("not a canonical key: " + channel.getIndicator()));
                entries.put(number.key(), DoNotOriginateEntry.newBuilder()
                        .setNumber(number.value())
                        .setDisplay(number.display())
                        .setName(channel.getName())
                        .setSince(channel.getAddedAt())
                        .build());
            }
        }
        return entries;
    }

    /**
     * The records that bring the topic from {@code current} (its latest value per key, tombstoned keys left out) to
     * what {@code seed} says: nothing when it already says so, so seeding at every start writes nothing new.
     */
    public static Changes changes(Map<String, DoNotOriginateEntry> current, Iterable<AllowlistEntry> seed) {
        SortedMap<String, DoNotOriginateEntry> wanted = entries(seed);
        SortedMap<String, DoNotOriginateEntry> upserts = new TreeMap<>();
        wanted.forEach((key, entry) -> {
            if (!Objects.equals(current.get(key), entry)) {
                upserts.put(key, entry);
            }
        });
        SortedSet<String> removals = new TreeSet<>(current.keySet());
        removals.removeAll(wanted.keySet());
        return new Changes(upserts, removals);
    }

    /** Numbers to write (new, or changed in the seed) and numbers to tombstone (no longer inbound-only or seeded). */
    public record Changes(SortedMap<String, DoNotOriginateEntry> upserts, SortedSet<String> removals) {

        public boolean isEmpty() {
            return upserts.isEmpty() && removals.isEmpty();
        }
    }
}
