package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/**
 * What the indicator store's changelog receives, in bytes and records: the cost of state that exactly-once pays
 * on every commit (and a restore reads back).
 */
class IndicatorProcessorChangelogTest extends TopologyTestBase {

    private static final String STORE = IndicatorProcessor.STORE;
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
    private static final Rules RULES = Rules.from(Settings.of(Map.of()));
    private static final List<String> PROVINCES = List.of("thanh-hoa", "nghe-an", "ha-noi", "hue", "da-nang");
    private final IndicatorStateSerde serde = new IndicatorStateSerde();
    private int reports;

    @Override
    protected void buildTopology(StreamsBuilder builder, Topics topics) {
        ProcessorService.buildTopology(builder, topics, RULES, metrics);
    }

    /**
     * 200 citizens report a number over a day from five provinces (it is warned about and proposed on the way):
     * every report changes its state, and each change is one changelog record (the test driver commits after
     * every record), in format 3. A report too late to count, from a province and account the state already
     * knows, changes nothing and writes nothing.
     */
    @Test
    void writesEachChangedStateOnceInFormatThreeAndNothingForARecordThatChangesNothing() {
        int citizens = 200;
        for (int i = 0; i < citizens; i++) {
            send(report(RandomStates.pseudonym("citizen-" + i), PROVINCES.get(i % PROVINCES.size()),
                    T0.plus(Duration.ofMinutes(7L * i))));
        }
        List<byte[]> written = changelog();
        assertThat(written).hasSize(citizens).allSatisfy(bytes -> assertThat(bytes[0]).isEqualTo((byte) 3));
        long format3 = written.stream().mapToLong(bytes -> bytes.length).sum();
        long format2 = written.stream()
                .mapToLong(bytes -> StateFormat2.serialize(STORE, serde.deserialize(STORE, bytes)).length).sum();
        System.out.printf("changelog of %d reports: format 2 %d bytes, format 3 %d bytes (%.1f %%)%n", citizens,
                format2, format3, 100.0 * format3 / format2);
        // Measured: 40 % (docs/state-format.md).
        assertThat((double) format3 / format2).isLessThanOrEqualTo(0.45);

        send(report(RandomStates.pseudonym("citizen-0"), PROVINCES.get(0), T0.minus(Duration.ofDays(30))));
        assertThat(metrics.count("bhxh_processor_reports_too_late")).isEqualTo(1);
        assertThat(changelog()).isEmpty();
    }

    /**
     * The same 200 reports as above cost the evidence store one record each (key and value, below the cap no
     * delete), and its heads one small record per changed head and commit (the test driver commits after every
     * record; in production a hot number's head is written once per commit). The figures are in
     * docs/state-format.md.
     */
    @Test
    void theEvidenceStoreAddsOneSmallRecordPerReportBesideTheState() {
        int citizens = 200;
        for (int i = 0; i < citizens; i++) {
            send(report(RandomStates.pseudonym("citizen-" + i), PROVINCES.get(i % PROVINCES.size()),
                    T0.plus(Duration.ofMinutes(7L * i))));
        }
        List<TestRecord<String, byte[]>> evidence = changelog(EvidenceStore.STORE);
        List<TestRecord<String, byte[]>> heads = changelog(EvidenceStore.HEADS);
        assertThat(evidence).hasSize(citizens).allSatisfy(record -> assertThat(record.value()).isNotNull());
        long evidenceBytes = bytes(evidence);
        long headBytes = bytes(heads);
        long stateBytes = bytes(changelog(STORE));
        System.out.printf("evidence of %d reports: %d bytes (%.1f per report, key included); heads %d bytes in %d"
                        + " records (%.1f per record); the state's changelog of the same reports %d bytes (%.1f per"
                        + " report)%n", citizens, evidenceBytes, (double) evidenceBytes / citizens, headBytes,
                heads.size(), (double) headBytes / heads.size(), stateBytes, (double) stateBytes / citizens);
        assertThat(evidenceBytes / citizens).isLessThan(220);
        assertThat(headBytes / heads.size()).isLessThan(80);
    }

    private List<byte[]> changelog() {
        return changelog(STORE).stream().map(TestRecord::value).toList();
    }

    private List<TestRecord<String, byte[]>> changelog(String store) {
        return driver.createOutputTopic(getClass().getSimpleName() + "-" + store + "-changelog",
                        Serdes.String().deserializer(), Serdes.ByteArray().deserializer())
                .readRecordsToList();
    }

    /** Key and value, as the changelog topic and the store hold them. */
    private static long bytes(List<TestRecord<String, byte[]>> records) {
        return records.stream().mapToLong(record -> record.key().getBytes(StandardCharsets.UTF_8).length
                + (record.value() == null ? 0 : record.value().length)).sum();
    }

    private Report report(String reporter, String province, Instant at) {
        reports++;
        return Report.newBuilder()
                .setReportId(UUID.nameUUIDFromBytes(("r-" + reports).getBytes(StandardCharsets.UTF_8)).toString())
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym(reporter)
                .setProvince(province)
                .setPhoneNumbers(List.of("0904.038.115"))
                .setUrls(List.of())
                .setNotes("Tự xưng cán bộ BHXH, đòi mã OTP")
                .setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(30))
                .setSubmittedBy("operator-" + reports % 7)
                .build();
    }
}
