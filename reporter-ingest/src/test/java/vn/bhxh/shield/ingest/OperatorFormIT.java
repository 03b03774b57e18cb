package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.Screenshots;

/**
 * The operator form in a real headless Chromium (Debian's chromium + chromium-driver; Selenium Manager is never
 * asked to download anything). Skipped loudly without Chromium on a laptop, failed on CI.
 */
class OperatorFormIT {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static IngestService ingest;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            String message = "Chromium or chromedriver missing (apt-get install -y chromium chromium-driver): "
                    + "the operator form's browser test cannot run";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message);
            }
            System.err.println("\n!!!!! SKIPPED: " + message + " !!!!!\n");
            Assumptions.abort(message);
        }
        ingest = IngestFixture.startHealthy();
        profile = Files.createTempDirectory("chromium-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build(), options);
        browser.get("http://localhost:" + ingest.port() + "/");
        screenshot("operator-sign-in");
        browser.findElement(By.id("token")).sendKeys("dev-operator-token", Keys.ENTER);
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("reporterId")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (ingest != null) {
            ingest.close();
        }
    }

    private static WebDriverWait waitFor() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    /** What the operators' guide shows of this step (docs/huong-dan-dien-thoai-vien.md); see {@link Screenshots}. */
    private static void screenshot(String name) {
        Screenshots.keep(name, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static void freshForm() {
        browser.get("http://localhost:" + ingest.port() + "/");
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("reporterId")));
    }

    @Test
    void anOperatorTypesAReportWithTheKeyboardAndGetsAReceipt() {
        freshForm();
        // Focus starts in the first field; Tab moves through the form in reading order.
        browser.switchTo().activeElement().sendKeys("0912 345 678", Keys.TAB, "thanh hoa", Keys.TAB);
        browser.findElement(By.cssSelector("input[name=phoneNumbers]")).sendKeys("0904.038.115");
        browser.findElement(By.cssSelector("fieldset[data-list=phoneNumbers] button.add")).sendKeys(Keys.ENTER);
        browser.switchTo().activeElement().sendKeys("0994 311 220");
        browser.findElement(By.cssSelector("input[value=OTP]")).sendKeys(Keys.SPACE);
        waitFor().until(ExpectedConditions.textToBe(By.id("province-match"), "→ Thanh Hóa"));
        screenshot("operator-form");
        browser.findElement(By.id("submit")).sendKeys(Keys.ENTER);

        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("receipt")));
        assertThat(browser.findElement(By.id("receipt-id")).getText()).matches("[0-9a-f-]{36}");
        String receipt = browser.findElement(By.id("receipt-rows")).getText();
        assertThat(receipt).contains("0904 038 115", "tel:+84904038115", "tel:+84994311220");
        waitFor().until(d -> !d.findElement(By.id("receipt-rows")).getText().contains("Đang tra cứu"));
        assertThat(browser.findElement(By.id("receipt-rows")).getText()).contains("Chưa tra cứu được");
        screenshot("operator-receipt");
    }

    @Test
    void aNumberInTheNotesIsAddedOnlyWhenTheOperatorClicksAndTheNotesLeaveRedacted() {
        freshForm();
        String reference = "Kẻ gian gọi 0904.038.115 tự xưng BHXH. Tôi tên là Trần Văn Bình, số của tôi 0981112223";
        browser.findElement(By.id("reporterId")).sendKeys("0912345678");
        browser.findElement(By.id("province")).sendKeys("Thanh Hóa");
        browser.findElement(By.id("notes")).sendKeys(reference);

        By offers = By.id("notes-found-list");
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(offers, "0981 112 223"));
        assertThat(browser.findElement(offers).getText()).contains("0904 038 115", "số của người báo");
        assertThat(browser.findElements(By.cssSelector("#notes-found-list button"))).singleElement()
                .satisfies(add -> assertThat(add.getAttribute("aria-label")).contains("0904 038 115"));
        assertThat(browser.findElement(By.cssSelector("input[name=phoneNumbers]")).getAttribute("value")).isEmpty();
        screenshot("operator-notes-found");

        browser.findElement(By.cssSelector("#notes-found-list button")).click();
        assertThat(browser.findElement(By.cssSelector("input[name=phoneNumbers]")).getAttribute("value"))
                .isEqualTo("+84904038115");
        browser.findElement(By.id("submit")).sendKeys(Keys.ENTER);

        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("receipt")));
        assertThat(browser.findElement(By.id("receipt-rows")).getText()).contains("tel:+84904038115")
                .doesNotContain("tel:+84981112223");
        assertThat(browser.findElement(By.id("receipt-not-added")).getText()).startsWith("1 số/đường link");
        String reportId = browser.findElement(By.id("receipt-id")).getText();
        assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> reportId.equals(r.getReportId())))
                .singleElement().satisfies(report -> assertThat(report.getNotes())
                        .isEqualTo("Kẻ gian gọi 0904.038.115 tự xưng BHXH. Tôi tên là [đã ẩn], số của tôi [đã ẩn]"));
    }

    @Test
    void anInvalidNumberIsExplainedInVietnameseNextToTheField() {
        freshForm();
        browser.findElement(By.id("reporterId")).sendKeys("0912345678");
        browser.findElement(By.id("province")).sendKeys("Hà Nội");
        browser.findElement(By.cssSelector("input[name=phoneNumbers]")).sendKeys("0904.038.11");
        browser.findElement(By.id("submit")).sendKeys(Keys.ENTER);

        By error = By.cssSelector("[data-error-for='phoneNumbers[0]']");
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(error, "không hợp lệ"));
        assertThat(browser.findElement(error).getText()).contains("Số điện thoại 0904.038.11 không hợp lệ");
        screenshot("operator-field-error");
        assertThat(browser.findElement(By.id("receipt")).isDisplayed()).isFalse();
        assertThat(browser.switchTo().activeElement().getAttribute("name")).isEqualTo("phoneNumbers");
    }
}
