package vn.bhxh.shield.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.AllowlistEntry;

class OfficialChannelsTest {

    private final Normaliser normaliser = new Normaliser();

    @Test
    void seedsTheOfficialChannelsOfTheProductBriefAsCanonicalKeys() {
        assertThat(OfficialChannels.all()).extracting(AllowlistEntry::getIndicator).containsExactly(
                "tel:+8419009068", "tel:+842437236555", "tel:+842373753850", "tel:+842253265616",
                "domain:baohiemxahoi.gov.vn", "domain:vss.gov.vn", "domain:dichvucong.gov.vn",
                "social:facebook:baohiemxahoi.gov.vn", "social:facebook:bhxhtphanoi");
        assertThat(OfficialChannels.all()).allSatisfy(entry -> {
            assertThat(entry.getName()).isNotBlank();
            assertThat(entry.getSource()).isEqualTo(OfficialChannels.SOURCE);
        });
    }

    @Test
    void anySpellingOfAnOfficialChannelOrAProvinceSubdomainIsOfficial() {
        for (String raw : new String[] {"19009068", "+84 24 3723 6555", "https://hanoi.baohiemxahoi.gov.vn/tin-tuc",
                "fb.com/bhxhtphanoi", "DICHVUCONG.gov.vn"}) {
            assertThat(OfficialChannels.isOfficial(normaliser.any(raw).accepted().orElseThrow()))
                    .as(raw).isTrue();
        }
        assertThat(OfficialChannels.isOfficial(normaliser.any("0904.038.115").accepted().orElseThrow())).isFalse();
        assertThat(OfficialChannels.isOfficial(normaliser.any("baohiemxahoi-vn.com").accepted().orElseThrow()))
                .isFalse();
    }
}
