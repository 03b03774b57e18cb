package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.IndicatorKind;

class IndicatorTest {

    /** UNKNOWN is only what a reader makes of a kind a newer producer added: it names nothing that can be listed. */
    @Test
    void theUnknownKindIsNoIndicator() {
        assertThatThrownBy(() -> new Indicator(IndicatorKind.UNKNOWN, "anything"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNKNOWN");
        assertThat(Indicator.parseKey("unknown:anything")).isEmpty();
        assertThat(Indicator.parseKey("UNKNOWN:anything")).isEmpty();
        assertThat(Indicator.parseKey("tel:+84904038115")).contains(Indicator.phone("+84904038115"));
    }
}
