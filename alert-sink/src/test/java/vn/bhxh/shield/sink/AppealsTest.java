package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.schema.AppealStatus;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;

class AppealsTest {

    private static final Normaliser NORMALISER = new Normaliser();
    private static final String EXPLANATION = "Đây là số của cửa hàng tôi từ năm 2015, không phải lừa đảo.";
    private static final Instant AT = Instant.parse("2026-12-05T08:00:00Z");

    @Test
    void anIndicatorInAnySpellingIsCanonicalAndTheContactIsAPhoneOrAnEmail() {
        Appeals.Checked checked = Appeals.check(NORMALISER, "0084 (904) 038.115", "0912.345.678", EXPLANATION);
        assertThat(checked).isInstanceOf(Appeals.Valid.class);
        Appeals.Request request = ((Appeals.Valid) checked).request();
        assertThat(request.indicator().key()).isEqualTo("tel:+84904038115");
        assertThat(request.contact()).isEqualTo("+84912345678");
        assertThat(request.explanation()).isEqualTo(EXPLANATION);

        assertThat(Appeals.contact(NORMALISER, "Chu.Cua-Hang+bhxh@Example.COM.vn")).hasValue("Chu.Cua-Hang+bhxh@example.com.vn");
        assertThat(Appeals.contact(NORMALISER, "01683 456 789")).as("old 11-digit prefix").hasValue("+84383456789");
        assertThat(Appeals.contact(NORMALISER, "ten@localhost")).isEmpty();
        assertThat(Appeals.contact(NORMALISER, "ten@@example.com")).isEmpty();
        assertThat(Appeals.contact(NORMALISER, "a b@example.com")).isEmpty();
        assertThat(Appeals.contact(NORMALISER, "12345")).isEmpty();
        assertThat(Appeals.contact(NORMALISER, "x".repeat(250) + "@example.com")).isEmpty();
    }

    @Test
    void everyBadFieldGetsItsOwnVietnameseMessage() {
        Appeals.Checked checked = Appeals.check(NORMALISER, "0904 03", "không có", "ngắn");
        assertThat(checked).isInstanceOf(Appeals.Invalid.class);
        var errors = ((Appeals.Invalid) checked).errors();
        assertThat(errors).extracting(Appeals.FieldError::field).containsExactly("indicator", "contact", "explanation");
        assertThat(errors.get(0).message()).contains("thiếu chữ số");
        assertThat(errors.get(1).message()).contains("email");
        assertThat(errors.get(2).message()).contains("20");
        assertThat(((Appeals.Invalid) Appeals.check(NORMALISER, null, null, null)).errors()).hasSize(3);
        assertThat(((Appeals.Invalid) Appeals.check(NORMALISER, "x".repeat(301), "0912345678", EXPLANATION))
                .errors()).extracting(Appeals.FieldError::field).containsExactly("indicator");
    }

    @Test
    void receiptsAre128RandomBitsAndOnlyWellFormedOnesAreLookedUp() {
        SecureRandom random = new SecureRandom();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = Appeals.newId(random);
            assertThat(Appeals.wellFormedId(id)).isTrue();
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
        assertThat(Appeals.wellFormedId("../../etc/passwd")).isFalse();
        assertThat(Appeals.wellFormedId(null)).isFalse();
    }

    @Test
    void aDelistDecisionCarriesTheAppealAndTheOfficerAndTheAppealTakesItsOutcome() {
        Appeal open = open();
        Decision delist = Appeals.decision(open, DecisionAction.DELIST, "quocgia1", "  Đã xác minh chủ thuê bao.  ",
                "d-1", AT.plusSeconds(60));
        assertThat(delist.getAppealId()).isEqualTo(open.getAppealId());
        assertThat(delist.getIndicator()).isEqualTo("tel:+84904038115");
        assertThat(delist.getActor()).isEqualTo("quocgia1");
        assertThat(delist.getProvince()).as("national").isNull();
        assertThat(delist.getReason()).isEqualTo("Đã xác minh chủ thuê bao.");

        Appeal delisted = Appeals.decided(open, delist);
        assertThat(delisted.getStatus()).isEqualTo(AppealStatus.DELISTED);
        assertThat(delisted.getDecidedBy()).isEqualTo("quocgia1");
        assertThat(delisted.getDecisionId()).isEqualTo("d-1");
        assertThat(delisted.getSealedContact()).isEqualTo(open.getSealedContact());
        assertThat(Appeals.decided(open, Appeals.decision(open, DecisionAction.KEEP, "quocgia1", "Công an xác nhận.",
                "d-2", AT)).getStatus()).isEqualTo(AppealStatus.KEPT);
        assertThatThrownBy(() -> Appeals.decision(open, DecisionAction.CONFIRM, "quocgia1", "lý do dài", "d-3", AT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Appeals.reasonProblem(" ok ")).isPresent();
        assertThat(Appeals.reasonProblem(null)).isPresent();
        assertThat(Appeals.reasonProblem("Đã xác minh.")).isEmpty();
    }

    @Test
    void aDecidedAppealNeverReopensAndTheFirstDecisionStands() {
        Appeal open = open();
        Appeal kept = Appeals.decided(open, Appeals.decision(open, DecisionAction.KEEP, "a", "giữ nguyên", "d-1", AT));
        Appeal delisted = Appeals.decided(open, Appeals.decision(open, DecisionAction.DELIST, "b", "gỡ bỏ", "d-2", AT));
        assertThat(Appeals.later(null, open)).isEqualTo(open);
        assertThat(Appeals.later(open, kept)).isEqualTo(kept);
        assertThat(Appeals.later(kept, open)).as("an instance's own open record read back late").isEqualTo(kept);
        assertThat(Appeals.later(kept, delisted)).isEqualTo(kept);
    }

    private static Appeal open() {
        return Appeals.open("AAAAAAAAAAAAAAAAAAAAAA", Indicator.phone("+84904038115"),
                ByteBuffer.wrap(new byte[] {1}), ByteBuffer.wrap(new byte[] {2}), AT);
    }
}
