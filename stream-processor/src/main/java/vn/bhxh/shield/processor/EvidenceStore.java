package vn.bhxh.shield.processor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.lookup.IndicatorEvidence.ReportEvidence;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.serde.SelfSerde;

/**
 * The reports behind each indicator, for the police and for linking campaigns: one small record per indicator and
 * report in {@value #STORE}, beside the indicator store in the same task (the indicator events are keyed by
 * indicator), changelogged and written under the same exactly-once commits.
 * <p>
 * Key: the indicator, {@code \u0000}, the report's event time as 13 digits, the report id. So an indicator's
 * reports are one prefix scan, oldest first, and a report seen again (the same id and time) is the same key: it
 * is never kept twice.
 * <p>
 * Bounded per indicator: readers get the first report ever kept and the newest,
 * {@link Rules.Campaigns#evidenceReports()} in all. A small changelogged head per indicator in {@value #HEADS}
 * (record-cached: a hot number's head changes per report and is written once per commit) counts them and holds the
 * keys of the two oldest, so the reports to let go are found by one seek to a live key, never by a scan from the
 * indicator's start over the deleted ones. They are let go in batches: up to {@link #slack} more than the cap are
 * stored, and the oldest after the first go together when that is exceeded; readers see the cap all the same. Why:
 * letting one go per report cost a RocksDB seek and read per report of every number past the cap, 60 % of the
 * stream thread's RocksDB time in the full benchmark's drain (the hot numbers of a Zipf mix are always past it);
 * one seek per {@link #slack} reports costs next to nothing. Bounded in
 * time: a report older than {@link Rules.Campaigns#evidenceRetention()} (wall clock, from its event time) is let
 * go by a sweep over the heads, a bounded batch per expiry check with a cursor (no scan of the store on the stream
 * thread); an indicator's head says when its oldest report falls due.
 */
final class EvidenceStore {

    static final String STORE = "indicator-evidence";
    static final String HEADS = "indicator-evidence-heads";
    private static final char SEPARATOR = '\u0000';
    /** Sorts after {@link #SEPARATOR} and before anything an indicator's keys hold there: the end of its range. */
    private static final char END = '\u0001';
    private static final String ZEROS = "0000000000000";
    private static final long LATEST_TIME = 9_999_999_999_999L;

    /**
     * What is kept of one indicator.
     *
     * @param count     reports kept
     * @param earliest  key suffix (time and id) of the oldest kept
     * @param second    key suffix of the next oldest, null when only one is kept
     * @param truncated whether reports were let go (the cap, or their age)
     */
    record Head(int count, String earliest, String second, boolean truncated) {

        /** Whether readers miss reports: some were let go, or more than {@code cap} wait for the next trim. */
        boolean readersMissSome(int cap) {
            return truncated || count > cap;
        }
    }

    private final KeyValueStore<String, ReportEvidence> records;
    private final KeyValueStore<String, Head> heads;
    private final Rules rules;
    /** Where the retention sweep goes on; null to start from the first head. */
    private String sweepFrom;

    EvidenceStore(ProcessorContext<?, ?> context, Rules rules) {
        this.records = context.getStateStore(STORE);
        this.heads = context.getStateStore(HEADS);
        this.rules = rules;
    }

