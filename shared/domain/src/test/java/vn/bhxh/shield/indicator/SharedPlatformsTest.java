package vn.bhxh.shield.indicator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InternetDomainName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.indicator.Normalisation.Rejected;
import vn.bhxh.shield.indicator.SharedPlatformList.Entry;
import vn.bhxh.shield.schema.IndicatorKind;

/** The shared platform list (shared-platforms.csv) and what it does to links: pages, never whole domains. */
class SharedPlatformsTest {

    private static final SharedPlatformList LIST = SharedPlatformList.load();

    private final Normaliser normaliser = new Normaliser();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // app stores: a fake VssID app's page
            "https://apps.apple.com/vn/app/vssid-bhxh-so/id1489208339|url:https://apps.apple.com/vn/app/vssid-bhxh-so/id1489208339",
            "https://play.google.com/store/apps/details?id=vn.vssid.hotro&hl=vi|url:https://play.google.com/store/apps/details?hl=vi&id=vn.vssid.hotro",
            "https://apkpure.com/vssid/vn.vssid.hotro|url:https://apkpure.com/vssid/vn.vssid.hotro",
            // file hosts: an APK or a "form" to download
            "https://www.mediafire.com/file/a1b2c3/VssID.apk/file|url:https://www.mediafire.com/file/a1b2c3/VssID.apk/file",
            "https://mega.nz/file/AbCdEf#k3y|url:https://mega.nz/file/AbCdEf",
            "https://www.fshare.vn/file/ABCDEF123|url:https://www.fshare.vn/file/ABCDEF123",
            "https://gofile.io/d/AbC123|url:https://gofile.io/d/AbC123",
            "https://we.tl/t-AbCdEf|url:https://we.tl/t-AbCdEf",
            // link shorteners, hand-added and from MISP's list only
            "https://tinyurl.com/bhxh-hoantien|url:https://tinyurl.com/bhxh-hoantien",
            "https://shp.ee/AbCdEf|url:https://shp.ee/AbCdEf",
            "https://2no.co/AbCdEf|url:https://2no.co/AbCdEf",
            "https://bitly.com.vn/AbCdEf|url:https://bitly.com.vn/AbCdEf",
            // cloud storage
            "https://drive.google.com/file/d/1AbCdEf/view?usp=sharing|url:https://drive.google.com/file/d/1AbCdEf/view?usp=sharing",
            "https://www.dropbox.com/s/a1b2c3/to-khai.pdf?dl=0|url:https://www.dropbox.com/s/a1b2c3/to-khai.pdf?dl=0",
            "https://onedrive.live.com/redir?resid=ABC123|url:https://onedrive.live.com/redir?resid=ABC123",
            "https://1drv.ms/u/s!AbCdEf|url:https://1drv.ms/u/s!AbCdEf",
            "https://congty.sharepoint.com/:b:/g/AbCdEf|url:https://congty.sharepoint.com/:b:/g/AbCdEf",
            // forms, site builders, link-in-bio, e-commerce, payment pages, tunnels, dynamic DNS
            "https://docs.google.com/forms/d/e/1FAIpQL/viewform|url:https://docs.google.com/forms/d/e/1FAIpQL/viewform",
            "https://bhxh-hotro.wixsite.com/capnhat|url:https://bhxh-hotro.wixsite.com/capnhat",
            "https://linktr.ee/bhxh.hotro|url:https://linktr.ee/bhxh.hotro",
            "https://shopee.vn/shop/123456|url:https://shopee.vn/shop/123456",
            "https://me.momo.vn/bhxhhoantien|url:https://me.momo.vn/bhxhhoantien",
            "https://ab12-113-161-1-1.ngrok-free.app/login|url:https://ab12-113-161-1-1.ngrok-free.app/login",
            "https://bhxh-vn.duckdns.org/dang-nhap|url:https://bhxh-vn.duckdns.org/dang-nhap",
            "https://www.google.com.vn/url?q=https://bhxh-vn.com|url:https://www.google.com.vn/url?q=https://bhxh-vn.com",
    })
    void linksOnSharedPlatformsArePages(String raw, String key) {
        assertThat(normaliser.link(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"https://www.mediafire.com/", "drive.google.com", "https://apps.apple.com", "https://www.dropbox.com/?ref=x"})
    void theFrontPageOfAPlatformIsNoIndicator(String raw) {
        assertThat(normaliser.link(raw)).isInstanceOfSatisfying(Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(RejectReason.PLATFORM_ROOT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "bhxh-capnhat.blogspot.com|url:https://bhxh-capnhat.blogspot.com",
            "https://bhxh-vn.duckdns.org/|url:https://bhxh-vn.duckdns.org",
            "http://bhxh.0000004.xyz|url:https://bhxh.0000004.xyz",
            "https://ab12-113-161-1-1.ngrok-free.app|url:https://ab12-113-161-1-1.ngrok-free.app",
            "https://bhxh-hotro.wixsite.com|url:https://bhxh-hotro.wixsite.com",
    })
    void theRootOfAUsersSubdomainIsTheirSite(String raw, String key) {
        assertThat(normaliser.link(raw).accepted()).map(Indicator::key).hasValue(key);
    }

    @Test
    void aScammersOwnDomainIsStillListedWhole() {
        assertThat(normaliser.link("https://bhxh-hoantien.com/dang-nhap").accepted())
                .map(Indicator::key).hasValue("domain:bhxh-hoantien.com");
    }

    /**
     * The held-out check "a link to a big platform never lists its domain", over every domain of the file: a page
     * on it and a page on a subdomain are url: indicators (some/page on the domain, some/page on sub.domain). Where the name is itself a public suffix (the private
     * section of the list: blogspot.com, github.io) the link is rejected, which lists nothing either.
     */
    @Test
    void noLinkToAListedPlatformEverListsItsDomain() {
        List<String> violations = new ArrayList<>();
        for (String domain : LIST.domains()) {
            for (String host : List.of(domain, "sub." + domain)) {
                String link = "https://" + host + "/some/page";
                boolean suffix = InternetDomainName.from(host).isPublicSuffix();
                Normalisation result = normaliser.link(link);
                boolean page = result instanceof Accepted accepted && accepted.indicator().kind() == IndicatorKind.URL;
                boolean rejectedSuffix = result instanceof Rejected rejected
                        && rejected.reason() == RejectReason.INVALID_DOMAIN;
                if (suffix ? !rejectedSuffix : !page) {
                    violations.add(link + " -> " + result);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void eachSectionIsSortedAndEveryLineValid() {
        // load() has already refused duplicates and names that are not registrable domains; check that again
        // with Guava directly so that a bug in the loader cannot hide a bad line.
        for (List<Entry> section : List.of(LIST.handAdded(), LIST.generated())) {
            List<String> domains = section.stream().map(Entry::domain).toList();
            assertThat(domains).isSortedAccordingTo(Comparator.naturalOrder()).doesNotHaveDuplicates();
        }
        assertThat(LIST.entries()).hasSize(LIST.domains().size()).allSatisfy(entry -> {
            InternetDomainName name = InternetDomainName.from(entry.domain());
            assertThat(name.toString()).isEqualTo(entry.domain());
            assertThat(name.isUnderRegistrySuffix()).isTrue();
            assertThat(name.topDomainUnderRegistrySuffix()).isEqualTo(name);
            assertThat(entry.category()).matches("[a-z][a-z-]*");
        });
        assertThat(LIST.handAdded()).extracting(Entry::domain)
                .contains("zalo.me", "facebook.com", "tiktok.com", "google.com", "apple.com", "dropbox.com",
                        "mediafire.com", "mega.nz", "live.com", "1drv.ms", "bit.ly", "shopee.vn", "momo.vn");
        assertThat(LIST.generated()).isNotEmpty();
    }

    @Test
    void theLoaderNamesTheBadLine() {
        assertThatThrownBy(() -> SharedPlatformList.parse(List.of("# header", "zalo.me,messaging", "zalo.me,social")))
                .hasMessage("line 3: zalo.me is listed twice");
        assertThatThrownBy(() -> SharedPlatformList.parse(List.of("www.google.com,search-mail")))
                .hasMessageContaining("line 1: 'www.google.com' is not a registrable domain");
        assertThatThrownBy(() -> SharedPlatformList.parse(List.of("", "Zalo.me,messaging")))
                .hasMessageContaining("line 2: 'Zalo.me'");
        assertThatThrownBy(() -> SharedPlatformList.parse(List.of("com.vn,shortener")))
                .hasMessageContaining("not a registrable domain");
        assertThatThrownBy(() -> SharedPlatformList.parse(List.of("zalo.me")))
                .hasMessage("line 1: expected domain,category but got 'zalo.me'");
        assertThatThrownBy(() -> SharedPlatformList.parse(List.of("zalo.me,Nhắn tin")))
                .hasMessageContaining("category 'Nhắn tin'");
    }

    @Test
    void aMissingFileFailsClearly() {
        assertThatThrownBy(() -> SharedPlatformList.load("no-such-list.csv"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-list.csv is missing from the classpath");
    }

    @Test
    void registrableDomainOfAHost() {
        assertThat(SharedPlatformList.registrableDomain("play.google.com")).hasValue("google.com");
        assertThat(SharedPlatformList.registrableDomain("x.blogspot.com")).hasValue("blogspot.com");
        assertThat(SharedPlatformList.registrableDomain("www.google.com.vn")).hasValue("google.com.vn");
        assertThat(SharedPlatformList.registrableDomain("com.vn")).isEqualTo(Optional.empty());
        assertThat(SharedPlatformList.registrableDomain("not a host")).isEmpty();
    }
}
