package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.sink.BlocklistView.Changes;
import vn.bhxh.shield.sink.BlocklistView.Gone;
import vn.bhxh.shield.sink.BlocklistView.Version;

/**
 * Changes since a version answered from the compacted topic's latest records, over a hand-moved clock: what the
 * feed tells, and when it must say 410 because the broker may have cleaned a tombstone away.
 */
class BlocklistViewTest {

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    private final MovableClock clock = new MovableClock(T0);
    private final BlocklistView view = new BlocklistView(2, 1, RETENTION, clock);

    @Test
    void changesAreTheIndicatorsWhoseLatestRecordIsAtOrAfterTheVersion() {
        list(0, 0, "tel:+84901000001");
        list(1, 0, "tel:+84901000002");
        Version partner = view.snapshot().version();

        clock.advance(Duration.ofHours(1));
        list(0, 1, "tel:+84901000003");
        lift(1, 1, "tel:+84901000002");

        Changes changes = (Changes) view.changesSince(partner);
        assertThat(changes.upserted()).extracting(BlocklistEntry::getIndicator).containsExactly("tel:+84901000003");
        assertThat(changes.removed()).containsExactly("tel:+84901000002");
        assertThat(changes.version()).isEqualTo(new Version(new long[] {2, 2, 0}));
        assertThat(view.changesSince(changes.version())).isInstanceOfSatisfying(Changes.class,
                none -> assertThat(none.upserted()).isEmpty());
    }

    @Test
    void anOfficialChannelAllowlistedSinceIsRemovedAndALiftedOneShowsItsListingsAgain() {
        list(0, 0, "url:https://hanoi.baohiemxahoi.gov.vn/tra-cuu");
        Version before = view.snapshot().version();
        view.applyAllowlist(0, 0, T0.toEpochMilli(), "domain:baohiemxahoi.gov.vn", official(true));

        Changes allowlisted = (Changes) view.changesSince(before);
        assertThat(allowlisted.removed()).containsExactly("url:https://hanoi.baohiemxahoi.gov.vn/tra-cuu");
        Version hidden = allowlisted.version();

        view.applyAllowlist(0, 1, T0.toEpochMilli(), "domain:baohiemxahoi.gov.vn", null);
        Changes lifted = (Changes) view.changesSince(hidden);
        assertThat(lifted.upserted()).extracting(BlocklistEntry::getIndicator)
                .containsExactly("url:https://hanoi.baohiemxahoi.gov.vn/tra-cuu");
    }

