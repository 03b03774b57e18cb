package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.sink.CitizenCheck.Answer;
import vn.bhxh.shield.sink.CitizenCheck.Verdict;

/** The citizen's answer as a pure function: each verdict, its Vietnamese sentence, nothing of the listing leaked. */
class CitizenCheckTest {

    private static final Normaliser NORMALISER = new Normaliser();
    private static final Instant LISTED_AT = Instant.parse("2026-11-20T18:30:00Z");

    @Test
    void aListedNumberInAnySpellingIsListedSinceItsDayInVietnam() throws Exception {
        for (String typed : List.of("0904.038.115", "+84 904 038 115", "84904038115", "tel:+84904038115")) {
            Answer answer = check(typed, Optional.of(listing("tel:+84904038115")), Optional.empty());

            assertThat(answer.verdict()).as(typed).isEqualTo(Verdict.LISTED);
            assertThat(answer.since()).isEqualTo(LISTED_AT);
            // 18:30 UTC is past midnight in Vietnam (UTC+7): the day a citizen would say.
            assertThat(answer.message()).startsWith("Số này đã bị đưa vào danh sách lừa đảo giả danh BHXH từ ngày "
                    + "21/11/2026.");
            JsonNode json = SinkJson.MAPPER.readTree(SinkJson.write(answer.json()));
            assertThat(json.path("query").asText()).isEqualTo(typed);
            assertThat(json.path("indicator").path("key").asText()).isEqualTo("tel:+84904038115");
            assertThat(json.path("indicator").path("display").asText()).isEqualTo("0904 038 115");
            assertThat(json.path("indicator").path("kind").asText()).isEqualTo("PHONE");
            assertThat(json.path("since").asText()).isEqualTo("2026-11-20T18:30:00Z");
        }
    }

