package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.sink.PartnerFeedIT.entry;
import static vn.bhxh.shield.sink.PartnerFeedIT.randomPhone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.BlocklistEntry;
import vn.bhxh.shield.schema.DoNotOriginateEntry;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The partners' formats through the public HTTP contract against a real broker and registry: per-kind lists and
 * versions, ETag and gzip, STIX 2.1, bulk lookup, the Response Policy Zone loaded into Debian's Unbound, and the
 * Do-Not-Originate list.
 */
class PartnerFormatsIT {

    private static final String KEY = "vnpt-formats-key-1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static KafkaProducer<String, BlocklistEntry> blocklist;
    private static KafkaProducer<String, DoNotOriginateEntry> doNotOriginate;
    private static AlertSinkService sink;

    @BeforeAll
    static void startSink() throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        blocklist = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                new Topics(cluster.registryClient()).blocklist().valueSerde().serializer());
        doNotOriginate = new KafkaProducer<>(cluster.producerProps(), new StringSerializer(),
                new Topics(cluster.registryClient()).doNotOriginate().valueSerde().serializer());
        sink = AlertSinkService.start(Settings.of(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", cluster.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", cluster.registryUrl(),
                "SINK_GROUP_ID", "sink-formats-it-" + System.nanoTime(),
                "SINK_PARTNER_KEYS", "vnpt:" + KEY,
                "SINK_HTTP_PORT", "0")));
        ServiceProbe.awaitHealthy(sink.port(), Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopSink() throws Exception {
        sink.close();
        blocklist.close();
        doNotOriginate.close();
    }

    @Test
    void aPartnerFollowingOneKindSeesItsVersionMoveOnlyWhenThatKindChanges() throws Exception {
        String phone = randomPhone();
        listAndAwait(phone);
        JsonNode phones = json(get("/api/v1/blocklist?kind=PHONE"));
        assertThat(phones.get("kind").asText()).isEqualTo("PHONE");
        assertThat(phones.get("entries")).isNotEmpty().allSatisfy(e -> assertThat(e.get("kind").asText())
                .isEqualTo("PHONE"));

        String domain = randomDomain();
        listAndAwait(domain);
        assertThat(json(get("/api/v1/blocklist?kind=PHONE")).get("version")).as("no phone changed")
                .isEqualTo(phones.get("version"));
        HttpResponse<byte[]> unchanged = get("/api/v1/blocklist/changes?kind=PHONE&since="
                + phones.get("version").asText());
        assertThat(json(unchanged).get("upserted")).isEmpty();
        JsonNode domains = json(get("/api/v1/blocklist?kind=DOMAIN"));
        assertThat(domains.get("entries").findValuesAsText("indicator")).contains(domain).doesNotContain(phone);

        String newPhone = randomPhone();
        listAndAwait(newPhone);
        JsonNode changes = json(get("/api/v1/blocklist/changes?kind=PHONE&since=" + phones.get("version").asText()));
        JsonNode now = json(get("/api/v1/blocklist?kind=PHONE"));
        assertThat(changes.get("upserted").findValuesAsText("indicator")).containsExactly(newPhone);
        assertThat(changes.get("version")).isEqualTo(now.get("version")).isNotEqualTo(phones.get("version"));
        assertThat(changes.get("checksum")).as("the checksum of the PHONE list").isEqualTo(now.get("checksum"));
        assertThat(json(get("/api/v1/blocklist?kind=DOMAIN")).get("version")).isEqualTo(domains.get("version"));

        assertThat(get("/api/v1/blocklist?kind=TELEPHONE").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/blocklist?kind=UNKNOWN").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/blocklist?format=xml").statusCode()).isEqualTo(400);
    }

    @Test
    void aSnapshotAnswers304ToTheETagItGaveAndIsGzippedWhenAsked() throws Exception {
        for (int i = 0; i < 8; i++) { // a list long enough to be worth compressing
            list(randomPhone());
        }
        listAndAwait(randomPhone());
        HttpResponse<byte[]> first = get("/api/v1/blocklist?kind=PHONE");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = send(request("/api/v1/blocklist?kind=PHONE").header("If-None-Match", etag));
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(get("/api/v1/blocklist?kind=PHONE&format=csv").headers().firstValue("ETag"))
                .as("another format is another representation").isNotEqualTo(Optional.of(etag));
        assertThat(send(request("/api/v1/blocklist").header("If-None-Match", etag)).statusCode())
                .as("the whole list is another representation").isEqualTo(200);

        listAndAwait(randomPhone());
        HttpResponse<byte[]> changed = send(request("/api/v1/blocklist?kind=PHONE").header("If-None-Match", etag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag")).isPresent().isNotEqualTo(Optional.of(etag));

        HttpResponse<byte[]> gzipped = send(request("/api/v1/blocklist").header("Accept-Encoding", "gzip"));
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        SinkHttp.CONTRACT.check("GET", "/api/v1/blocklist", 200,
                gzipped.headers().firstValue("Content-Type").orElse(null), unzipped);
        JsonNode plain = json(get("/api/v1/blocklist"));
        assertThat(JSON.readTree(unzipped).get("checksum")).isEqualTo(plain.get("checksum"));
        assertThat(gzipped.body().length).isLessThan(unzipped.length());
        assertThat(get("/api/v1/blocklist").headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void theStixBundleHasTheProducerAndOneStableIndicatorPerListingWithNothingInternal() throws Exception {
        String phone = randomPhone();
        String domain = randomDomain();
        String page = "url:https://sites.google.com/view/bhxh-hoan-tien-" + ThreadLocalRandom.current().nextInt(1_000_000);
        list(phone);
        list(domain);
        listAndAwait(page);
        HttpResponse<byte[]> response = get("/api/v1/blocklist?format=stix");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/stix+json"));
        JsonNode bundle = json(response);
        assertThat(bundle.get("type").asText()).isEqualTo("bundle");
        assertThat(bundle.get("id").asText()).matches("bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        JsonNode producer = bundle.get("objects").get(0);
        assertThat(producer.get("type").asText()).isEqualTo("identity");
        Map<String, JsonNode> byPattern = new HashMap<>();
        bundle.get("objects").forEach(o -> {
            if (o.get("type").asText().equals("indicator")) {
                byPattern.put(o.get("pattern").asText(), o);
            }
        });
        assertThat(byPattern).containsKeys("[x-bhxh-phone:value = '" + phone.substring(4) + "']",
                "[domain-name:value = '" + domain.substring(7) + "']",
                "[url:value = '" + page.substring(4) + "']");
        JsonNode indicator = byPattern.get("[domain-name:value = '" + domain.substring(7) + "']");
        assertThat(indicator.get("spec_version").asText()).isEqualTo("2.1");
        assertThat(indicator.get("pattern_type").asText()).isEqualTo("stix");
        assertThat(indicator.get("created_by_ref")).isEqualTo(producer.get("id"));
        assertThat(indicator.get("valid_from").asText()).isEqualTo(listedAt(domain));
        assertThat(indicator.get("id").asText()).startsWith("indicator--");
        JsonNode again = json(get("/api/v1/blocklist?format=stix"));
        assertThat(again.findValuesAsText("id")).as("the same ids in every download")
                .containsAll(List.of(indicator.get("id").asText(), producer.get("id").asText()));
        String text = new String(response.body(), StandardCharsets.UTF_8);
        assertThat(text).as("no free text, provinces or counts").doesNotContain("người báo cáo", "thanh-hoa",
                "distinctReporters");
        assertThat(json(get("/api/v1/blocklist?format=stix&kind=DOMAIN")).findValuesAsText("pattern"))
                .allSatisfy(pattern -> assertThat(pattern).startsWith("[domain-name:value"));
    }

    @Test
    void aBulkLookupAnswersEveryInputInItsOrderInAnySpelling() throws Exception {
        String phone = randomPhone();
        String domain = randomDomain();
        list(phone);
        listAndAwait(domain);
        String national = "0" + phone.substring("tel:+84".length());
        String spaced = national.substring(0, 4) + " " + national.substring(4, 7) + "." + national.substring(7);
        String unlisted = "0" + randomPhone().substring("tel:+84".length());
        String body = JSON.writeValueAsString(List.of(spaced, domain.substring(7).toUpperCase(), unlisted, "12"));

        JsonNode answer = json(post("/api/v1/blocklist/lookup", "application/json", body));
        assertThat(answer.get("count").asInt()).isEqualTo(4);
        assertThat(answer.get("listed").asInt()).isEqualTo(2);
        JsonNode results = answer.get("results");
        assertThat(results.get(0).get("input").asText()).isEqualTo(spaced);
        assertThat(results.get(0).get("key").asText()).isEqualTo(phone);
        assertThat(results.get(0).get("listed").asBoolean()).isTrue();
        assertThat(results.get(0).get("status").asText()).isEqualTo("LISTED");
        assertThat(results.get(0).get("since").asText()).isEqualTo(listedAt(phone));
        assertThat(results.get(1).get("key").asText()).isEqualTo(domain);
        assertThat(results.get(1).get("listed").asBoolean()).isTrue();
        assertThat(results.get(2).get("listed").asBoolean()).isFalse();
        assertThat(results.get(2).get("key").asText()).startsWith("tel:+84");
        assertThat(results.get(3).get("key").isNull()).isTrue();
        assertThat(results.get(3).get("invalid").asText()).isNotBlank();
        assertThat(results.get(3).get("message").asText()).contains("12");

        JsonNode lines = json(post("/api/v1/blocklist/lookup", "text/plain; charset=utf-8",
                spaced + "\n\n" + unlisted + "\n"));
        assertThat(lines.get("results").findValuesAsText("input")).containsExactly(spaced, unlisted);

        List<String> tenThousand = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tenThousand.add("0912" + String.format("%06d", i));
        }
        assertThat(json(post("/api/v1/blocklist/lookup", "application/json", JSON.writeValueAsString(tenThousand)))
                .get("count").asInt()).isEqualTo(10_000);
        tenThousand.add(unlisted);
        assertThat(post("/api/v1/blocklist/lookup", "application/json", JSON.writeValueAsString(tenThousand))
                .statusCode()).isEqualTo(413);
        assertThat(post("/api/v1/blocklist/lookup", "application/json", "{\"indicator\":\"0912\"}").statusCode())
                .isEqualTo(400);
        assertThat(post("/api/v1/blocklist/lookup", "application/xml", "<a/>").statusCode()).isEqualTo(415);
        assertThat(send(request("/api/v1/blocklist/lookup").setHeader("Authorization", "Bearer wrong-key-1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("[]")))
                .statusCode()).isEqualTo(401);
    }

    /**
     * The zone fetched from the sink, loaded into Debian's Unbound: a listed domain and every name under it answer
     * NXDOMAIN by the policy (Unbound logs each rule it applies); an unlisted domain, and the shared platform one
     * listed page is on, still resolve. (The listed domain gets no local address: Unbound answers its own local
     * data before the policy, while a real resolver would look the domain up on the internet, after the policy.)
     */
    @Test
    void theRpzLoadedIntoUnboundMakesAListedDomainNxdomain(@TempDir Path workDir) throws Exception {
        String domain = randomDomain();
        String page = "url:https://sites.google.com/view/bhxh-" + ThreadLocalRandom.current().nextInt(1_000_000);
        list(page);
        listAndAwait(domain);
        HttpResponse<byte[]> response = get("/api/v1/blocklist/rpz");
        String zone = new String(response.body(), StandardCharsets.UTF_8);
        String name = domain.substring("domain:".length());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/dns"));
        assertThat(zone).contains("\n" + name + " CNAME .\n", "\n*." + name + " CNAME .\n")
                .contains("SOA localhost. hostmaster.localhost. ( "
                        + response.headers().firstValue("X-Blocklist-Serial").orElseThrow() + " ")
                .doesNotContain("sites.google.com");
        assertThat(send(request("/api/v1/blocklist/rpz").header("If-None-Match",
                response.headers().firstValue("ETag").orElseThrow())).statusCode()).isEqualTo(304);
        Files.writeString(workDir.resolve("fetched.rpz"), zone);

        String unlisted = "an-toan-" + ThreadLocalRandom.current().nextInt(1_000_000) + ".vn";
        try (UnboundResolver resolver = UnboundResolver.start(workDir, zone, Map.of(
                unlisted, "192.0.2.10", "sites.google.com", "192.0.2.20"))) {
            assertThat(resolver.status(name)).as(resolver.log()).isEqualTo("NXDOMAIN");
            assertThat(resolver.status("www." + name)).as(resolver.log()).isEqualTo("NXDOMAIN");
            assertThat(resolver.status(unlisted)).isEqualTo("NOERROR");
            assertThat(resolver.status("sites.google.com")).isEqualTo("NOERROR");
            assertThat(resolver.policyLines()).anySatisfy(line -> assertThat(line).contains(" " + name + ". rpz-nxdomain"))
                    .anySatisfy(line -> assertThat(line).contains("*." + name + ". rpz-nxdomain"))
                    .noneSatisfy(line -> assertThat(line).contains(unlisted));
        }
    }

    /**
     * The Do-Not-Originate list as the processor's seed writes it to its topic: JSON saying what it means, CSV, its
     * own version and ETag, gzip, and a number that leaves the list (a tombstone) leaves the feed.
     */
    @Test
    void theDoNotOriginateListSaysCallsShowingItsNumbersAreSpoofedInJsonAndCsv() throws Exception {
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // a list long enough to be worth compressing
            numbers.add("+84236" + (3_000_000 + ThreadLocalRandom.current().nextInt(999_999)));
        }
        Instant since = Instant.parse("2025-07-01T00:00:00Z");
        for (String number : numbers) {
            doNotOriginate.send(new ProducerRecord<>(Topics.DO_NOT_ORIGINATE, "tel:" + number, DoNotOriginateEntry
                    .newBuilder().setNumber(number).setDisplay(display(number)).setName("Tổng đài BHXH thử nghiệm")
                    .setSince(since).build())).get();
        }
        String last = numbers.get(numbers.size() - 1);
        Eventually.await("the numbers reach the feed", Duration.ofSeconds(60), () ->
                json(get(PartnerFeed.DO_NOT_ORIGINATE)).get("entries").findValuesAsText("number").contains(last));

        HttpResponse<byte[]> first = get(PartnerFeed.DO_NOT_ORIGINATE);
        JsonNode list = json(first);
        assertThat(list.get("meaning").get("en").asText()).contains("caller id is spoofed", "block or flag");
        assertThat(list.get("meaning").get("vi").asText()).contains("không bao giờ gọi đi", "giả mạo");
        assertThat(list.get("count").asInt()).isEqualTo(list.get("entries").size());
        JsonNode entry = numberOn(list, last);
        assertThat(entry.get("display").asText()).isEqualTo(display(last));
        assertThat(entry.get("name").asText()).isEqualTo("Tổng đài BHXH thử nghiệm");
        assertThat(Instant.parse(entry.get("since").asText())).isEqualTo(since);
        String version = first.headers().firstValue("X-Do-Not-Originate-Version").orElseThrow();
        assertThat(list.get("version").asText()).isEqualTo(version);

        String csv = new String(get(PartnerFeed.DO_NOT_ORIGINATE + "?format=csv").body(), StandardCharsets.UTF_8);
        assertThat(csv).startsWith("number,display,name,since\r\n")
                .contains("\r\n" + last + "," + display(last) + ",Tổng đài BHXH thử nghiệm,2025-07-01T00:00:00Z\r\n");

        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> unchanged = send(request(PartnerFeed.DO_NOT_ORIGINATE).header("If-None-Match", etag));
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(get(PartnerFeed.DO_NOT_ORIGINATE + "?format=csv").headers().firstValue("ETag"))
                .isPresent().isNotEqualTo(Optional.of(etag));
        assertThat(send(request("/api/v1/blocklist").header("If-None-Match", etag)).statusCode())
                .as("the blocklist is another list").isEqualTo(200);

        HttpResponse<byte[]> gzipped = send(request(PartnerFeed.DO_NOT_ORIGINATE).header("Accept-Encoding", "gzip"));
        assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String unzipped = new String(new GZIPInputStream(new ByteArrayInputStream(gzipped.body())).readAllBytes(),
                StandardCharsets.UTF_8);
        SinkHttp.CONTRACT.check("GET", PartnerFeed.DO_NOT_ORIGINATE, 200,
                gzipped.headers().firstValue("Content-Type").orElse(null), unzipped);
        assertThat(JSON.readTree(unzipped)).isEqualTo(list);

        HttpResponse<byte[]> withoutKey = send(HttpRequest.newBuilder(URI.create("http://localhost:" + sink.port()
                + PartnerFeed.DO_NOT_ORIGINATE)).timeout(Duration.ofSeconds(30)));
        assertThat(withoutKey.statusCode()).isEqualTo(401);
        assertThat(send(request(PartnerFeed.DO_NOT_ORIGINATE).setHeader("Authorization", "Bearer wrong-key-1"))
                .statusCode()).isEqualTo(401);
        assertThat(get(PartnerFeed.DO_NOT_ORIGINATE + "?format=stix").statusCode()).isEqualTo(400);

        doNotOriginate.send(new ProducerRecord<>(Topics.DO_NOT_ORIGINATE, "tel:" + last, null)).get();
        Eventually.await("the number that left the list leaves the feed", Duration.ofSeconds(60), () ->
                !json(get(PartnerFeed.DO_NOT_ORIGINATE)).get("entries").findValuesAsText("number").contains(last));
        HttpResponse<byte[]> changed = send(request(PartnerFeed.DO_NOT_ORIGINATE).header("If-None-Match", etag));
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(json(changed).get("version").asText()).isNotEqualTo(version);
    }

    private static JsonNode numberOn(JsonNode list, String number) {
        for (JsonNode entry : list.get("entries")) {
            if (entry.get("number").asText().equals(number)) {
                return entry;
            }
        }
        throw new AssertionError(number + " is not on the list");
    }

    /** +842363xxxxxx as people write it: 0236 3xxx xxx. */
    private static String display(String number) {
        return Indicator.parseKey("tel:" + number).orElseThrow().display();
    }

    /** When the feed says {@code indicator} was listed. */
    private static String listedAt(String indicator) {
        for (JsonNode entry : json(get("/api/v1/blocklist")).get("entries")) {
            if (entry.get("indicator").asText().equals(indicator)) {
                return entry.get("listedAt").asText();
            }
        }
        throw new AssertionError(indicator + " is not listed");
    }

    private static String randomDomain() {
        return "domain:lua-dao-bhxh-" + ThreadLocalRandom.current().nextInt(1_000_000) + ".vn";
    }

    private static void list(String indicator) throws Exception {
        blocklist.send(new ProducerRecord<>(Topics.BLOCKLIST, indicator, entry(indicator))).get();
    }

    private static void listAndAwait(String indicator) throws Exception {
        list(indicator);
        Eventually.await(indicator + " reaches the feed", Duration.ofSeconds(60),
                () -> json(get("/api/v1/blocklist")).get("entries").findValuesAsText("indicator").contains(indicator));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + sink.port() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + KEY);
    }

    private static HttpResponse<byte[]> get(String path) {
        return send(request(path));
    }

    private static HttpResponse<byte[]> post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The raw bytes (a gzipped answer stays gzipped); every answer not gzipped must keep the OpenAPI document. */
    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.headers().firstValue("Content-Encoding").isEmpty()) {
                SinkHttp.CONTRACT.check(response.request().method(), response.uri().getRawPath(),
                        response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                        new String(response.body(), StandardCharsets.UTF_8));
            }
            return response;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + response.statusCode() + "): "
                    + new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }
}