    @Test
    void aVersionIsGoneOnlyOnceWhatWasWrittenAfterItMayHaveLostTombstones() {
        list(0, 0, "tel:+84901000001");
        Version partner = view.snapshot().version();
        clock.advance(Duration.ofDays(1));
        lift(0, 1, "tel:+84901000001");
        list(0, 2, "tel:+84901000004");

        clock.advance(RETENTION.minus(BlocklistView.CLOCK_MARGIN).minusSeconds(1));
        assertThat(view.changesSince(partner)).as("the tombstone at the version is still kept")
                .isInstanceOf(Changes.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(view.changesSince(partner)).isInstanceOf(Gone.class);
        assertThat(view.changesSince(new Version(new long[] {0, 0, 0}))).as("a partner that held nothing")
                .isInstanceOf(Changes.class);
        assertThat(view.changesSince(view.snapshot().version())).as("nothing written since")
                .isInstanceOf(Changes.class);
    }

    @Test
    void aRecordSupersededSinceStillTellsWhenTheRecordsAfterItWereWritten() {
        list(0, 0, "tel:+84901000001");
        Version partner = view.snapshot().version();
        clock.advance(Duration.ofDays(3));
        list(0, 1, "tel:+84901000002");
        list(0, 2, "tel:+84901000002"); // offset 1, where the partner's version points, is superseded

        clock.advance(RETENTION.minus(BlocklistView.CLOCK_MARGIN).minusSeconds(1));
        assertThat(view.changesSince(partner)).as("judged from offset 1, read three days after offset 0")
                .isInstanceOf(Changes.class);
        clock.advance(Duration.ofSeconds(1));
        assertThat(view.changesSince(partner)).isInstanceOf(Gone.class);
    }

    /** The processor writes every official channel again at every start: partners' versions stay answered. */
    @Test
    void theAllowlistWrittenAgainAtEveryProcessorStartKeepsVersionsAnswered() {
        list(0, 0, "url:https://hanoi.baohiemxahoi.gov.vn/tra-cuu");
        view.applyAllowlist(0, 0, clock.millis(), "domain:baohiemxahoi.gov.vn", official(true));
        Version partner = view.snapshot().version();
        for (long offset = 1; offset <= 3; offset++) {
            clock.advance(Duration.ofHours(1));
            view.applyAllowlist(0, offset, clock.millis(), "domain:baohiemxahoi.gov.vn", official(true));
        }

        Changes changes = (Changes) view.changesSince(partner);
        assertThat(changes.upserted()).isEmpty();
        assertThat(changes.removed()).as("hidden all along, named again only to drop it")
                .containsExactly("url:https://hanoi.baohiemxahoi.gov.vn/tra-cuu");
    }

    /**
     * A partner following phones only: its version moves with phones alone, and stays answered however long no
     * phone changes, while other kinds keep being written (else it would be told 410 and get the same version again).
     */
    @Test
    void aKindsVersionMovesOnlyWithThatKindAndStaysAnsweredWhileThatKindDoesNotChange() {
        Optional<IndicatorKind> phones = Optional.of(IndicatorKind.PHONE);
        list(0, 0, "tel:+84901000001");
        list(1, 0, "domain:lua-dao.vn");
        Version partner = view.snapshot(phones).version();
        assertThat(partner).isEqualTo(new Version(new long[] {1, 0, 0}));
        assertThat(view.snapshot(phones).entries()).extracting(BlocklistEntry::getIndicator)
                .containsExactly("tel:+84901000001");

        clock.advance(Duration.ofDays(1));
        list(0, 1, "domain:lua-dao-2.vn");
        lift(1, 1, "domain:lua-dao.vn");
        assertThat(view.snapshot(phones).version()).isEqualTo(partner);
        clock.advance(RETENTION.plusDays(1));
        list(0, 2, "domain:lua-dao-3.vn");
        assertThat(view.changesSince(partner, phones)).as("no phone written since: nothing of it lost")
                .isInstanceOfSatisfying(Changes.class, none -> {
                    assertThat(none.upserted()).isEmpty();
                    assertThat(none.removed()).isEmpty();
                    assertThat(none.version()).isEqualTo(partner);
                });

        list(0, 3, "tel:+84901000002");
        lift(0, 4, "tel:+84901000001");
        assertThat(view.changesSince(partner, phones)).as("the first change after weeks of quiet: other kinds' "
                + "records since are too old to tell whether a phone's tombstone among them was cleaned")
                .isInstanceOf(Gone.class);

        Version again = view.snapshot(phones).version();
        clock.advance(Duration.ofHours(1));
        list(0, 5, "domain:lua-dao-4.vn");
        list(0, 6, "tel:+84901000003");
        lift(0, 7, "tel:+84901000002");
        Changes changes = (Changes) view.changesSince(again, phones);
        assertThat(changes.upserted()).extracting(BlocklistEntry::getIndicator).containsExactly("tel:+84901000003");
        assertThat(changes.removed()).containsExactly("tel:+84901000002");
        assertThat(changes.version()).isEqualTo(new Version(new long[] {8, 0, 0}))
                .isEqualTo(view.snapshot(phones).version());
        assertThat(changes.checksum()).isEqualTo(view.snapshot(phones).checksum());
    }

    private void list(int partition, long offset, String indicator) {
        view.applyBlocklist(partition, offset, clock.millis(), indicator, BlocklistEntry.newBuilder()
                .setIndicator(indicator)
                .setKind(Indicator.parseKey(indicator).orElseThrow().kind())
                .setStatus(BlocklistStatus.LISTED)
                .setReason("5 người báo cáo")
                .setDistinctReporters(5).setWeightedReporters(5).setReportCount(5)
                .setProvinces(List.of("ha-noi"))
                .setFirstSeen(clock.instant()).setLastSeen(clock.instant()).setListedAt(clock.instant())
                .build());
    }

    private void lift(int partition, long offset, String indicator) {
        view.applyBlocklist(partition, offset, clock.millis(), indicator, null);
    }

    private static AllowlistEntry official(boolean subdomains) {
        return AllowlistEntry.newBuilder().setIndicator("domain:baohiemxahoi.gov.vn").setKind(IndicatorKind.DOMAIN)
                .setName("BHXH Việt Nam").setIncludeSubdomains(subdomains).setSource("test").setAddedAt(T0).build();
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
