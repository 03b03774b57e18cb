package vn.bhxh.shield.sink;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import vn.bhxh.shield.testkit.Screenshots;

/**
 * Debian's chromium + chromium-driver, headless; Selenium Manager is never asked to download anything. Each
 * {@link #open()} is its own browser with its own profile, so two of them are two independent sessions (cookies).
 * Without Chromium the calling test is skipped loudly on a laptop and failed on CI ({@code CI=true}).
 */
final class HeadlessChromium {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    static void assumeInstalled(String whatCannotRun) {
        if (CHROMIUM.canExecute() && CHROMEDRIVER.canExecute()) {
            return;
        }
        String message = "Chromium or chromedriver missing (apt-get install -y chromium chromium-driver): "
                + whatCannotRun + " cannot run";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        System.err.println("\n!!!!! SKIPPED: " + message + " !!!!!\n");
        Assumptions.abort(message);
    }

    static ChromeDriver open() throws IOException {
        Path profile = Files.createTempDirectory("chromium-profile");
        // A laptop-sized window, so the layout (and any screenshot) is what an office sees.
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless", "--no-sandbox",
                "--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", "--lang=vi-VN", "--user-data-dir=" + profile);
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build(), options);
    }

    /** Signs {@code user} in on the sink's sign-in form at {@code sinkUrl}; the caller waits for what it needs. */
    static void signIn(WebDriver browser, String sinkUrl, String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(sinkUrl + "/");
        browser.findElement(By.id("user")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /** What the officers' guide shows of this step (docs/huong-dan-can-bo-tinh.md); see {@link Screenshots}. */
    static Path screenshot(ChromeDriver browser, String name) {
        return Screenshots.keep(name, browser.getScreenshotAs(OutputType.BYTES));
    }
}
