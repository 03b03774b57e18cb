package vn.bhxh.shield.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.ingest.intake.NoteIdentifiers.Found;

class NoteIdentifiersTest {

    private static final String SCAM = "tel:+84904038115";
    private static final String OWN = "tel:+84981112223";
    private final NoteIdentifiers notes = new NoteIdentifiers(new Normaliser());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Kẻ gian gọi từ 0904038115. Số của tôi 0981112223",
            "ke gian goi tu 0904038115, sdt cua toi: 0981112223",
            "Ke gian 0904038115. So toi 0981112223",
            "số điện thoại của em là 0981.112.223, kẻ gian dùng 0904 038 115",
            "SĐT của mình: 0981 112 223 - bị gọi từ 0904038115",
            "Liên hệ tôi qua số 0981112223, số lừa đảo 0904038115",
            "lien he lai voi toi qua so 0981112223, so lua dao 0904038115",
            "Gọi lại cho tôi theo số +84 981 112 223. Số 0904038115 gọi tự xưng BHXH",
            "Số 0904038115 gọi lừa. 0981112223 là số của tôi",
            "0981112223 (sđt của cháu) bị 0904038115 gọi",
            "zalo cua toi 0981112223, zalo ke gian 0904038115",
    })
    void aNumberTheWriterCallsTheirOwnIsMarkedAndTheScammersIsNot(String text) {
        assertThat(notes.read(text, Optional.empty()))
                .extracting(found -> found.indicator().key(), Found::writersOwn)
                .containsExactlyInAnyOrder(tuple(SCAM, false), tuple(OWN, true));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "Kẻ gian gọi cho tôi 0904038115",
            "Số gọi đến tôi là 0904038115",
            "Số lạ 0904038115 gọi cho tôi nói là cán bộ",
            "nó bảo tôi nhắn tin cho số 0904038115",
    })
    void aScammersNumberNearTheWordTôiIsNotTheWritersOwn(String text) {
        assertThat(notes.read(text, Optional.empty()))
                .extracting(found -> found.indicator().key(), Found::writersOwn)
                .containsExactly(tuple(SCAM, false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "STK của em ở Techcombank: 19034567890123, kẻ gian bảo chuyển vào Vietcombank 0123456789",
            "tai khoan cua toi Techcombank 19034567890123, ke gian bao chuyen vao Vietcombank 0123456789",
            "19034567890123 Techcombank là của em; nó bảo chuyển vào STK Vietcombank 0123456789",
    })
    void aBankAccountTheWriterCallsTheirOwnIsMarkedAndTheScammersIsNot(String text) {
        assertThat(notes.read(text, Optional.empty()))
                .extracting(found -> found.indicator().key(), Found::writersOwn)
                .containsExactlyInAnyOrder(tuple("bank:tcb:19034567890123", true), tuple("bank:vcb:0123456789", false));
    }

    @Test
    void aPhoneNumberReadIntoACitizenIdNumberIsTheWritersOwn() {
        assertThat(notes.read("Em tên Hoa, CCCD 038 190 012 345. Số 0904038115 gọi", Optional.empty()))
                .extracting(found -> found.indicator().key(), Found::writersOwn)
                .containsExactly(tuple("tel:+84190012345", true), tuple(SCAM, false));
        assertThat(notes.read("căn cước công dân: 0904038115", Optional.empty()))
                .singleElement().extracting(Found::writersOwn).isEqualTo(true);
    }

    @Test
    void theReportersNumberFromTheChannelIsTheirOwnInAnySpelling() {
        assertThat(notes.read("gọi 0981.112.223 và 0904038115, rồi số +84981112223",
                Optional.of(Indicator.phone("+84981112223"))))
                .extracting(found -> found.indicator().key(), Found::writersOwn)
                .containsExactly(tuple(OWN, true), tuple(SCAM, false));
    }

    @Test
    void oneMentionMarkedOwnMakesTheNumberOwn() {
        assertThat(notes.read("0981112223 gọi hỏi, số của tôi 0981112223", Optional.empty()))
                .singleElement().extracting(Found::writersOwn).isEqualTo(true);
        assertThat(notes.read("  ", Optional.empty())).isEmpty();
    }

    /** A Zalo account or a wallet is reached by a number: the reporter's own number in those forms is theirs too. */
    @Test
    void theReportersNumberIsTheirOwnAlsoAsAZaloAccount() {
        assertThat(notes.read("Zalo: 0981 112 223, kẻ gian bảo nạp vào ví MoMo 0904038115",
                Optional.of(Indicator.phone("+84981112223"))))
                .extracting(found -> found.indicator().key(), Found::writersOwn)
                .containsExactly(tuple("social:zalo:+84981112223", true), tuple("wallet:momo:+84904038115", false));
    }

    @Test
    void aWalletTheWriterCallsTheirOwnIsMarkedLikeABankAccount() {
        assertThat(notes.read("ví MoMo 0981112223 là tài khoản của tôi, kẻ gian bảo chuyển vào MoMo 0904038115",
                Optional.empty()))
                .extracting(found -> found.indicator().key(), Found::writersOwn)
                .containsExactly(tuple("wallet:momo:+84981112223", true), tuple("wallet:momo:+84904038115", false));
    }
}
