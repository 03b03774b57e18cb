package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.testkit.AxeCheck;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.fuzz.FuzzRequest;
import vn.bhxh.shield.testkit.fuzz.HttpFuzzer;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The citizens' check through its public contract, against a real broker: a listing written to the blocklist topic
 * as the processor writes it is answered LISTED in any spelling, with its day and nothing else of it; an official
 * channel OFFICIAL; anything else NO_REPORTS; a client over its limit 429; and the page in headless Chromium.
 */
class CitizenCheckIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    /** A landline no seed holds, allowlisted as a national account's ALLOWLIST decision would. */
    private static final String ALLOWLISTED = "tel:+842363822000";

    private static KafkaTestCluster cluster;
    private static KafkaProducer<String, BlocklistEntry> blocklist;
    private static AlertSinkService sink;
    private static SinkHttp http;

    @BeforeAll
    static void start() throws Exception {
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        blocklist = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.blocklist().valueSerde().serializer());
        try (KafkaProducer<String, AllowlistEntry> allowlist = new KafkaProducer<>(cluster.producerProps(),
                new StringSerializer(), topics.allowlist().valueSerde().serializer())) {
            allowlist.send(new ProducerRecord<>(Topics.ALLOWLIST, ALLOWLISTED, AllowlistEntry.newBuilder()
                    .setIndicator(ALLOWLISTED).setKind(IndicatorKind.PHONE).setName("Đường dây nóng BHXH thành phố "
                            + "Đà Nẵng").setIncludeSubdomains(false).setSource("quocgia1").setAddedAt(Instant.now())
                    .build())).get();
        }
        sink = startSink(600_000);
        http = new SinkHttp(sink.port());
    }

    private static AlertSinkService startSink(int checksPerMinute) {
        AlertSinkService instance = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-citizen-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                CitizenPage.PER_MINUTE, Integer.toString(checksPerMinute))));
        ServiceProbe.awaitHealthy(instance.port(), WITHIN);
        return instance;
    }

    @AfterAll
    static void stop() throws Exception {
        if (sink != null) {
            sink.close();
        }
        if (blocklist != null) {
            blocklist.close();
        }
    }

    @Test
    void aListedNumberIsListedSinceItsDayInAnySpellingAndNothingMore() throws Exception {
        String digits = randomMobile();
        String key = "tel:+84" + digits.substring(1);
        Instant listedAt = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        list(key, listedAt);

        for (String typed : List.of(dotted(digits), "+84 " + digits.substring(1, 4) + " " + digits.substring(4, 7)
                + " " + digits.substring(7), key)) {
            JsonNode answer = json(check(typed));
            assertThat(answer.path("verdict").asText()).as(typed).isEqualTo("LISTED");
            assertThat(answer.path("query").asText()).isEqualTo(typed);
            assertThat(answer.path("indicator").path("key").asText()).isEqualTo(key);
            assertThat(Instant.parse(answer.path("since").asText())).isEqualTo(listedAt);
            assertThat(answer.path("message").asText()).contains("danh sách lừa đảo giả danh BHXH từ ngày");
            assertThat(answer.path("advice").size()).isEqualTo(CitizenCheck.ADVICE.size());
            assertThat(answer.toString()).doesNotContain("Công an", "thanh-hoa", "reportCount", "distinctReporters",
                    "reason", "POLICE");
        }

        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, key, null)).get(); // lifted, as the processor does
        Eventually.await("the lifted listing is no longer told", WITHIN,
                () -> json(check(digits)).path("verdict").asText().equals("NO_REPORTS"));
    }

    @Test
    void aListedLinkIsListedWhateverWayItIsObfuscated() throws Exception {
        String domain = "bhxh-" + ThreadLocalRandom.current().nextInt(1_000_000) + ".com";
        list("domain:" + domain, Instant.now());

        JsonNode answer = json(check("hxxps://" + domain.replace(".", "[.]") + "/cap-nhat-vssid"));

        assertThat(answer.path("verdict").asText()).isEqualTo("LISTED");
        assertThat(answer.path("indicator").path("kind").asText()).isEqualTo("DOMAIN");
        assertThat(answer.path("message").asText()).startsWith("Tên miền này đã bị đưa vào danh sách");
    }

    @Test
    void officialChannelsFromTheSeedAndTheAllowlistTopicAreOfficial() {
        JsonNode hotline = json(check("1900.9068"));
        assertThat(hotline.path("verdict").asText()).isEqualTo("OFFICIAL");
        assertThat(hotline.path("message").asText()).contains("Tổng đài chăm sóc khách hàng BHXH Việt Nam",
                CitizenCheck.NEVER_CALLS_FROM);
        assertThat(hotline.has("since")).isFalse();
        assertThat(json(check("https://hanoi.baohiemxahoi.gov.vn/tra-cuu")).path("verdict").asText())
                .isEqualTo("OFFICIAL");
        Eventually.await("the allowlisted channel is read from its topic", WITHIN,
                () -> json(check("0236 3822 000")).path("verdict").asText().equals("OFFICIAL"));
        assertThat(json(check("0236 3822 000")).path("message").asText()).contains("Đà Nẵng")
                .doesNotContain("quocgia1", CitizenCheck.NEVER_CALLS_FROM);
    }

    @Test
    void anUnknownNumberHasNoReportsAndTheCitizenIsToldToStayCareful() {
        JsonNode answer = json(check(randomMobile()));

        assertThat(answer.path("verdict").asText()).isEqualTo("NO_REPORTS");
        assertThat(answer.path("message").asText()).startsWith("Chưa có báo cáo nào về số này — hãy luôn cảnh giác");
        assertThat(answer.path("advice").toString()).contains("OTP", "1900 9068");
    }

    @Test
    void whatIsNoNumberNorLinkIsA400WithTheReasonInVietnamese() throws Exception {
        HttpResponse<String> tooShort = check("0904 038");
        HttpResponse<String> missing = SinkHttp.send(http.request(CitizenPage.API).GET());

        for (HttpResponse<String> response : List.of(tooShort, missing)) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/problem+json"));
            assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("q");
        }
        assertThat(json(tooShort).path("detail").asText()).contains("thiếu chữ số");
        assertThat(json(missing).path("detail").asText()).isEqualTo("Chưa nhập thông tin.");
        // Escapes no client library would send, as a script might: refused, never a 500.
        HttpFuzzer raw = new HttpFuzzer(sink.port());
        for (String broken : List.of("%ZZ", "%u0041", "%E0%A4%A", "%C0%80")) {
            HttpFuzzer.Response response = raw.send(FuzzRequest.of("GET", CitizenPage.API + "?q=" + broken).raw()
                    .build());
            assertThat(response.status()).as(broken + ": " + response.body()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
    }

    @Test
    void aClientOverItsLimitIsToldWhenToComeBack() throws Exception {
        try (AlertSinkService limited = startSink(1)) {
            SinkHttp limitedHttp = new SinkHttp(limited.port());
            // Ready means the list is loaded: the first question is answered.
            assertThat(check(limitedHttp, "0909 000 111").statusCode()).isEqualTo(200);

            HttpResponse<String> refused = check(limitedHttp, "0909 000 112");

            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
            assertThat(json(refused).path("detail").asText()).isEqualTo("Bạn tra cứu quá nhanh. Vui lòng thử lại sau "
                    + "60 giây.");
            assertThat(check("0909 000 112").statusCode()).as("another instance counts on its own").isEqualTo(200);
        }
    }

    /** The page on a laptop and on a phone: a listed number typed in another spelling, the Vietnamese verdict. */
    @Test
    void theCitizenTypesAListedNumberAndReadsTheWarningOnALaptopAndOnAPhone() throws Exception {
        HeadlessChromium.assumeInstalled("the citizens' check page's browser test");
        String digits = randomMobile();
        list("tel:+84" + digits.substring(1), Instant.now().minus(1, ChronoUnit.DAYS));
        Eventually.await("the listing is read", WITHIN,
                () -> json(check(digits)).path("verdict").asText().equals("LISTED"));
        ChromeDriver browser = HeadlessChromium.open();
        try {
            browser.get("http://localhost:" + sink.port() + CitizenPage.PAGE);
            assertThat(browser.findElement(By.id("channels")).getText()).contains("1900 9068", "VssID",
                    "1900 9068 (chỉ nhận cuộc gọi đến: BHXH không gọi đi từ số này)");
            AxeCheck.assertClean(browser::executeAsyncScript, "citizens' check page, empty");

            browser.findElement(By.id("q")).sendKeys(dotted(digits) + "\n"); // Enter: the keyboard is enough
            WebDriverWait wait = new WebDriverWait(browser, WITHIN);
            wait.until(ExpectedConditions.attributeToBe(By.id("answer"), "data-verdict", "LISTED"));
            assertThat(browser.findElement(By.id("verdict")).getText()).startsWith("Cảnh báo: lừa đảo");
            assertThat(browser.findElement(By.id("message")).getText())
                    .contains("Số này đã bị đưa vào danh sách lừa đảo giả danh BHXH từ ngày");
            assertThat(browser.findElement(By.id("answer")).getAttribute("aria-live")).isEqualTo("polite");
            AxeCheck.assertClean(browser::executeAsyncScript, "citizens' check page, a listed number");
            HeadlessChromium.screenshot(browser, "citizen-check-listed");

            browser.manage().window().setSize(new Dimension(390, 844));
            browser.get("http://localhost:" + sink.port() + CitizenPage.PAGE);
            browser.findElement(By.id("q")).sendKeys("1900 9068");
            browser.findElement(By.id("check")).click();
            wait.until(ExpectedConditions.attributeToBe(By.id("answer"), "data-verdict", "OFFICIAL"));
            assertThat(browser.findElement(By.id("message")).getText()).startsWith("Đây là kênh chính thức của BHXH")
                    .contains("BHXH không bao giờ gọi cho người dân từ số này");
            Object overflow = browser.executeScript("const width = document.documentElement.clientWidth;"
                    + "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
                    + " > width).map(e => e.tagName + '#' + e.id + ' ' + e.textContent.slice(0, 40));");
            assertThat((List<?>) overflow).as("no sideways scrolling on a phone").isEmpty();
            AxeCheck.assertClean(browser::executeAsyncScript, "citizens' check page on a phone, an official number");
            HeadlessChromium.screenshot(browser, "citizen-check-phone");
        } finally {
            browser.quit();
        }
    }

    private static HttpResponse<String> check(String typed) {
        return check(http, typed);
    }

    private static HttpResponse<String> check(SinkHttp on, String typed) {
        return SinkHttp.send(on.request(CitizenPage.API + "?q=" + URLEncoder.encode(typed, StandardCharsets.UTF_8))
                .GET());
    }

    /** A listing as the processor writes it after a police referral: counts, provinces and a reason included. */
    private static void list(String key, Instant listedAt) throws Exception {
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, key, BlocklistEntry.newBuilder()
                .setIndicator(key).setKind(key.startsWith("tel:") ? IndicatorKind.PHONE : IndicatorKind.DOMAIN)
                .setStatus(BlocklistStatus.CONFIRMED).setReason("Công an tỉnh Thanh Hóa xác nhận là lừa đảo.")
                .setReasonCode(ListingReason.POLICE_CONFIRMED).setDistinctReporters(9).setWeightedReporters(9)
                .setReportCount(12).setProvinces(List.of("thanh-hoa")).setFirstSeen(listedAt).setLastSeen(listedAt)
                .setListedAt(listedAt).setExpiresAt(listedAt.plus(Duration.ofDays(365))).build())).get();
        Eventually.await("the sink has read " + key, WITHIN, () -> {
            HttpResponse<String> answer = check(key);
            return answer.statusCode() == 200 && json(answer).path("verdict").asText().equals("LISTED");
        });
    }

    private static String randomMobile() {
        return "090" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
    }

    /** 0904.038.115, as the press writes numbers. */
    private static String dotted(String digits) {
        return digits.substring(0, 4) + "." + digits.substring(4, 7) + "." + digits.substring(7);
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return SinkJson.MAPPER.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
