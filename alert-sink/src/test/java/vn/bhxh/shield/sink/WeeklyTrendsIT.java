package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.WeeklyTrend;
import vn.bhxh.shield.testkit.AxeCheck;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.testkit.SinkUsers;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;
import vn.bhxh.shield.trend.ReportWeeks;

/**
 * The weekly trends as the processor publishes them (one record per week and partition on the compacted
 * {@code bhxh.trends.v1}, a newer record replacing an older one, a tombstone dropping a week), read by a real sink from
 * a real broker and summed: through the national board's route, {@code /metrics}, and the panel in headless Chromium.
 */
class WeeklyTrendsIT {

    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final LocalDate THIS_WEEK = ReportWeeks.weekStart(Instant.now());
    private static final LocalDate LAST_WEEK = THIS_WEEK.minusWeeks(1);
    private static final LocalDate DROPPED_WEEK = THIS_WEEK.minusWeeks(2);

    private static AlertSinkService sink;
    private static SinkHttp http;
    private static FakeProcessorLookup processor;

    @BeforeAll
    static void start() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        Topics topics = new Topics(cluster.registryClient());
        try (var producer = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                topics.trends().valueSerde().serializer())) {
            for (WeeklyTrend trend : List.of(
                    // This week's partition 0, first as counted earlier, then as now: the later record counts.
                    trend(THIS_WEEK, 0, 1, Map.of("thanh-hoa", 1), Map.of("PHONE", 1), Map.of("OTP", 1)),
                    trend(THIS_WEEK, 0, 3, Map.of("thanh-hoa", 2, "unknown", 1), Map.of("PHONE", 3),
                            Map.of("OTP", 2)),
                    trend(THIS_WEEK, 1, 2, Map.of("thanh-hoa", 1, "ha-noi", 1), Map.of("PHONE", 1, "URL", 1),
                            Map.of("OTP", 1, "SCAN_QR", 1)),
                    trend(LAST_WEEK, 2, 4, Map.of("ha-noi", 4), Map.of("DOMAIN", 4), Map.of("MONEY_TRANSFER", 4)),
                    trend(DROPPED_WEEK, 0, 7, Map.of("hue", 7), Map.of("PHONE", 7), Map.of("OTP", 7)))) {
                producer.send(new ProducerRecord<>(Topics.TRENDS, key(trend.getWeekStart(), trend.getPartition()),
                        trend)).get();
            }
            producer.send(new ProducerRecord<>(Topics.TRENDS, key(DROPPED_WEEK, 0), null)).get();
        }
        processor = new FakeProcessorLookup();
        sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-trends-it-" + System.nanoTime(),
                "SINK_HTTP_PORT", "0",
                "SINK_SESSION_KEY", "trends-it-session-key",
                "SINK_USERS", SinkUsers.hashed("quocgia1:qg-pass-1:national,thanhhoa1:th-pass-1:thanh-hoa"),
                "PROCESSOR_URL", processor.url())));
        ServiceProbe.awaitHealthy(sink.port(), WITHIN);
        http = new SinkHttp(sink.port());
    }

    @AfterAll
    static void stop() throws Exception {
        sink.close();
        processor.close();
    }

    @Test
    void theNationalBoardAndTheMetricsSumThePartitionsOfEachWeek() throws IOException {
        SinkHttp.Session national = http.signIn("quocgia1", "qg-pass-1");
        Eventually.await("the trends are read", WITHIN, () -> trends(national).path("weeks").path(11)
                .path("reports").asInt() == 5);
        JsonNode trends = trends(national);
        JsonNode weeks = trends.path("weeks");
        assertThat(trends.path("loaded").asBoolean()).isTrue();
        assertThat(weeks).hasSize(12);
        JsonNode current = weeks.path(11);
        assertThat(current.path("week").asText()).isEqualTo(ReportWeeks.label(THIS_WEEK));
        assertThat(current.path("start").asText()).isEqualTo(THIS_WEEK.toString());
        assertThat(counts(current.path("byProvince"))).isEqualTo(Map.of("thanh-hoa", 3, "unknown", 1, "ha-noi", 1));
        assertThat(counts(current.path("byKind"))).isEqualTo(Map.of("PHONE", 4, "URL", 1));
        assertThat(counts(current.path("byRequest"))).isEqualTo(Map.of("OTP", 3, "SCAN_QR", 1));
        assertThat(weeks.path(10).path("reports").asInt()).isEqualTo(4);
        assertThat(weeks.path(9).path("reports").asInt()).as("the tombstoned week").isZero();
        assertThat(weeks.path(0).path("start").asText()).isEqualTo(THIS_WEEK.minusWeeks(11).toString());
        JsonNode busiest = trends.path("provinces").path(0);
        assertThat(busiest.path("name").asText()).isEqualTo("Hà Nội");
        assertThat(busiest.path("total").asInt()).isEqualTo(5);
        assertThat(busiest.path("reports").path(10).asInt()).isEqualTo(4);
        assertThat(trends.path("provinces").findValuesAsText("name")).containsExactly("Hà Nội", "Thanh Hóa",
                "Không rõ");

        String metrics = http.send(http.request("/metrics").GET()).body();
        assertThat(gauge(metrics, "bhxh_trend_reports", "week=\"current\"")).isEqualTo(5);
        assertThat(gauge(metrics, "bhxh_trend_reports", "week=\"previous\"")).isEqualTo(4);
        assertThat(gauge(metrics, "bhxh_trend_reports_by_province", "province=\"thanh-hoa\"", "week=\"current\""))
                .isEqualTo(3);
        assertThat(gauge(metrics, "bhxh_trend_reports_by_province", "province=\"unknown\"", "week=\"current\""))
                .isEqualTo(1);
        assertThat(gauge(metrics, "bhxh_trend_reports_by_province", "province=\"hue\"", "week=\"current\""))
                .isZero();
        assertThat(gauge(metrics, "bhxh_trend_reports_by_kind", "kind=\"URL\"", "week=\"current\"")).isEqualTo(1);
        assertThat(gauge(metrics, "bhxh_trend_reports_by_request", "request=\"MONEY_TRANSFER\"",
                "week=\"previous\"")).isEqualTo(4);
        assertThat(Pattern.compile("^bhxh_trend_reports_by_province\\{", Pattern.MULTILINE).matcher(metrics)
                .results().count()).as("34 provinces and 'unknown', this week and the last").isEqualTo(70);
    }

    @Test
    void aProvinceAccountIsRefusedAndNobodyUnsignedGetsIn() {
        SinkHttp.Session province = http.signIn("thanhhoa1", "th-pass-1");
        HttpResponse<String> refused = http.send(http.request(TrendsPanel.PATH, province).GET());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.body()).contains("Chỉ tài khoản cấp quốc gia");
        assertThat(http.send(http.request(TrendsPanel.PATH).GET()).statusCode()).isEqualTo(401);
    }

    @Test
    void theNationalBoardDrawsTheTrendsAsChartsAndTablesThatPassAxe() throws Exception {
        HeadlessChromium.assumeInstalled("the trends panel's browser test");
        ChromeDriver browser = HeadlessChromium.open();
        try {
            signIn(browser, "quocgia1", "qg-pass-1");
            WebDriverWait wait = new WebDriverWait(browser, WITHIN);
            wait.until(ExpectedConditions.attributeToBe(By.id("weekly-trends"), "data-state", "shown"));
            List<WebElement> weeks = browser.findElements(By.cssSelector("#trend-weeks-table tbody tr"));
            assertThat(weeks).hasSize(12);
            assertThat(weeks.get(0).findElement(By.tagName("th")).getText())
                    .startsWith("Tuần " + Integer.parseInt(ReportWeeks.label(THIS_WEEK).substring(6)) + " (");
            assertThat(weeks.get(0).findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                    .startsWith("5", "3"); // reports, then Mã OTP
            assertThat(browser.findElement(By.cssSelector("#trend-weeks-table thead")).getText())
                    .contains("Mã OTP", "Chuyển tiền", "Thông tin cá nhân", "Đến cơ quan / cập nhật VssID",
                            "Bấm đường link", "Quét mã QR");
            assertThat(browser.findElements(By.cssSelector("#trend-provinces-table tbody tr:first-child > *"))
                    .stream().map(WebElement::getText).toList()).containsExactly("Hà Nội", "1", "4", "5");
            assertThat(browser.findElement(By.id("trend-weeks-chart")).getAttribute("aria-label"))
                    .startsWith("Báo cáo mỗi tuần, 12 tuần gần nhất: ").endsWith(" 5.");
            assertThat((Boolean) browser.executeScript("return typeof Chart !== 'undefined' && "
                    + "Chart.getChart(document.getElementById('trend-requests-chart')) !== undefined")).isTrue();
            AxeCheck.assertClean(browser::executeAsyncScript, "national board with the weekly trends");
            browser.executeScript("document.getElementById('weekly-trends').scrollIntoView()");
            assertThat(Files.size(HeadlessChromium.screenshot(browser, "board-trends"))).isPositive();

            signIn(browser, "thanhhoa1", "th-pass-1");
            wait.until(ExpectedConditions.attributeToBe(By.id("weekly-trends"), "data-state", "not-national"));
            assertThat(browser.findElement(By.id("weekly-trends")).isDisplayed()).isFalse();
        } finally {
            browser.quit();
        }
    }

    private static void signIn(WebDriver browser, String user, String password) {
        HeadlessChromium.signIn(browser, "http://localhost:" + sink.port(), user, password);
        new WebDriverWait(browser, WITHIN).until(ExpectedConditions.presenceOfElementLocated(By.id("weekly-trends")));
    }

    private static JsonNode trends(SinkHttp.Session session) {
        HttpResponse<String> response = http.send(http.request(TrendsPanel.PATH, session).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return SinkJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(response.body(), e);
        }
    }

    private static Map<String, Integer> counts(JsonNode object) {
        return SinkJson.MAPPER.convertValue(object, SinkJson.MAPPER.getTypeFactory()
                .constructMapType(Map.class, String.class, Integer.class));
    }

    /** The value of the one series of {@code name} whose labels include all of {@code labels}. */
    private static int gauge(String metrics, String name, String... labels) {
        List<String> lines = metrics.lines().filter(line -> line.startsWith(name + "{"))
                .filter(line -> List.of(labels).stream().allMatch(line::contains)).toList();
        assertThat(lines).as("%s %s", name, List.of(labels)).hasSize(1);
        String line = lines.get(0);
        return (int) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static String key(LocalDate weekStart, int partition) {
        return ReportWeeks.label(weekStart) + "/" + partition;
    }

    private static WeeklyTrend trend(LocalDate weekStart, int partition, int reports, Map<String, Integer> byProvince,
                                     Map<String, Integer> byKind, Map<String, Integer> byRequest) {
        return WeeklyTrend.newBuilder().setWeek(ReportWeeks.label(weekStart)).setWeekStart(weekStart)
                .setPartition(partition).setReports(reports).setByProvince(byProvince).setByKind(byKind)
                .setByRequest(byRequest).setUpdatedAt(Instant.now()).build();
    }
}
