package vn.bhxh.shield.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

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

    @Test
    void onlyTheNationalServiceNumberIsInboundOnly() {
        assertThat(OfficialChannels.all()).filteredOn(AllowlistEntry::getInboundOnly)
                .extracting(AllowlistEntry::getIndicator).containsExactly("tel:+8419009068");
    }

    @Test
    void aFileWrittenBeforeTheInboundOnlyColumnStillParsesWithNoNumberInboundOnly() {
        List<AllowlistEntry> old = OfficialChannels.parse(List.of(
                "identifier,name,include_subdomains,added_at",
                "1900 9068,Tổng đài chăm sóc khách hàng BHXH Việt Nam,false,2025-07-01T00:00:00Z",
                "vss.gov.vn,Tên miền của BHXH Việt Nam,true,2025-07-01T00:00:00Z"));

        assertThat(old).extracting(AllowlistEntry::getIndicator).containsExactly("tel:+8419009068",
                "domain:vss.gov.vn");
        assertThat(old).noneMatch(AllowlistEntry::getInboundOnly);
        assertThat(old.get(1).getIncludeSubdomains()).isTrue();
    }

    @Test
    void commentsAndAnEmptyInboundOnlyAreReadAndAMisspeltOneOrAnInboundOnlyDomainFailsLoudly() {
        String header = "identifier,name,include_subdomains,added_at,inbound_only";
        List<AllowlistEntry> read = OfficialChannels.parse(List.of("# why each number is or is not inbound-only",
                header, "1900 9068,Tổng đài,false,2025-07-01T00:00:00Z,true",
                "024 3723 6555,Đường dây nóng,false,2025-07-01T00:00:00Z,"));
        assertThat(read).extracting(AllowlistEntry::getInboundOnly).containsExactly(true, false);

        assertThatThrownBy(() -> OfficialChannels.parse(List.of(header,
                "1900 9068,Tổng đài,false,2025-07-01T00:00:00Z,yes"))).hasMessageContaining("must be true or false");
        assertThatThrownBy(() -> OfficialChannels.parse(List.of(header,
                "vss.gov.vn,Tên miền,true,2025-07-01T00:00:00Z,true"))).hasMessageContaining("cannot be inbound-only");
        assertThatThrownBy(() -> OfficialChannels.parse(List.of(header,
                "1900 9068,Tổng đài,false,2025-07-01T00:00:00Z"))).hasMessageContaining("columns");
    }
}
