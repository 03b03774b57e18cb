package vn.bhxh.shield.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.lookup.IndicatorStatus.Status;

class LookupExplanationTest {

    private static final Instant LISTED = Instant.parse("2026-11-20T02:15:00Z");

    private static IndicatorStatus status(Status status, int reportsThisWeek) {
        IndicatorStatus.Counts week = new IndicatorStatus.Counts(reportsThisWeek, reportsThisWeek, reportsThisWeek,
                List.of("thanh-hoa"), Map.of());
        return new IndicatorStatus("tel:+84904038115", "0904 038 115", "PHONE", status, week, week, LISTED, LISTED,
                status == Status.LISTED || status == Status.CONFIRMED ? LISTED : null, null, List.of(),
                List.of("thanh-hoa"), Map.of(), null, status == Status.PROPOSED ? LISTED : null, false, null, List.of());
    }

    @Test
    void aListedNumberSaysSinceWhenInVietnamTimeAndWhatToTellTheCaller() {
        LookupExplanation said = LookupExplanation.of(status(Status.CONFIRMED, 4));

        assertThat(said.tone()).isEqualTo("listed");
        assertThat(said.headline()).isEqualTo("Đã bị chặn từ 09:15 ngày 20/11/2026, công an đã xác nhận. "
                + "4 báo cáo trong 7 ngày qua.");
        assertThat(said.advice()).contains("số lừa đảo");
    }

    @Test
    void aProposalSaysItAwaitsAnOfficer() {
        assertThat(LookupExplanation.of(status(Status.PROPOSED, 12)).headline())
                .isEqualTo("Đang chờ cán bộ xem xét để chặn từ 09:15 ngày 20/11/2026. 12 báo cáo trong 7 ngày qua.");
    }

    @Test
    void reportsBelowTheThresholdsAreCountedAndNoneAtAllIsSaidPlainly() {
        assertThat(LookupExplanation.of(status(Status.NOT_LISTED, 2)).headline())
                .isEqualTo("Đã có 2 báo cáo trong 7 ngày qua, chưa đủ để đề xuất chặn.");
        assertThat(LookupExplanation.of(status(Status.NOT_LISTED, 0))).isEqualTo(LookupExplanation.unreported());
    }

    @Test
    void noStatusCodeReachesTheOperator() {
        for (Status each : Status.values()) {
            LookupExplanation said = LookupExplanation.of(status(each, 3));
            assertThat(said.headline() + said.advice()).doesNotContain(each.name()).isNotBlank();
        }
    }

    @Test
    void anOfficialChannelIsExplainedEvenWhenTheProcessorCannotBeAsked() {
        Indicator hotline = new Normaliser().phone("1900 9068").accepted().orElseThrow();
        ProcessorLookup.Answer down = new ProcessorLookup.Answer(ProcessorLookup.Availability.UNAVAILABLE, null);

        LookupExplanation said = ReportsApi.explain(hotline, down);

        assertThat(said.tone()).isEqualTo("official");
        assertThat(said.advice()).contains("OTP", "mật khẩu", "chuyển tiền", "1900 9068");
        Indicator fresh = new Normaliser().phone("0904 038 115").accepted().orElseThrow();
        assertThat(ReportsApi.explain(fresh, down)).isEqualTo(LookupExplanation.unavailable());
    }
}
