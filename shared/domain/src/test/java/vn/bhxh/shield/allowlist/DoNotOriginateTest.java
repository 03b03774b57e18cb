package vn.bhxh.shield.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.DoNotOriginateEntry;

/** The Do-Not-Originate list as a pure function of the seed and what the topic holds. */
class DoNotOriginateTest {

    private static final String HEADER = "identifier,name,include_subdomains,added_at,inbound_only";
    private static final String NATIONAL = "tel:+8419009068";
    private static final String HA_NOI = "tel:+842437236555";

    @Test
    void theSeedPublishesTheNationalServiceNumberWithItsDisplayNameAndDay() {
        assertThat(DoNotOriginate.entries(OfficialChannels.all())).containsOnlyKeys(NATIONAL);
        DoNotOriginateEntry national = DoNotOriginate.entries(OfficialChannels.all()).get(NATIONAL);

        assertThat(national.getNumber()).isEqualTo("+8419009068");
        assertThat(national.getDisplay()).isEqualTo("1900 9068");
        assertThat(national.getName()).isEqualTo("Tổng đài chăm sóc khách hàng BHXH Việt Nam");
        assertThat(national.getSince()).isEqualTo(Instant.parse("2025-07-01T00:00:00Z"));
    }

    @Test
    void onAnEmptyTopicEveryInboundOnlyNumberIsWrittenAndNothingElse() {
        DoNotOriginate.Changes changes = DoNotOriginate.changes(Map.of(), seed("true", "false"));

        assertThat(changes.upserts()).containsOnlyKeys(NATIONAL);
        assertThat(changes.removals()).isEmpty();
    }

    @Test
    void seedingAgainWritesNothing() {
        List<AllowlistEntry> seed = seed("true", "true");

        assertThat(DoNotOriginate.changes(DoNotOriginate.entries(seed), seed).isEmpty()).isTrue();
    }

    @Test
    void aNumberNoLongerInboundOnlyOrNoLongerSeededIsTombstonedAndARenamedOneRewritten() {
        Map<String, DoNotOriginateEntry> current = DoNotOriginate.entries(seed("true", "true"));
        String dropped = "tel:+842253265616";
        Map<String, DoNotOriginateEntry> withDropped = new HashMap<>(current);
        withDropped.put(dropped, current.get(HA_NOI));

        DoNotOriginate.Changes changes = DoNotOriginate.changes(withDropped, seed("true", "false"));
        assertThat(changes.removals()).containsExactly(dropped, HA_NOI);
        assertThat(changes.upserts()).isEmpty();

        List<AllowlistEntry> renamed = OfficialChannels.parse(List.of(HEADER,
                "1900 9068,Tổng đài BHXH Việt Nam,false,2025-07-01T00:00:00Z,true"));
        assertThat(DoNotOriginate.changes(current, renamed).upserts().get(NATIONAL).getName())
                .isEqualTo("Tổng đài BHXH Việt Nam");
    }

    /** The national line and the Hà Nội hotline, each inbound-only or not. */
    private static List<AllowlistEntry> seed(String nationalInboundOnly, String haNoiInboundOnly) {
        return OfficialChannels.parse(List.of(HEADER,
                "1900 9068,Tổng đài chăm sóc khách hàng BHXH Việt Nam,false,2025-07-01T00:00:00Z," + nationalInboundOnly,
                "024 3723 6555,Đường dây nóng BHXH thành phố Hà Nội,false,2025-07-01T00:00:00Z," + haNoiInboundOnly,
                "vss.gov.vn,Tên miền của BHXH Việt Nam,true,2025-07-01T00:00:00Z,false"));
    }
}