    /** The two stores, for the processor that keeps the evidence to be connected to. */
    static void addStores(StreamsBuilder builder) {
        // No record cache for the records: each key is written once, so it would only buffer a second copy.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                new ReportEvidenceSerde()).withCachingDisabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HEADS), Serdes.String(),
                new HeadSerde()).withCachingEnabled());
    }

    /** The report as the police see it: ingest's redacted, pseudonymised fields. */
    static ReportEvidence of(IndicatorEvent event) {
        return new ReportEvidence(event.getReportId(), event.getOccurredAt(), event.getReceivedAt(),
                event.getProvince(), event.getChannel().name(),
                event.getContactMethod() == null ? null : event.getContactMethod().name(),
                event.getRequested().stream().map(Enum::name).toList(), event.getAmountLostVnd(), event.getNotes(),
                event.getSubmittedBy(), event.getReporterPseudonym(), List.copyOf(event.getCoIndicators()));
    }

    /**
     * Keeps the report for its indicator, unless it is kept already or older than the retention; lets the oldest
     * after the first go, down to the cap, when the indicator stores more than the cap and its slack.
     */
    void keep(String indicator, IndicatorEvent event, long now) {
        long eventTime = IndicatorEvents.eventTime(event);
        if (eventTime < now - rules.campaigns().evidenceRetention().toMillis()) {
            return;
        }
        String suffix = suffix(eventTime, event.getReportId());
        String key = prefix(indicator) + suffix;
        if (records.get(key) != null) {
            return; // seen again: the same report, kept once
        }
        records.put(key, of(event));
        Head head = heads.get(indicator);
        Head next;
        if (head == null) {
            next = new Head(1, suffix, null, false);
        } else if (suffix.compareTo(head.earliest()) < 0) {
            // An older report (a late one): the old earliest is now the second, and older than the old second.
            next = new Head(head.count() + 1, suffix, head.earliest(), head.truncated());
        } else {
            next = new Head(head.count() + 1, head.earliest(), head.second() == null
                    || suffix.compareTo(head.second()) < 0 ? suffix : head.second(), head.truncated());
        }
        int cap = rules.campaigns().evidenceReports();
        if (next.count() > cap + slack(cap)) {
            next = trim(indicator, next, cap);
        }
        heads.put(indicator, next);
    }

    /** How many more than {@code cap} reports an indicator may store before the oldest after the first go. */
    static int slack(int cap) {
        return Math.max(1, cap / 8);
    }

    /**
     * Lets the oldest reports after the first go until {@code cap} are left: one seek to the second-oldest, then
     * the keys in order; the first one kept becomes the second.
     */
    private Head trim(String indicator, Head head, int cap) {
        int excess = head.count() - cap;
        List<String> dropped = new ArrayList<>(excess);
        String second = null;
        try (var rest = records.range(prefix(indicator) + head.second(), end(indicator))) {
            while (rest.hasNext() && second == null) {
                String key = rest.next().key;
                if (dropped.size() < excess) {
                    dropped.add(key);
                } else {
                    second = suffixOf(key);
                }
            }
        }
        dropped.forEach(records::delete);
        return new Head(head.count() - dropped.size(), head.earliest(), second, true);
    }

    /** The reports the indicator's readers get, oldest first. */
    List<ReportEvidence> reports(String indicator) {
        return reports(records, indicator, rules.campaigns().evidenceReports());
    }

    /**
     * The same from a store an interactive query opened: the first report kept and the newest, {@code cap} in all
     * (the store may hold up to {@link #slack} more until the next trim).
     */
    static List<ReportEvidence> reports(ReadOnlyKeyValueStore<String, ReportEvidence> store, String indicator,
                                        int cap) {
        List<ReportEvidence> reports = new ArrayList<>();
        try (var kept = store.prefixScan(prefix(indicator), new StringSerializer())) {
            kept.forEachRemaining(entry -> reports.add(entry.value));
        }
        if (reports.size() <= cap) {
            return reports;
        }
        List<ReportEvidence> shown = new ArrayList<>(cap);
        shown.add(reports.get(0));
        shown.addAll(reports.subList(reports.size() - (cap - 1), reports.size()));
        return shown;
    }

    /**
     * Wall-clock, bounded: the next {@link Rules#sweepBatch()} heads from where the last sweep stopped; the reports
     * of each whose oldest is past the retention are let go up to the first that is not.
     */
    void sweep(long now) {
        long horizon = now - rules.campaigns().evidenceRetention().toMillis();
        List<KeyValue<String, Head>> due = new ArrayList<>();
        String last = null;
        int seen = 0;
        try (var all = heads.range(sweepFrom, null)) {
            while (all.hasNext() && seen < rules.sweepBatch()) {
                KeyValue<String, Head> entry = all.next();
                last = entry.key;
                seen++;
                if (timeOf(entry.value.earliest()) < horizon) {
                    due.add(entry);
                }
            }
            sweepFrom = all.hasNext() ? last + SEPARATOR : null;
        }
        due.forEach(entry -> expire(entry.key, entry.value, horizon));
    }

    /** Lets the reports older than {@code horizon} go: the earliest, then from the second on while they are due. */
    private void expire(String indicator, Head head, long horizon) {
        List<String> expired = new ArrayList<>(List.of(prefix(indicator) + head.earliest()));
        String earliest = null;
        String second = null;
        if (head.second() != null) {
            try (var rest = records.range(prefix(indicator) + head.second(), end(indicator))) {
                while (rest.hasNext() && second == null) {
                    String key = rest.next().key;
                    String suffix = suffixOf(key);
                    if (earliest != null) {
                        second = suffix;
                    } else if (timeOf(suffix) < horizon) {
                        expired.add(key);
                    } else {
                        earliest = suffix;
                    }
                }
            }
        }
        expired.forEach(records::delete);
        if (earliest == null) {
            heads.delete(indicator);
        } else {
            heads.put(indicator, new Head(head.count() - expired.size(), earliest, second, true));
        }
    }

    static String prefix(String indicator) {
        return indicator + SEPARATOR;
    }

    private static String end(String indicator) {
        return indicator + END;
    }

    /** Zero-padded so that the store's byte order is the order of event times; then the report id. */
    static String suffix(long eventTime, String reportId) {
        String digits = Long.toString(Math.min(Math.max(eventTime, 0), LATEST_TIME));
        return ZEROS.substring(digits.length()) + digits + reportId;
    }

    private static String suffixOf(String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    private static long timeOf(String suffix) {
        return Long.parseLong(suffix, 0, ZEROS.length(), 10);
    }

    private static String idOf(String suffix) {
        return suffix.substring(ZEROS.length());
    }

    /**
     * A head in a few bytes, written once per commit for every indicator reported in it: a bit set (second present,
     * truncated), the count, the two keys' times (the second's as a delta) and report ids (a UUID's 16 bytes).
     */
    static final class HeadSerde implements SelfSerde<Head> {

        private static final int SECOND = 1;
        private static final int TRUNCATED = 1 << 1;

        @Override
        public byte[] serialize(String topic, Head head) {
            if (head == null) {
                return null;
            }
            return CompactEncoding.encode(CompactEncoding.NO_FORMAT, 48, out -> {
                out.writeInt((head.second() != null ? SECOND : 0) | (head.truncated() ? TRUNCATED : 0));
                out.writeInt(head.count());
                long earliest = timeOf(head.earliest());
                out.writeLong(earliest);
                ReportEvidenceSerde.writeReportId(out, idOf(head.earliest()));
                if (head.second() != null) {
                    out.writeLong(timeOf(head.second()) - earliest);
                    ReportEvidenceSerde.writeReportId(out, idOf(head.second()));
                }
            }, () -> "an evidence head for " + topic);
        }

        @Override
        public Head deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(data, null);
            try {
                int flags = in.readInt();
                if ((flags & ~(SECOND | TRUNCATED)) != 0) {
                    throw new SerializationException("unknown evidence head flags " + Integer.toHexString(flags));
                }
                int count = in.readInt();
                long earliest = in.readLong();
                String earliestSuffix = suffix(earliest, ReportEvidenceSerde.readReportId(in));
                String second = (flags & SECOND) != 0
                        ? suffix(earliest + in.readLong(), ReportEvidenceSerde.readReportId(in)) : null;
                return new Head(count, earliestSuffix, second, (flags & TRUNCATED) != 0);
            } catch (IOException e) {
                throw new SerializationException("cannot read an evidence head from " + topic, e);
            }
        }
    }
}
