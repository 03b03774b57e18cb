package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.BlocklistStatus;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.ListingReason;
import vn.bhxh.shield.testkit.AxeCheck;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The owner's public page and the national board's appeal items in real headless Chromium against a real broker:
 * errors next to their fields, the receipt, the officer's "Gỡ khỏi danh sách", the tombstone, the owner's outcome.
 */
class AppealBrowserIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    private static AlertSinkService sink;
    private static KafkaProducer<String, BlocklistEntry> blocklist;
    private static ChromeDriver owner;
    private static ChromeDriver officer;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled("the appeal page's browser test");
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        blocklist = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                new Topics(cluster.registryClient()).blocklist().valueSerde().serializer());
        sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-appeal-browser-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "appeal-browser-it-session-key",
                "SINK_APPEAL_KEY", AppealsIT.appealKey(),
                "SINK_APPEALS_PER_HOUR", "360000000",
                "SINK_USERS", SinkUsers.hashed("quocgia1:qg-pass-1:national,thanhhoa1:th-pass-1:thanh-hoa"))));
        ServiceProbe.awaitHealthy(sink.port(), WITHIN);
        owner = HeadlessChromium.open();
        officer = HeadlessChromium.open();
    }

    @AfterAll
    static void stop() throws Exception {
        for (WebDriver browser : new WebDriver[] {owner, officer}) {
            if (browser != null) {
                browser.quit();
            }
        }
        if (sink != null) {
            sink.close();
        }
        if (blocklist != null) {
            blocklist.close();
        }
    }

    @Test
    void theOwnerAppealsTheOfficerDelistsAndTheOwnerReadsTheOutcome() throws Exception {
        String number = "090" + (1_000_000 + ThreadLocalRandom.current().nextInt(8_999_999));
        String indicator = "tel:+84" + number.substring(1);
        list(indicator);

        owner.get(url("/khieu-nai"));
        owner.findElement(By.id("indicator")).sendKeys(number.substring(0, 4) + " " + number.substring(4));
        owner.findElement(By.id("contact")).sendKeys("chưa có");
        owner.findElement(By.id("explanation")).sendKeys("Số của tôi, tôi bán rau ở chợ Đông Ba từ năm 2010.");
        owner.findElement(By.id("submit")).click();
        waitFor(owner).until(ExpectedConditions.textMatches(By.id("contact-error"), Pattern.compile(".+")));
        assertThat(owner.findElement(By.id("contact-error")).getText()).contains("email");
        assertThat(owner.findElement(By.id("contact")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(owner.findElement(By.id("indicator-error")).getText()).as("a right field says nothing").isEmpty();
        assertThat(owner.findElement(By.id("receipt")).isDisplayed()).isFalse();
        AxeCheck.assertClean(owner::executeAsyncScript, "appeal page showing a field's error");

        owner.findElement(By.id("contact")).clear();
        owner.findElement(By.id("contact")).sendKeys("chu.so@example.vn");
        owner.findElement(By.id("submit")).click();
        waitFor(owner).until(ExpectedConditions.visibilityOfElementLocated(By.id("receipt")));
        String receipt = owner.findElement(By.id("receipt-id")).getText();
        assertThat(receipt).matches("[A-Za-z0-9_-]{22}");
        assertThat(owner.findElement(By.id("contact-error")).getText()).isEmpty();
        waitFor(owner).until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome-status"),
                "Đang chờ cán bộ BHXH xem xét"));
        AxeCheck.assertClean(owner::executeAsyncScript, "appeal page with its receipt");

        signIn(officer, "thanhhoa1", "th-pass-1");
        waitFor(officer).until(ExpectedConditions.attributeToBe(By.id("appeals"), "data-state", "not-national"));
        assertThat(officer.findElement(By.id("appeals")).isDisplayed()).as("a province board").isFalse();

        signIn(officer, "quocgia1", "qg-pass-1");
        By card = By.cssSelector("article[data-appeal-id='" + receipt + "']");
        String shown = waitFor(officer).until(page -> page.findElement(card).getText());
        assertThat(shown).contains(number.substring(0, 4), "chu.so@example.vn", "chợ Đông Ba", "POLICE_CONFIRMED");
        HeadlessChromium.screenshot(officer, "appeal-on-national-board");
        AxeCheck.assertClean(officer::executeAsyncScript, "national board with an owner's appeal");
        onCard(card, c -> c.findElement(By.cssSelector("button.delist"))).click();
        String noReason = waitFor(officer).until(page -> {
            String error = page.findElement(card).findElement(By.cssSelector(".error")).getText();
            return error.isEmpty() ? null : error;
        });
        assertThat(noReason).as("no reason given").contains("lý do");
        onCard(card, c -> c.findElement(By.cssSelector("textarea.appeal-reason")))
                .sendKeys("Đã gọi lại, là số của hộ kinh doanh.");
        onCard(card, c -> c.findElement(By.cssSelector("button.delist"))).click();
        waitFor(officer).until(ExpectedConditions.invisibilityOfElementLocated(card));

        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, indicator, null)).get(); // as the processor does

        // Later, on a fresh page, with the receipt typed in.
        owner.get(url("/khieu-nai"));
        owner.findElement(By.id("receipt-input")).sendKeys(receipt);
        owner.findElement(By.cssSelector("#status-form button")).click();
        waitFor(owner).until(ExpectedConditions.textToBePresentInElementLocated(By.id("outcome-status"),
                "Đã gỡ khỏi danh sách chặn"));
        assertThat(owner.findElement(By.id("outcome-reason")).getText())
                .isEqualTo("Lý do: Đã gọi lại, là số của hộ kinh doanh.");
        assertThat(owner.findElement(By.id("outcome")).getText()).doesNotContain("quocgia1");
    }

    @Test
    void aNumberThatIsNotListedIsAnsweredNextToItsField() {
        owner.get(url("/khieu-nai"));
        owner.findElement(By.id("indicator")).sendKeys("0909 000 111");
        owner.findElement(By.id("contact")).sendKeys("0912 345 678");
        owner.findElement(By.id("explanation")).sendKeys("Số của tôi, tôi không làm gì sai cả.");
        owner.findElement(By.id("submit")).click();
        waitFor(owner).until(ExpectedConditions.textMatches(By.id("indicator-error"),
                Pattern.compile(".+")));
        assertThat(owner.findElement(By.id("indicator-error")).getText()).isEqualTo(Appeals.NOT_LISTED);
        assertThat(owner.findElement(By.id("receipt")).isDisplayed()).isFalse();
    }

    private static void signIn(WebDriver browser, String user, String password) {
        HeadlessChromium.signIn(browser, url(""), user, password);
        waitFor(browser).until(page -> page.findElement(By.id("appeals")).getAttribute("data-state") != null);
    }

    /** Reads the card again on every try: each live event redraws the list. */
    private static WebElement onCard(By card, Function<WebElement, WebElement> find) {
        return waitFor(officer).until(page -> find.apply(page.findElement(card)));
    }

    private static void list(String indicator) throws Exception {
        Instant at = Instant.now().minusSeconds(600);
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, indicator, BlocklistEntry.newBuilder()
                .setIndicator(indicator).setKind(IndicatorKind.PHONE).setStatus(BlocklistStatus.CONFIRMED)
                .setReason("Cơ quan công an xác nhận là số lừa đảo.").setReasonCode(ListingReason.POLICE_CONFIRMED)
                .setDistinctReporters(1).setWeightedReporters(1).setReportCount(1).setProvinces(List.of("hue"))
                .setFirstSeen(at).setLastSeen(at).setListedAt(at).setExpiresAt(at.plus(Duration.ofDays(365)))
                .build())).get();
        ServiceProbe.awaitHealthy(sink.port(), WITHIN);
    }

    private static String url(String path) {
        return "http://localhost:" + sink.port() + path;
    }

    private static FluentWait<WebDriver> waitFor(WebDriver browser) {
        return new WebDriverWait(browser, WITHIN).ignoring(StaleElementReferenceException.class);
    }
}