    @Test
    void theAnswerTellsNothingOfTheListingButItsDay() throws Exception {
        Answer answer = check("0904038115", Optional.of(listing("tel:+84904038115")), Optional.empty());
        JsonNode json = SinkJson.MAPPER.readTree(SinkJson.write(answer.json()));

        assertThat(json.fieldNames()).toIterable()
                .containsExactly("query", "indicator", "verdict", "since", "message", "advice");
        assertThat(json.path("indicator").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("key", "display", "kind");
        // The listing's reason names who confirmed it, its counts and provinces say how and where it was reported.
        assertThat(json.toString()).doesNotContain("Công an tỉnh Thanh Hóa", "thanh-hoa", "17", "42", "CONFIRMED",
                "POLICE");
    }

    @Test
    void anOfficialChannelIsOfficialWithItsNameAndAWarningAboutSpoofing() {
        Answer answer = check("1900 9068", Optional.empty(),
                Optional.of("Tổng đài chăm sóc khách hàng BHXH Việt Nam"));

        assertThat(answer.verdict()).isEqualTo(Verdict.OFFICIAL);
        assertThat(answer.since()).isNull();
        assertThat(answer.message()).startsWith("Đây là kênh chính thức của BHXH: Tổng đài chăm sóc khách hàng BHXH "
                + "Việt Nam.").contains("giả số");
        assertThat(answer.json()).doesNotContainKey("since");
    }

    @Test
    void anInboundOnlyNumberIsOneBhxhNeverCallsFromSoACallShowingItIsFake() {
        Answer inboundOnly = CitizenCheck.answer("19009068", NORMALISER.keyOrAny("19009068"), Optional.empty(),
                Optional.of(channel("Tổng đài chăm sóc khách hàng BHXH Việt Nam", true)));

        assertThat(inboundOnly.verdict()).isEqualTo(Verdict.OFFICIAL);
        assertThat(inboundOnly.message()).startsWith("Đây là kênh chính thức của BHXH: Tổng đài chăm sóc khách hàng "
                + "BHXH Việt Nam. BHXH không bao giờ gọi cho người dân từ số này").contains("là giả mạo");
        assertThat(check("1900 9068", Optional.empty(), Optional.of("Tổng đài")).message())
                .as("a number BHXH may call out from").doesNotContain(CitizenCheck.NEVER_CALLS_FROM);
    }

    @Test
    void anOfficialChannelWinsOverAListingThatSlippedThrough() {
        assertThat(check("1900 9068", Optional.of(listing("tel:+8419009068")), Optional.of("Tổng đài")).verdict())
                .isEqualTo(Verdict.OFFICIAL);
    }

    @Test
    void anythingElseHasNoReportsAndIsToldToStayCareful() {
        Answer phone = check("0909 000 111", Optional.empty(), Optional.empty());
        Answer link = check("hxxps://bad-bhxh[.]com/cap-nhat", Optional.empty(), Optional.empty());

        assertThat(phone.verdict()).isEqualTo(Verdict.NO_REPORTS);
        assertThat(phone.message()).isEqualTo("Chưa có báo cáo nào về số này — hãy luôn cảnh giác: BHXH không bao giờ "
                + "gọi điện đòi mã OTP, mật khẩu, tiền hay yêu cầu lên cơ quan để cập nhật VssID.");
        assertThat(link.verdict()).isEqualTo(Verdict.NO_REPORTS);
        assertThat(link.indicator().key()).isEqualTo("domain:bad-bhxh.com");
        assertThat(link.message()).startsWith("Chưa có báo cáo nào về tên miền này");
        assertThat(link.advice()).isEqualTo(CitizenCheck.ADVICE);
    }

    @Test
    void whatIsNoNumberNorLinkIsInvalidWithTheNormalisersReason() {
        Answer tooShort = check("0904 038", Optional.empty(), Optional.empty());
        Answer empty = check("", Optional.empty(), Optional.empty());

        assertThat(tooShort.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(tooShort.indicator()).isNull();
        assertThat(tooShort.message()).isEqualTo(((Normalisation.Rejected) NORMALISER.keyOrAny("0904 038"))
                .messageVi());
        assertThat(empty.verdict()).isEqualTo(Verdict.INVALID);
        assertThat(empty.message()).isEqualTo("Chưa nhập thông tin.");
    }

    @Test
    void theAdviceIsBhxhsOwn() {
        assertThat(String.join(" ", CitizenCheck.ADVICE))
                .contains("OTP", "mật khẩu", "Zalo", "VssID", "lên trụ sở", "link", "miễn phí", "1900 9068");
    }

    /** {@code official}: the name of the official channel covering it, not inbound-only. */
    private static Answer check(String typed, Optional<BlocklistEntry> listing, Optional<String> official) {
        return CitizenCheck.answer(typed, NORMALISER.keyOrAny(typed), listing,
                official.map(name -> channel(name, false)));
    }

    private static AllowlistEntry channel(String name, boolean inboundOnly) {
        return AllowlistEntry.newBuilder().setIndicator("tel:+8419009068").setKind(IndicatorKind.PHONE).setName(name)
                .setIncludeSubdomains(false).setSource("seed:official-channels.csv")
                .setAddedAt(Instant.parse("2025-07-01T00:00:00Z")).setInboundOnly(inboundOnly).build();
    }

    private static BlocklistEntry listing(String indicator) {
        return BlocklistEntry.newBuilder().setIndicator(indicator).setKind(IndicatorKind.PHONE)
                .setStatus(BlocklistStatus.CONFIRMED).setReason("Công an tỉnh Thanh Hóa xác nhận")
                .setReasonCode(ListingReason.POLICE_CONFIRMED).setDistinctReporters(17).setWeightedReporters(17)
                .setReportCount(42).setProvinces(List.of("thanh-hoa")).setFirstSeen(LISTED_AT)
                .setLastSeen(LISTED_AT).setListedAt(LISTED_AT).setExpiresAt(null).build();
    }
}
