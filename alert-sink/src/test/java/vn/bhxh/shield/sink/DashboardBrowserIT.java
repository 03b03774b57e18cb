package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.bhxh.shield.lookup.IndicatorStatus;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.IndicatorKind;
import vn.bhxh.shield.schema.LinkedIndicator;
import vn.bhxh.shield.schema.ScamRequest;
import vn.bhxh.shield.testkit.AxeCheck;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The province dashboard in real headless Chromium against a real broker: two independent browser sessions, alerts
 * produced to the province topics, and what an officer sees without reloading.
 */
class DashboardBrowserIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final String THANH_HOA = "thanh-hoa";
    private static final String HA_NOI = "ha-noi";
    private static final Dimension DESKTOP = new Dimension(1280, 800);
    private static final Dimension PHONE = new Dimension(390, 844);

    private static KafkaTestCluster cluster;
    private static Topics topics;
    private static AlertSinkService sink;
    private static ChromeDriver officer;
    private static ChromeDriver colleague;
    private static FakeProcessorLookup processor;

    @BeforeAll
    static void start() throws Exception {
        HeadlessChromium.assumeInstalled("the dashboard's browser test");
        processor = new FakeProcessorLookup();
        cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        topics = new Topics(cluster.registryClient());
        sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-browser-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "browser-it-session-key",
                "SINK_USERS", SinkUsers.hashed("thanhhoa1:th-pass-1:thanh-hoa,thanhhoa2:th-pass-2:thanh-hoa,"
                        + "hanoi1:hn-pass-1:ha-noi,quocgia1:qg-pass-1:national"),
                "SINK_APPEAL_KEY", AppealsIT.appealKey(),
                "PROCESSOR_URL", processor.url())));
        ServiceProbe.awaitHealthy(sink.port(), WITHIN);
        officer = HeadlessChromium.open();
        colleague = HeadlessChromium.open();
    }

    @AfterAll
    static void stop() throws Exception {
        for (WebDriver browser : new WebDriver[] {officer, colleague}) {
            if (browser != null) {
                browser.quit();
            }
        }
        if (sink != null) {
            sink.close();
        }
        if (processor != null) {
            processor.close();
        }
    }

    @Test
    void aProvinceAlertAppearsWithoutReloadAndAnotherProvincesNever() throws Exception {
        String run = "run" + System.nanoTime();
        signIn(officer, "thanhhoa1", "th-pass-1");
        signIn(colleague, "hanoi1", "hn-pass-1");

        publish(HA_NOI, alert(run + "/ha-noi", HA_NOI));
        onCard(colleague, run + "/ha-noi", WebElement::getText);
        // Read after the Hà Nội alert, and one live stream keeps its order: had the Hà Nội alert been sent to
        // Thanh Hóa, it would be on the page by the time this one is.
        publish(THANH_HOA, alert(run + "/thanh-hoa", THANH_HOA));
        assertThat(onCard(officer, run + "/thanh-hoa", WebElement::getText)).contains("0904 038 115", "Cảnh báo");

        assertThat(officer.findElements(cardOf(run + "/ha-noi"))).isEmpty();
        assertThat(stillTheSamePage(officer)).as("shown without a reload").isTrue();
    }

    @Test
    void scriptInSampleNotesIsShownAsTextAndNeverRuns() throws Exception {
        String run = "run" + System.nanoTime();
        signIn(officer, "thanhhoa1", "th-pass-1");
        List<String> notes = List.of("<script>window.bhxhInjected = 'script'; alert('xss')</script> gọi tự xưng BHXH",
                "<img src=x onerror=\"window.bhxhInjected = 'img'; alert('xss')\"> xin mã OTP");

        publish(THANH_HOA, Alert.newBuilder(alert(run + "/xss", THANH_HOA)).setSampleNotes(notes).build());

        List<String> shown = onCard(officer, run + "/xss", card -> card.findElements(By.cssSelector(".notes li"))
                .stream().map(WebElement::getText).toList());
        assertThat(shown).isEqualTo(notes);
        List<WebElement> injected = onCard(officer, run + "/xss",
                card -> card.findElements(By.cssSelector(".notes script, .notes img")));
        assertThat(injected).isEmpty();
        assertThatThrownBy(() -> officer.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        assertThat(((JavascriptExecutor) officer).executeScript("return window.bhxhInjected")).isNull();
    }

    @Test
    void acknowledgingOnOnePageShowsOnAColleaguesOpenPage() throws Exception {
        String run = "run" + System.nanoTime();
        signIn(officer, "thanhhoa1", "th-pass-1");
        signIn(colleague, "thanhhoa2", "th-pass-2");
        publish(THANH_HOA, alert(run + "/ack", THANH_HOA));
        assertThat(onCard(colleague, run + "/ack", WebElement::getText)).contains("Chưa xác nhận");

        onCard(officer, run + "/ack", card -> {
            card.findElement(By.cssSelector("button.ack")).click();
            return true;
        });

        waitFor(colleague).until(ExpectedConditions.attributeContains(cardOf(run + "/ack"), "class", "acknowledged"));
        assertThat(onCard(colleague, run + "/ack", WebElement::getText)).contains("Đã xác nhận bởi thanhhoa1")
                .doesNotContain("Chưa xác nhận");
        List<WebElement> ackButtons = onCard(colleague, run + "/ack", card -> card.findElements(By.cssSelector("button.ack")));
        assertThat(ackButtons).isEmpty();
        assertThat(stillTheSamePage(colleague)).as("shown without a reload").isTrue();
    }

    @Test
    void anOfficerReadsLevelsAndIndicatorsAsPeopleWriteThem() throws Exception {
        String run = "run" + System.nanoTime();
        signIn(officer, "thanhhoa1", "th-pass-1");
        List<Integer> hourly = new ArrayList<>(Collections.nCopies(21, 0));
        hourly.addAll(List.of(1, 0, 2));
        Alert warning = Alert.newBuilder(alert(run + "/warning", THANH_HOA)).setHourlyReports(hourly).build();
        publish(THANH_HOA, warning);
        publish(THANH_HOA, Alert.newBuilder(alert(run + "/blocked", THANH_HOA)).setLevel(AlertLevel.BLOCKED)
                .setIndicator("tel:+84994311220").setReason("5 người báo cáo trong 24 giờ")
                .setProvinces(List.of(THANH_HOA, HA_NOI)).setDistinctReporters(5).setReportCount(7).build());
        publish(THANH_HOA, Alert.newBuilder(alert(run + "/spoofed", THANH_HOA))
                .setLevel(AlertLevel.OFFICIAL_CHANNEL_SPOOFED).setIndicator("tel:+842373753850")
                .setReason("Số chính thức của BHXH Thanh Hóa bị giả mạo").build());
        publish(THANH_HOA, Alert.newBuilder(alert(run + "/domain", THANH_HOA)).setKind(IndicatorKind.DOMAIN)
                .setIndicator("domain:baohiemxahoi-vn.com").setReason("3 người báo cáo trong 24 giờ").build());

        String lastSeenInVietnam = DateTimeFormatter.ofPattern("HH:mm dd/MM/yyyy")
                .format(warning.getLastSeen().atZone(ZoneId.of("Asia/Ho_Chi_Minh")));
        assertThat(onCard(officer, run + "/warning", WebElement::getText))
                .contains("Cảnh báo", "0904 038 115", "Số điện thoại", "lần cuối: " + lastSeenInVietnam);
        String trend = onCard(officer, run + "/warning", card -> card.findElement(By.cssSelector(".sparkline")).getText());
        assertThat(trend).isEqualTo("▁".repeat(21) + "▅▁█");
        String trendLabel = onCard(officer, run + "/warning",
                card -> card.findElement(By.cssSelector(".sparkline")).getAttribute("aria-label"));
        assertThat(trendLabel).isEqualTo("Số báo cáo mỗi giờ trong 24 giờ qua: " + "0, ".repeat(21) + "1, 0, 2");
        List<WebElement> noTrend = onCard(officer, run + "/spoofed", card -> card.findElements(By.cssSelector(".sparkline")));
        assertThat(noTrend).as("no trend for an alert without hourly reports").isEmpty();
        assertThat(onCard(officer, run + "/blocked", WebElement::getText)).contains("Đã chặn", "0994 311 220", "Thanh Hóa", "Hà Nội");
        assertThat(onCard(officer, run + "/spoofed", WebElement::getText)).contains("Giả mạo kênh chính thức", "0237 3753 850");
        assertThat(onCard(officer, run + "/domain", WebElement::getText)).contains("baohiemxahoi-vn.com", "Tên miền");
        assertThat(officer.findElement(By.tagName("header")).getText()).contains("Thanh Hóa");
        Long overflow = (Long) ((JavascriptExecutor) officer)
                .executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).as("nothing wider than the window").isLessThanOrEqualTo(0L);

        // Kept for people to look at (CI artefact, the officers' guide): what a Thanh Hóa officer sees.
        assertThat(Files.size(HeadlessChromium.screenshot(officer, "dashboard"))).isPositive();
    }

    @Test
    void aReviewItemShowsItsEvidenceAndAConfirmationShowsOnAnotherOpenPage() throws Exception {
        String run = "run" + System.nanoTime();
        String indicator = freshNumber();
        processor.knows(indicator, IndicatorStatus.Status.NOT_LISTED, List.of(THANH_HOA));
        signIn(officer, "thanhhoa1", "th-pass-1");
        signIn(colleague, "quocgia1", "qg-pass-1");
        Instant raised = Instant.now().minus(Duration.ofHours(25));
        Alert proposal = Alert.newBuilder(alert(run + "/proposal", THANH_HOA)).setIndicator(indicator)
                .setLevel(AlertLevel.PROPOSED).setReason("5 người báo cáo trong 24 giờ: chờ cán bộ duyệt")
                .setDistinctReporters(5).setReportCount(6).setChannelCounts(Map.of("HOTLINE", 4, "FANPAGE", 2))
                .setRequested(List.of(ScamRequest.OTP, ScamRequest.MONEY_TRANSFER)).setAmountLostVnd(5_000_000L)
                .setSubmittingAccounts(Map.of("operator-7", 4, "page-1234", 1)).setBurstAccount("operator-7")
                .setSampleNotes(List.of("<b>Gọi</b> tự xưng BHXH, đòi mã OTP")).setRaisedAt(raised).build();
        publish(Topics.provinceAlertsName(THANH_HOA), proposal);
        publish(Topics.ALERTS_NATIONAL, proposal);
        publish(Topics.ALERTS_NATIONAL, Alert.newBuilder(proposal).setAlertId(run + "/escalated")
                .setLevel(AlertLevel.ESCALATED).setRaisedAt(raised.plus(Duration.ofHours(2))).build());

        String card = onCard(officer, run + "/proposal", WebElement::getText);
        assertThat(card).contains("Đề xuất chặn", SinkJson.display(indicator), "5 người báo cáo", "Thanh Hóa",
                "Tổng đài 4", "Fanpage 2", "mã OTP", "chuyển tiền", "5.000.000 đ",
                "operator-7 (4 người báo cáo)", "page-1234 (1 người báo cáo)",
                "Chú ý: tài khoản operator-7", "Đề xuất cách đây 25 giờ", "quá hạn", "<b>Gọi</b> tự xưng BHXH");
        assertThat(onCard(colleague, run + "/proposal", WebElement::getText)).contains("Đề xuất chặn");
        assertThat(onCard(colleague, run + "/escalated", WebElement::getText))
                .contains("Quá 2 giờ chưa duyệt — chuyển cấp quốc gia", "operator-7 (4 người báo cáo)");
        List<WebElement> escalatedButtons = onCard(colleague, run + "/escalated",
                c -> c.findElements(By.cssSelector("button.confirm, button.reject")));
        assertThat(escalatedButtons).as("a national officer may decide it").hasSize(2);
        assertThat(officer.findElements(cardOf(run + "/escalated"))).as("national board only").isEmpty();
        // Kept for people to look at (CI artefact, the officers' guide): a review item as a Thanh Hóa officer sees it.
        HeadlessChromium.screenshot(officer, "review-item");

        onCard(officer, run + "/proposal", card1 -> {
            card1.findElement(By.cssSelector("button.confirm")).click();
            return true;
        });
        WebElement dialog = officer.findElement(By.id("decide-dialog"));
        waitFor(officer).until(ExpectedConditions.visibilityOf(dialog));
        assertThat(dialog.getText()).contains("Xác nhận chặn", SinkJson.display(indicator));
        officer.findElement(By.id("decide-submit")).click();
        assertThat(dialog.isDisplayed()).as("no decision without a reason").isTrue();
        officer.findElement(By.id("decide-reason")).sendKeys("Đã gọi lại 3 người dân: đúng là giả mạo");
        HeadlessChromium.screenshot(officer, "decide-dialog");
        officer.findElement(By.id("decide-submit")).click();
        waitFor(officer).until(ExpectedConditions.invisibilityOf(dialog));
        assertThat(officer.findElement(By.id("decision-status")).getText()).contains("Đã ghi quyết định");

        waitFor(colleague).until(ExpectedConditions.attributeContains(cardOf(run + "/escalated"), "class", "decided"));
        assertThat(onCard(colleague, run + "/escalated", WebElement::getText)).contains("Đã xác nhận bởi thanhhoa1");
        for (WebDriver page : List.of(colleague, officer)) {
            waitFor(page).until(ExpectedConditions.attributeContains(cardOf(run + "/proposal"), "class", "decided"));
            assertThat(onCard(page, run + "/proposal", WebElement::getText))
                    .contains("Đã xác nhận bởi thanhhoa1 lúc", "Đã gọi lại 3 người dân").doesNotContain("quá hạn");
            List<WebElement> buttons = onCard(page, run + "/proposal", c -> c.findElements(By.cssSelector("button.decide")));
            assertThat(buttons).as("decided: no buttons").isEmpty();
        }
        HeadlessChromium.screenshot(officer, "review-item-decided");
        assertThat(stillTheSamePage(colleague)).as("shown without a reload").isTrue();
    }

    @Test
    void rejectingAProposalAndDelistingAListingFromThePage() throws Exception {
        String run = "run" + System.nanoTime();
        String proposed = freshNumber();
        String listed = freshNumber();
        String searched = freshNumber();
        processor.knows(proposed, IndicatorStatus.Status.NOT_LISTED, List.of(THANH_HOA));
        processor.knows(listed, IndicatorStatus.Status.LISTED, List.of(THANH_HOA));
        processor.knows(searched, IndicatorStatus.Status.CONFIRMED, List.of(HA_NOI));
        signIn(officer, "thanhhoa1", "th-pass-1");
        signIn(colleague, "thanhhoa2", "th-pass-2");
        publish(Topics.provinceAlertsName(THANH_HOA), Alert.newBuilder(alert(run + "/proposal", THANH_HOA))
                .setIndicator(proposed).setLevel(AlertLevel.PROPOSED).setSubmittingAccounts(Map.of("operator-2", 3))
                .build());
        publish(Topics.provinceAlertsName(THANH_HOA), Alert.newBuilder(alert(run + "/blocked", THANH_HOA))
                .setIndicator(listed).setLevel(AlertLevel.BLOCKED).build());

        decideOnCard(officer, run + "/proposal", "button.reject", "Số của cửa hàng, người dân báo nhầm");
        decideOnCard(officer, run + "/blocked", "button.delist", "Chủ thuê bao mới đã xác minh");

        assertThat(onCardOnceDecided(colleague, run + "/proposal")).contains("Đã bác bỏ bởi thanhhoa1",
                "người dân báo nhầm");
        assertThat(onCardOnceDecided(colleague, run + "/blocked")).contains(
                "Đã gỡ khỏi danh sách chặn bởi thanhhoa1", "Chủ thuê bao mới");
        List<WebElement> delist = onCard(colleague, run + "/blocked", c -> c.findElements(By.cssSelector("button.delist")));
        assertThat(delist).isEmpty();

        // A national officer delists a police-confirmed listing from the search box, where they may also allowlist.
        signIn(colleague, "quocgia1", "qg-pass-1");
        search(colleague, searched);
        assertThat(lookupButtons(colleague)).containsExactly("Gỡ khỏi danh sách chặn",
                "Đưa vào danh sách kênh chính thức");
        colleague.findElement(By.cssSelector("#lookup-actions button.delist")).click();
        colleague.findElement(By.id("decide-reason")).sendKeys("KN-2026-31: thuê bao đã đổi chủ");
        colleague.findElement(By.id("decide-submit")).click();
        waitFor(colleague).until(ExpectedConditions.textToBePresentInElementLocated(By.id("decision-status"),
                "Đã ghi quyết định"));
    }

    @Test
    void theNationalBoardShowsACampaignDecidesItInOneDecisionAndExportsItsEvidence() throws Exception {
        String run = "run" + System.nanoTime();
        String head = freshNumber();
        String linked = freshNumber();
        processor.knows(head, IndicatorStatus.Status.PROPOSED, List.of(THANH_HOA),
                List.of(FakeProcessorLookup.linked(linked, 5)));
        processor.hasEvidence(FakeProcessorLookup.evidence(head, "=HYPERLINK(\"http://lua.vn\") gọi tự xưng BHXH"));
        signIn(colleague, "quocgia1", "qg-pass-1");
        publish(Topics.ALERTS_NATIONAL, Alert.newBuilder(alert(run + "/campaign", THANH_HOA)).setIndicator(head)
                .setLevel(AlertLevel.PROPOSED).setLinked(List.of(new LinkedIndicator(linked, 5,
                        FakeProcessorLookup.LINKED_SINCE))).build());

        String since = DateTimeFormatter.ofPattern("dd/MM/yyyy").withZone(IndicatorCards.VIETNAM)
                .format(FakeProcessorLookup.LINKED_SINCE);
        String campaign = "Liên quan (cùng chiến dịch): " + SinkJson.display(linked) + " (5 báo cáo, từ " + since
                + ")";
        String linkedLine = onCard(colleague, run + "/campaign",
                c -> c.findElement(By.cssSelector(".linked")).getText());
        assertThat(linkedLine).isEqualTo(campaign);
        List<String> exports = onCard(colleague, run + "/campaign", c -> c.findElements(
                By.cssSelector(".evidence button")).stream().map(WebElement::getText).toList());
        assertThat(exports).containsExactly("CSV", "JSON", "CSV cả chiến dịch", "JSON cả chiến dịch");
        AxeCheck.assertClean(colleague::executeAsyncScript, "national board with a campaign");

        // The export: its SHA-256 shown for the case file is that of the exact bytes served.
        onCard(colleague, run + "/campaign", c -> {
            c.findElement(By.cssSelector(".evidence button.csv:not(.campaign)")).click();
            return true;
        });
        SinkHttp http = new SinkHttp(sink.port());
        byte[] served = SinkHttp.send(http.request(EvidenceApi.PATH + "?format=csv&indicator="
                + head.replace("+", "%2B"), http.signIn("quocgia1", "qg-pass-1")).GET()).body()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        waitFor(colleague).until(page -> page.findElement(cardOf(run + "/campaign"))
                .findElement(By.cssSelector(".evidence-digest")).getText().contains("SHA-256"));
        String digest = onCard(colleague, run + "/campaign",
                c -> c.findElement(By.cssSelector(".evidence-digest")).getText());
        assertThat(digest).contains("bang-chung-tel-", "SHA-256: " + EvidenceExport.sha256Hex(served));

        search(colleague, head);
        assertThat(colleague.findElement(By.id("lookup-result")).getText()).contains(campaign);
        assertThat(colleague.findElements(By.cssSelector("#lookup-evidence button"))).hasSize(4);

        // The whole campaign in one decision: the linked indicator is ticked, the officer may untick it.
        onCard(colleague, run + "/campaign", c -> {
            c.findElement(By.cssSelector("button.confirm.campaign")).click();
            return true;
        });
        WebElement dialog = colleague.findElement(By.id("decide-dialog"));
        waitFor(colleague).until(ExpectedConditions.visibilityOf(dialog));
        assertThat(dialog.getText()).contains("Xác nhận chặn cả chiến dịch", SinkJson.display(linked));
        assertThat(colleague.findElement(By.cssSelector("#decide-members input")).isSelected()).isTrue();
        AxeCheck.assertClean(colleague::executeAsyncScript, "campaign decision dialog");
        colleague.findElement(By.id("decide-reason")).sendKeys("Cùng kịch bản, đã xác minh với công an");
        colleague.findElement(By.id("decide-submit")).click();
        waitFor(colleague).until(ExpectedConditions.invisibilityOf(dialog));
        assertThat(colleague.findElement(By.id("decision-status")).getText()).contains("và 1 chỉ báo liên quan");
        HeadlessChromium.screenshot(colleague, "board-campaign");
    }

    @Test
    void aProvinceOfficerSeesNoButtonsForWhatIsOutsideTheirProvince() throws Exception {
        String run = "run" + System.nanoTime();
        String thanhHoaOnly = freshNumber();
        String policeInHaNoi = freshNumber();
        String listedInHaNoi = freshNumber();
        processor.knows(thanhHoaOnly, IndicatorStatus.Status.LISTED, List.of(THANH_HOA));
        processor.knows(policeInHaNoi, IndicatorStatus.Status.CONFIRMED, List.of(HA_NOI));
        processor.knows(listedInHaNoi, IndicatorStatus.Status.LISTED, List.of(HA_NOI, THANH_HOA));
        signIn(officer, "hanoi1", "hn-pass-1");
        signIn(colleague, "thanhhoa1", "th-pass-1");
        publish(Topics.provinceAlertsName(THANH_HOA), Alert.newBuilder(alert(run + "/proposal", THANH_HOA))
                .setIndicator(thanhHoaOnly).setLevel(AlertLevel.PROPOSED).build());
        onCard(colleague, run + "/proposal", WebElement::getText);

        search(officer, thanhHoaOnly);
        assertThat(lookupButtons(officer)).as("reported only in Thanh Hóa").isEmpty();
        search(officer, policeInHaNoi);
        assertThat(lookupButtons(officer)).as("police-confirmed: national accounts only").isEmpty();
        search(officer, listedInHaNoi);
        assertThat(lookupButtons(officer)).as("listed, reported in Hà Nội").containsExactly("Gỡ khỏi danh sách chặn");
        assertThat(officer.findElements(cardOf(run + "/proposal"))).as("Thanh Hóa's review item").isEmpty();
    }

    @Test
    void signingOutReturnsToTheSignInForm() {
        signIn(officer, "thanhhoa1", "th-pass-1");

        officer.findElement(By.cssSelector("form[action='/logout'] button")).click();

        waitFor(officer).until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
        assertThat(officer.manage().getCookieNamed("bhxh_session")).as("the session cookie").isNull();
        HeadlessChromium.screenshot(officer, "dashboard-sign-in");
    }

    @Test
    void theBoardGroupsByIndicatorFiltersChartsAndExportsWhatItShowsOnADesktopAndAPhone() throws Exception {
        String run = "run" + System.nanoTime();
        String escalating = freshNumber();
        String seen = freshNumber();
        String domain = "domain:bhxh-" + run + ".top";
        officer.manage().window().setSize(DESKTOP);
        signIn(officer, "thanhhoa1", "th-pass-1");
        Map<String, Long> before = figures(officer);
        Map<String, Integer> chartBefore = chartToday(officer);
        Instant now = Instant.now();
        publish(THANH_HOA, alert(run + "/w", escalating, AlertLevel.WARNING, now.minusSeconds(120)));
        publish(THANH_HOA, alert(run + "/p", escalating, AlertLevel.PROPOSED, now.minusSeconds(60)));
        publish(THANH_HOA, alert(run + "/b", escalating, AlertLevel.BLOCKED, now));
        publish(THANH_HOA, alert(run + "/seen", seen, AlertLevel.WARNING, now));
        publish(THANH_HOA, Alert.newBuilder(alert(run + "/domain", domain, AlertLevel.WARNING, now))
                .setKind(IndicatorKind.DOMAIN).build());

        // One card for the three alerts of one number, its levels in the order they were raised.
        List<String> history = waitFor(officer).until(page -> {
            List<String> steps = page.findElement(cardOf(run + "/b")).findElements(By.cssSelector(".history li"))
                    .stream().map(WebElement::getText).toList();
            return steps.size() == 3 ? steps : null;
        });
        assertThat(history.get(0)).startsWith("Cảnh báo");
        assertThat(history.get(1)).startsWith("Đề xuất chặn");
        assertThat(history.get(2)).startsWith("Đã chặn");
        assertThat(officer.findElements(By.cssSelector("article[data-indicator='" + escalating + "']"))).hasSize(1);
        String cardOfTheWarning = onCard(officer, run + "/w", card -> card.getAttribute("data-indicator"));
        assertThat(cardOfTheWarning).isEqualTo(escalating);
        onCard(officer, run + "/seen", card -> {
            card.findElement(By.cssSelector("button.ack")).click();
            return true;
        });
        waitFor(officer).until(ExpectedConditions.attributeContains(cardOf(run + "/seen"), "class", "acknowledged"));

        // Today's figures: five new alerts; the number is listed and not acknowledged, so is the domain.
        waitFor(officer).until(page -> figures(page).get("unacknowledged") == before.get("unacknowledged") + 2);
        Map<String, Long> after = figures(officer);
        assertThat(after.get("new")).isEqualTo(before.get("new") + 5);
        assertThat(after.get("listed")).isEqualTo(before.get("listed") + 1);
        assertThat(after.get("review")).isEqualTo(before.get("review"));
        assertThat(officer.getTitle()).isEqualTo("(" + after.get("new") + ") Cảnh báo giả mạo BHXH — Thanh Hóa");

        // The 30-day chart by day and kind, drawn by the Chart.js the sink serves.
        Map<String, Integer> chartAfter = waitFor(officer).until(page -> {
            Map<String, Integer> today = chartToday(page);
            return today.get("Tên miền") == chartBefore.get("Tên miền") + 1 ? today : null;
        });
        assertThat(chartAfter.get("Số điện thoại")).isEqualTo(chartBefore.get("Số điện thoại") + 4);
        assertThat(chartAfter).containsOnlyKeys("Số điện thoại", "Tên miền", "Trang mạng", "Tài khoản ngân hàng",
                "Tài khoản mạng xã hội", "Ví điện tử");
        assertThat((Long) js(officer, "return Chart.getChart(document.getElementById('trend-chart')).data.labels.length"))
                .isEqualTo(30L);

        // Each filter.
        select(officer, "level-filter", "BLOCKED");
        waitFor(officer).until(page -> !shownIndicators(page).contains(seen));
        assertThat(shownIndicators(officer)).contains(escalating);
        assertThat(officer.findElements(By.cssSelector("#alerts article:not(.BLOCKED)"))).isEmpty();
        select(officer, "level-filter", "");
        select(officer, "kind-filter", "DOMAIN");
        waitFor(officer).until(page -> !shownIndicators(page).contains(escalating));
        assertThat(shownIndicators(officer)).contains(domain).allMatch(indicator -> indicator.startsWith("domain:"));
        select(officer, "kind-filter", "PHONE");
        officer.findElement(By.id("unacknowledged-filter")).click();
        waitFor(officer).until(page -> !shownIndicators(page).contains(seen));
        assertThat(shownIndicators(officer)).contains(escalating).doesNotContain(domain);
        assertThat(officer.findElements(By.cssSelector("#alerts article.acknowledged"))).isEmpty();

        // The export is what is shown, in the same order, Vietnamese intact.
        String csv = (String) officer.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(document.getElementById('export').href).then(r => r.arrayBuffer())"
                + ".then(b => done(new TextDecoder('utf-8', {ignoreBOM: true}).decode(b)))");
        assertThat(csv).startsWith("\uFEFF\"Chỉ báo\"");
        List<String> exported = csv.lines().skip(1).map(line -> line.substring(1, line.indexOf('"', 1))).toList();
        List<String> shownDisplays = officer.findElements(By.cssSelector("#alerts article .indicator")).stream()
                .map(WebElement::getText).toList();
        assertThat(exported).isNotEmpty().isEqualTo(shownDisplays);
        assertThat(csv).contains("\"Cảnh báo ", " → Đề xuất chặn ", " → Đã chặn ");
        AxeCheck.assertClean(officer::executeAsyncScript, "province board, desktop, filtered");
        js(officer, "window.scrollTo(0, 0)");
        HeadlessChromium.screenshot(officer, "board-desktop");

        // A phone: the same page in one column, nothing wider than the screen, still accessible.
        officer.manage().window().setSize(PHONE);
        waitFor(officer).until(page -> (Long) js(page, "return window.innerWidth") <= 400L);
        assertThat((Long) js(officer, "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                .as("nothing wider than the phone's screen").isLessThanOrEqualTo(0L);
        List<WebElement> figureBoxes = officer.findElements(By.cssSelector(".figures li"));
        assertThat(figureBoxes.get(2).getLocation().getY()).as("figures in two columns")
                .isGreaterThan(figureBoxes.get(0).getLocation().getY());
        assertThat(figureBoxes.get(1).getLocation().getY()).isEqualTo(figureBoxes.get(0).getLocation().getY());
        AxeCheck.assertClean(officer::executeAsyncScript, "province board, phone");
        js(officer, "window.scrollTo(0, 0)");
        HeadlessChromium.screenshot(officer, "board-phone");
        officer.manage().window().setSize(DESKTOP);
    }

    @Test
    void aLiveUpdateKeepsTheFocusedFilterAndTheCardBeingReadOnADesktopAndAPhone() throws Exception {
        for (Dimension window : List.of(DESKTOP, PHONE)) {
            String run = "run" + System.nanoTime();
            officer.manage().window().setSize(window);
            signIn(officer, "thanhhoa1", "th-pass-1");
            for (int i = 0; i < 6; i++) {
                publish(THANH_HOA, alert(run + "/filler-" + i, freshNumber(), AlertLevel.WARNING, Instant.now()));
            }
            onCard(officer, run + "/filler-5", WebElement::getText);
            waitFor(officer).until(page -> (Long) js(page, "return document.documentElement.scrollHeight")
                    > (Long) js(page, "return window.innerHeight") + 900L);
            js(officer, "document.getElementById('level-filter').focus()");
            js(officer, "window.scrollTo(0, document.getElementById('alerts').offsetTop + 600)");
            @SuppressWarnings("unchecked")
            Map<String, Object> reading = (Map<String, Object>) js(officer, """
                    const bar = document.getElementById('filters');
                    const below = getComputedStyle(bar).position === 'sticky' ? bar.getBoundingClientRect().bottom : 0;
                    const card = [...document.querySelectorAll('#alerts article')]
                        .find(c => c.getBoundingClientRect().bottom > below);
                    card.bhxhSameElement = true;
                    return {indicator: card.dataset.indicator, top: card.getBoundingClientRect().top,
                        scrollY: window.scrollY};""");
            assertThat(((Number) reading.get("scrollY")).doubleValue()).as("scrolled").isPositive();

            publish(THANH_HOA, alert(run + "/new", freshNumber(), AlertLevel.WARNING, Instant.now()));
            waitFor(officer).until(page -> !page.findElements(cardOf(run + "/new")).isEmpty());

            assertThat((String) js(officer, "return document.activeElement.id")).as("focus kept, " + window)
                    .isEqualTo("level-filter");
            @SuppressWarnings("unchecked")
            Map<String, Object> after = (Map<String, Object>) js(officer, """
                    const card = document.querySelector("#alerts article[data-indicator='" + arguments[0] + "']");
                    return {same: card.bhxhSameElement === true, top: card.getBoundingClientRect().top,
                        scrollY: window.scrollY};""", reading.get("indicator"));
            assertThat((Boolean) after.get("same")).as("the card was kept, not rebuilt, " + window).isEqualTo(true);
            assertThat(((Number) after.get("top")).doubleValue()).as("the card being read stays put, " + window)
                    .isCloseTo(((Number) reading.get("top")).doubleValue(), within(1.0));
            assertThat(((Number) after.get("scrollY")).doubleValue()).as("scrolled by the new card above, " + window)
                    .isGreaterThan(((Number) reading.get("scrollY")).doubleValue());
            assertThat(stillTheSamePage(officer)).isTrue();
        }
        officer.manage().window().setSize(DESKTOP);
    }

    @Test
    void theNationalBoardListsTheThirtyFourProvincesAndFiltersByProvince() throws Exception {
        String run = "run" + System.nanoTime();
        String inHaNoi = freshNumber();
        String inThanhHoa = freshNumber();
        colleague.manage().window().setSize(DESKTOP);
        signIn(colleague, "quocgia1", "qg-pass-1");
        publish(Topics.ALERTS_NATIONAL, Alert.newBuilder(alert(run + "/hn", inHaNoi, AlertLevel.WARNING, Instant.now()))
                .setProvinces(List.of(HA_NOI)).build());
        publish(Topics.ALERTS_NATIONAL, alert(run + "/th", inThanhHoa, AlertLevel.WARNING, Instant.now()));
        publish(THANH_HOA, alert(run + "/th-province", inThanhHoa, AlertLevel.WARNING, Instant.now()));
        onCard(colleague, run + "/hn", WebElement::getText);
        onCard(colleague, run + "/th", WebElement::getText);

        List<WebElement> rows = colleague.findElements(By.cssSelector("#provinces-table tbody tr"));
        assertThat(rows).hasSize(34);
        WebElement thanhHoa = colleague.findElement(By.cssSelector("#provinces-table tr[data-province='thanh-hoa']"));
        assertThat(thanhHoa.findElement(By.tagName("th")).getText()).isEqualTo("Thanh Hóa");
        assertThat(Long.parseLong(thanhHoa.findElements(By.tagName("td")).get(0).getText())).isPositive();
        assertThat(thanhHoa.findElement(By.cssSelector("td.sparkline")).getAttribute("aria-label"))
                .startsWith("Cảnh báo mỗi ngày, 30 ngày qua: ");

        select(colleague, "province-filter", HA_NOI);
        waitFor(colleague).until(page -> !shownIndicators(page).contains(inThanhHoa));
        assertThat(shownIndicators(colleague)).contains(inHaNoi);
        assertThat(colleague.findElements(By.cssSelector("#alerts article"))).allMatch(card -> card.getText()
                .contains("Hà Nội"));
        AxeCheck.assertClean(colleague::executeAsyncScript, "national board, desktop");
        js(colleague, "window.scrollTo(0, 0)");
        HeadlessChromium.screenshot(colleague, "board-national");
        colleague.manage().window().setSize(PHONE);
        waitFor(colleague).until(page -> (Long) js(page, "return window.innerWidth") <= 400L);
        assertThat((Long) js(colleague, "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                .as("the table scrolls inside its box, not the page").isLessThanOrEqualTo(0L);
        AxeCheck.assertClean(colleague::executeAsyncScript, "national board, phone");
        colleague.manage().window().setSize(DESKTOP);
    }

    @Test
    void theSignInAndAppealPagesPassAxeOnADesktopAndAPhone() {
        for (Dimension window : List.of(DESKTOP, PHONE)) {
            colleague.manage().window().setSize(window);
            colleague.manage().deleteAllCookies();
            colleague.get("http://localhost:" + sink.port() + "/");
            waitFor(colleague).until(ExpectedConditions.visibilityOfElementLocated(By.id("user")));
            AxeCheck.assertClean(colleague::executeAsyncScript, "sign-in page, " + window);
            colleague.get("http://localhost:" + sink.port() + AppealPage.PAGE);
            waitFor(colleague).until(ExpectedConditions.visibilityOfElementLocated(By.id("appeal-form")));
            AxeCheck.assertClean(colleague::executeAsyncScript, "appeal page, " + window);
            assertThat((Long) js(colleague, "return document.documentElement.scrollWidth - document.documentElement.clientWidth"))
                    .as("nothing wider than the window, " + window).isLessThanOrEqualTo(0L);
        }
        colleague.manage().window().setSize(DESKTOP);
        // The check itself finds what it should: an image without a text alternative is a critical violation.
        js(colleague, "const img = document.createElement('img'); img.src = '/x.png'; document.body.append(img)");
        assertThat(AxeCheck.violations(colleague::executeAsyncScript)).anyMatch(line -> line.contains("image-alt"));
    }

    /** A fresh session (cookies cleared) signed in through the form, its live stream connected. */
    private static void signIn(WebDriver browser, String user, String password) {
        HeadlessChromium.signIn(browser, "http://localhost:" + sink.port(), user, password);
        waitFor(browser).until(ExpectedConditions.textToBe(By.id("live-status"), "Đang cập nhật trực tiếp"));
        ((JavascriptExecutor) browser).executeScript("window.bhxhSamePage = true");
    }

    private static boolean stillTheSamePage(WebDriver browser) {
        return Boolean.TRUE.equals(((JavascriptExecutor) browser).executeScript("return window.bhxhSamePage"));
    }

    /** The card of the alert's indicator: it lists the ids of every alert in its level history. */
    private static By cardOf(String alertId) {
        return By.cssSelector("article[data-alert-ids~='" + alertId + "']");
    }

    /** Waits for the alert's card and reads it; a live event may swap a changed card, so a read may be retried. */
    private static <T> T onCard(WebDriver browser, String alertId, Function<WebElement, T> read) {
        return waitFor(browser).until(page -> read.apply(page.findElement(cardOf(alertId))));
    }

    private static FluentWait<WebDriver> waitFor(WebDriver browser) {
        return new WebDriverWait(browser, WITHIN).ignoring(StaleElementReferenceException.class);
    }

    /** Clicks the card's decision button, gives the reason in the dialog and waits until it was accepted. */
    private static void decideOnCard(WebDriver browser, String alertId, String button, String reason) {
        onCard(browser, alertId, card -> {
            card.findElement(By.cssSelector(button)).click();
            return true;
        });
        browser.findElement(By.id("decide-reason")).sendKeys(reason);
        browser.findElement(By.id("decide-submit")).click();
        waitFor(browser).until(ExpectedConditions.invisibilityOfElementLocated(By.id("decide-dialog")));
    }

    private static String onCardOnceDecided(WebDriver browser, String alertId) {
        waitFor(browser).until(ExpectedConditions.attributeContains(cardOf(alertId), "class", "decided"));
        return onCard(browser, alertId, WebElement::getText);
    }

    private static void search(WebDriver browser, String indicator) {
        WebElement input = browser.findElement(By.id("lookup-input"));
        input.clear();
        input.sendKeys(indicator);
        browser.findElement(By.cssSelector("#lookup-form button")).click();
        waitFor(browser).until(ExpectedConditions.textToBePresentInElementLocated(By.id("lookup-result"),
                SinkJson.display(indicator)));
    }

    private static List<String> lookupButtons(WebDriver browser) {
        return browser.findElements(By.cssSelector("#lookup-actions button")).stream().map(WebElement::getText).toList();
    }

    private static Object js(WebDriver browser, String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    /** The header's figures as shown. */
    private static Map<String, Long> figures(WebDriver browser) {
        Map<String, Long> figures = new HashMap<>();
        for (String figure : List.of("new", "review", "listed", "unacknowledged")) {
            figures.put(figure, Long.parseLong(browser.findElement(By.id("figure-" + figure)).getText()));
        }
        return figures;
    }

    /** Today's bar of the trend chart, per kind, from the chart's own data object. */
    private static Map<String, Integer> chartToday(WebDriver browser) {
        @SuppressWarnings("unchecked")
        Map<String, Object> today = (Map<String, Object>) js(browser, """
                const chart = Chart.getChart(document.getElementById('trend-chart'));
                if (!chart) return null;
                return Object.fromEntries(chart.data.datasets.map(d => [d.label, d.data[d.data.length - 1]]));""");
        if (today == null) {
            throw new StaleElementReferenceException("the chart is not drawn yet");
        }
        Map<String, Integer> counts = new HashMap<>();
        today.forEach((kind, count) -> counts.put(kind, ((Number) count).intValue()));
        return counts;
    }

    private static List<String> shownIndicators(WebDriver browser) {
        return browser.findElements(By.cssSelector("#alerts article")).stream()
                .map(card -> card.getAttribute("data-indicator")).toList();
    }

    private static void select(WebDriver browser, String id, String value) {
        new Select(browser.findElement(By.id(id))).selectByValue(value);
    }

    /** Kept for people to look at (CI artefact). */

    private static Alert alert(String alertId, String indicator, AlertLevel level, Instant raisedAt) {
        return Alert.newBuilder(alert(alertId, THANH_HOA)).setIndicator(indicator).setLevel(level).setRaisedAt(raisedAt)
                .build();
    }

    /** A mobile number no other test uses, as its canonical key. */
    private static String freshNumber() {
        return "tel:+8490" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
    }

    private static Alert alert(String alertId, String province) {
        return WebhookDeliveryIT.alert(alertId, province);
    }

    private static void publish(String provinceOrTopic, Alert alert) throws Exception {
        String topic = provinceOrTopic.startsWith("bhxh.") ? provinceOrTopic : Topics.provinceAlertsName(provinceOrTopic);
        try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.nationalAlerts().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic, alert.getIndicator(), alert)).get();
        }
    }
}
