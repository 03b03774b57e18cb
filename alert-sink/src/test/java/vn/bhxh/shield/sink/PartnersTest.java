package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A partner's key is rotated by listing the new key beside the old one, then removing the old (docs/runbook.md). */
class PartnersTest {

    @Test
    void aPartnerMayHoldTwoKeysWhileItMovesToTheNewOne() {
        Partners overlapping = Partners.parse("viettel:viettel-old-key,vnpt:vnpt-key-1,viettel:viettel-new-key");
        assertThat(overlapping.authenticate("Bearer viettel-old-key")).contains("viettel");
        assertThat(overlapping.authenticate("Bearer viettel-new-key")).contains("viettel");
        assertThat(overlapping.authenticate("Bearer vnpt-key-1")).contains("vnpt");

        Partners rotated = Partners.parse("vnpt:vnpt-key-1,viettel:viettel-new-key");
        assertThat(rotated.authenticate("Bearer viettel-old-key")).isEmpty();
        assertThat(rotated.authenticate("Bearer viettel-new-key")).contains("viettel");
    }

    @Test
    void refusesOneKeyForTwoPartnersAndShortKeys() {
        assertThatThrownBy(() -> Partners.parse("viettel:shared-key-1,vnpt:shared-key-1"))
                .hasMessageContaining("viettel and vnpt have the same key");
        assertThatThrownBy(() -> Partners.parse("viettel:short")).hasMessageContaining("at least 8 characters");
        assertThat(Partners.parse("").authenticate("Bearer anything-at-all")).isEmpty();
    }
}
