package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.bhxh.shield.testkit.AxeCheck;
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
        AxeCheck.assertClean(((JavascriptExecutor) browser)::executeAsyncScript, "the sign-in page");
        signIn("dev-operator-token", "reporterId");
    }

    private static void signIn(String token, String firstField) {
        browser.manage().deleteAllCookies();
        browser.get("http://localhost:" + ingest.port() + "/");
        browser.findElement(By.id("token")).sendKeys(token, Keys.ENTER);
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id(firstField)));
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
        browser.manage().window().setSize(new Dimension(1280, 900));
        browser.get("http://localhost:" + ingest.port() + "/");
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("reporterId")));
    }

    private static void assertAccessible(String page) {
        AxeCheck.assertClean(((JavascriptExecutor) browser)::executeAsyncScript, page);
    }

    private static Object script(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
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
        assertThat(browser.findElement(By.id("receipt-rows")).getText()).contains("Chưa tra cứu được")
                .doesNotContain("UNAVAILABLE", "NOT_LISTED");
        screenshot("operator-receipt");
        assertAccessible("the receipt");

        // The shift's list names the receipt, and keeps it across a reload of the page.
        String reportId = browser.findElement(By.id("receipt-id")).getText();
        assertThat(browser.findElement(By.id("shift-rows")).getText()).contains(reportId, "0904 038 115");
        freshForm();
        assertThat(browser.findElement(By.id("shift-rows")).getText()).contains(reportId);
    }

    @Test
    void whatIsKnownAboutANumberIsShownWhileItIsTyped() {
        freshForm();
        WebElement phone = browser.findElement(By.cssSelector("input[name=phoneNumbers]"));
        phone.sendKeys("1900 9068");
        By said = By.id("lookup-phoneNumbers-0");
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(said, "kênh chính thức"));
        // The one case where the operator must say something to the caller: the words are on the screen.
        assertThat(browser.findElement(said).getText()).contains("1900 9068", "không bao giờ", "OTP", "chuyển tiền");
        assertThat(phone.getAttribute("aria-describedby")).contains("lookup-phoneNumbers-0");
        screenshot("operator-live-lookup");

        // A typing mistake is said while typing; the answer always belongs to what is in the field now.
        phone.clear();
        phone.sendKeys("0904.038.11");
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(said, "không hợp lệ"));
        phone.sendKeys("5");
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(said, "0904 038 115"));
        // No processor runs beside this ingest: the form says so and the report can still be sent.
        assertThat(browser.findElement(said).getText()).contains("Chưa tra cứu được");

        // A second row gets its own answer, described by its own ids.
        browser.findElement(By.cssSelector("fieldset[data-list=phoneNumbers] button.add")).sendKeys(Keys.ENTER);
        browser.switchTo().activeElement().sendKeys("024 3723 6555");
        waitFor().until(ExpectedConditions.textToBePresentInElementLocated(By.id("lookup-phoneNumbers-1"),
                "kênh chính thức"));
        assertThat(browser.switchTo().activeElement().getAttribute("aria-describedby"))
                .isEqualTo("lookup-phoneNumbers-1 error-phoneNumbers-1");
        assertAccessible("the form with live lookups");
    }

    @Test
    void signOutIsReachedByKeyboardAndTheTimeOfTheCallIsFilledIn() {
        freshForm();
        assertThat(browser.findElement(By.id("occurredAt")).getAttribute("value")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}");
        // Focus starts in the first field; the header's sign-out is one Shift+Tab before it.
        browser.switchTo().activeElement().sendKeys(Keys.chord(Keys.SHIFT, Keys.TAB));
        assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Đăng xuất");
    }

    @Test
    void aPoliceUnitUploadsACsvBatchAndSeesTheResultOfEveryRow() throws Exception {
        Path batch = Files.createTempFile("chuyen-giao", ".csv");
        Files.writeString(batch, """
                identifier,caseReference,unit,province,notes
                0936.417.600,VV-2026-118,PA05 Công an tỉnh Thanh Hóa,Thanh Hóa,Giả danh BHXH
                0904.038.11,VV-2026-119,PA05 Công an tỉnh Thanh Hóa,Thanh Hóa,
                hxxps://bhxh-capnhat[.]com/vssid,VV-2026-120,PA05 Công an tỉnh Thanh Hóa,Hà Nội,
                """);
        try {
            signIn("dev-police-token", "file");
            assertAccessible("the police upload page");
            browser.findElement(By.id("file")).sendKeys(batch.toString());
            browser.findElement(By.id("send")).click();

            By title = By.id("result-title");
            waitFor().until(ExpectedConditions.textToBePresentInElementLocated(title, "Đã nhận"));
            assertThat(browser.findElement(title).getText()).isEqualTo("Đã nhận 2 dòng, 1 dòng có lỗi.");
            assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("result-title");
            List<WebElement> rows = browser.findElements(By.cssSelector("#result-rows tr"));
            assertThat(rows).hasSize(3);
            assertThat(rows.get(0).getText()).contains("Đã nhận", "0936 417 600", "Mã biên nhận");
            assertThat(rows.get(1).getText()).contains("Có lỗi", "0904.038.11 không hợp lệ");
            assertThat(rows.get(2).getText()).contains("Đã nhận", "bhxh-capnhat.com");
            assertAccessible("the police upload result");
            screenshot("police-upload-result");

            String reportId = rows.get(0).getText().replaceAll("(?s).*Mã biên nhận ", "").strip();
            assertThat(IngestFixture.committedReports(KafkaTestCluster.shared(), r -> reportId.equals(r.getReportId())))
                    .singleElement().satisfies(report -> {
                        assertThat(report.getChannel()).hasToString("POLICE");
                        assertThat(report.getProvince()).isEqualTo("thanh-hoa");
                    });
        } finally {
            Files.deleteIfExists(batch);
            signIn("dev-operator-token", "reporterId");
        }
    }

    @Test
    void onAPhoneTheFormFitsTheScreen() {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get("http://localhost:" + ingest.port() + "/");
        waitFor().until(ExpectedConditions.visibilityOfElementLocated(By.id("reporterId")));
        long pageWidth = ((Number) script("return document.documentElement.scrollWidth")).longValue();
        long screenWidth = ((Number) script("return window.innerWidth")).longValue();
        assertThat(pageWidth).isLessThanOrEqualTo(screenWidth);
        assertThat(((Number) script("return document.getElementById('submit').getBoundingClientRect().width"))
                .doubleValue()).isGreaterThan(screenWidth * 0.8);
        assertAccessible("the form on a phone");
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
        // The error is tied to its field: a screen reader reads it with the field.
        assertThat(browser.switchTo().activeElement().getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.switchTo().activeElement().getAttribute("aria-describedby")).contains("error-phoneNumbers-0");
        assertAccessible("the form with an error");
    }
}
