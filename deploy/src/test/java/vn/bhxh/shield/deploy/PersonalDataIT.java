package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.deploy.SecuredStack.Role.NATIONAL;
import static vn.bhxh.shield.deploy.SecuredStack.Role.NONE;
import static vn.bhxh.shield.deploy.SecuredStack.Role.OPERATOR;
import static vn.bhxh.shield.deploy.SecuredStack.Role.PARTNER;
import static vn.bhxh.shield.deploy.SecuredStack.Role.POLICE;
import static vn.bhxh.shield.deploy.SecuredStack.Role.PROVINCE_A;
import static vn.bhxh.shield.deploy.SecuredStack.Service.INGEST;
import static vn.bhxh.shield.deploy.SecuredStack.Service.PROCESSOR;
import static vn.bhxh.shield.deploy.SecuredStack.Service.SINK;
import static vn.bhxh.shield.deploy.SecuredStack.e164;
import static vn.bhxh.shield.deploy.SecuredStack.encode;
import static vn.bhxh.shield.deploy.SecuredStack.send;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.deploy.SecuredStack.Role;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.topic.Topics;

/**
 * Issue 19's reproduction: hotline (three citizens, so the boards show a WARNING with sample notes), police and
 * fanpage reports whose notes carry a citizen's full name, citizen-id
 * number, e-mail address, bank account and own number ("số của tôi 0981112223"), through the real ingest, processor
 * and sink on a real broker. None of it, in any spelling, may be on any topic (raw bytes, internal topics too), on a
 * dashboard (API, live stream, lookup), in a webhook, on the partner feed or in a log line; the citizen's number is
 * no indicator; the scam numbers are, and the redacted notes reach the board.
 */
class PersonalDataIT {

    private static final String OWN_NUMBER = "0981112223";
    private static final String CITIZEN_ID = "038190012345";

    /** Every spelling of the citizen's data that must stay in ingest. */
    private static final List<String> PERSONAL = List.of(
            OWN_NUMBER, "981112223", "+84981112223", "84981112223", "0981 112 223", "0981.112.223",
            CITIZEN_ID, "038 190 012 345",
            "Nguyễn Văn An", "Nguyen Van An", "nguyenvanan1990",
            "0071000123456", "19034567890123", "Lê Thị Hoa", "lethihoa", "125678901");

    @Test
    void aCitizensNameIdNumberEmailAccountAndOwnNumberNeverLeaveIngest() throws Exception {
        try (SecuredStack stack = new SecuredStack()) {
            List<String> provinceStream = stack.openStream(PROVINCE_A);
            List<String> nationalStream = stack.openStream(NATIONAL);
            String hotlineScam = "090" + digits(7);
            String policeScam = "093" + digits(7);
            String fanpageScam = "097" + digits(7);
            String pageA = "1050" + digits(11);
            String pageB = "1050" + digits(11);

            // The citizen calls from their own number and says it again in the notes, as in the issue.
            String hotline = """
                    {"channel":"HOTLINE","reporterId":"%s","province":"Thanh Hóa","contactMethod":"CALL",
                     "phoneNumbers":["%s"],"requested":["OTP","PERSONAL_DATA"],
                     "notes":"Tôi tên là Nguyễn Văn An, CCCD %s, số của tôi %s, email nguyenvanan1990@gmail.com, \
                    tài khoản Vietcombank 0071000123456 của tôi. Kẻ gian gọi từ %s tự xưng cán bộ BHXH, đòi mã OTP."}"""
                    .formatted("0981 112 223", hotlineScam, CITIZEN_ID, OWN_NUMBER, spaced(hotlineScam));
            assertThat(stack.post(INGEST, "/api/v1/reports", hotline, OPERATOR).statusCode()).isEqualTo(202);
            // Two more citizens report the number: three reporters raise a WARNING, whose sample notes the boards show.
            for (int other = 0; other < 2; other++) {
                assertThat(stack.post(INGEST, "/api/v1/reports", stack.hotlineReport("091" + digits(7), hotlineScam),
                        OPERATOR).statusCode()).isEqualTo(202);
            }
            String police = """
                    {"channel":"POLICE","reporterId":"PA05 Thanh Hóa","province":"Thanh Hóa","contactMethod":"CALL",
                     "phoneNumbers":["%s"],"sourceReference":"VV-%s",
                     "notes":"Bị hại ông Nguyen Van An, CMND 125678901, SĐT 0981.112.223, STK 0071000123456."}"""
                    .formatted(policeScam, UUID.randomUUID());
            assertThat(stack.post(INGEST, "/api/v1/reports", police, POLICE).statusCode()).isEqualTo(202);
            for (String page : List.of(pageA, pageB)) {
                String message = "Em tên là Lê Thị Hoa, CCCD 038 190 012 345. Số " + fanpageScam + " gọi bảo cập nhật "
                        + "VssID. Sđt của em 0981 112 223, mail lethihoa@gmail.com, STK của em ở Techcombank: "
                        + "19034567890123";
                String body = SecuredStack.messengerPayload(page, "7" + digits(15), "m-" + UUID.randomUUID(), message);
                assertThat(send(stack.request(INGEST, "/api/v1/fanpage/webhook", NONE)
                        .header("X-Hub-Signature-256", stack.signature(body))
                        .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode()).isEqualTo(200);
            }

            Eventually.await("the hotline's scam number is on Thanh Hóa's board", SecuredStack.WITHIN,
                    () -> stack.alertId(PROVINCE_A, hotlineScam).isPresent());
            Eventually.await("and in Thanh Hóa's webhook", SecuredStack.WITHIN,
                    () -> stack.webhookBodies.stream().anyMatch(body -> body.contains(e164(hotlineScam))));
            Eventually.await("the police's scam number is on the partner feed", SecuredStack.WITHIN,
                    () -> stack.get(SINK, "/api/v1/blocklist", PARTNER).body().contains(e164(policeScam)));
            Eventually.await("the processor knows the fanpage's scam number", SecuredStack.WITHIN,
                    () -> processorKnows(stack, e164(fanpageScam)));

            assertThat(stack.get(PROCESSOR, "/api/v1/indicators?q=" + encode("tel:+84981112223"), NONE).statusCode())
                    .as("the citizen's own number is no indicator").isEqualTo(404);
            assertThat(stack.get(PROCESSOR, "/api/v1/indicators?q=" + encode("bank:tcb:19034567890123"), NONE)
                    .statusCode()).as("nor the citizen's own account").isEqualTo(404);
            assertThat(stack.get(SINK, "/api/v1/dashboard/lookup?indicator=" + encode(OWN_NUMBER), PROVINCE_A).body())
                    .as("the board has no report about it").containsIgnoringCase("chưa có báo cáo nào");

            List<String> outputs = new ArrayList<>();
            for (Role office : List.of(PROVINCE_A, NATIONAL)) {
                outputs.add(stack.get(SINK, "/api/v1/dashboard/alerts", office).body());
                for (String number : List.of(hotlineScam, policeScam, fanpageScam)) {
                    outputs.add(stack.get(SINK, "/api/v1/dashboard/lookup?indicator=" + encode(number), office).body());
                }
            }
            outputs.add(String.join("\n", List.copyOf(provinceStream)));
            outputs.add(String.join("\n", List.copyOf(nationalStream)));
            outputs.addAll(List.copyOf(stack.webhookBodies));
            String version = stack.get(SINK, "/api/v1/blocklist", PARTNER).headers()
                    .firstValue("X-Blocklist-Version").orElseThrow();
            for (String feed : List.of("/api/v1/blocklist", "/api/v1/blocklist?format=csv",
                    "/api/v1/blocklist/changes?since=" + encode(version))) {
                outputs.add(stack.get(SINK, feed, PARTNER).body());
            }
            outputs.add(stack.get(INGEST, "/api/v1/indicators/" + encode(e164(hotlineScam)), OPERATOR).body());
            assertThat(String.join("\n", outputs)).as("what the boards show")
                    .contains(e164(hotlineScam), "[đã ẩn]", "tự xưng cán bộ BHXH");
            List<String> seen = new ArrayList<>();
            for (String output : outputs) {
                PERSONAL.stream().filter(output::contains).forEach(data -> seen.add(data + " in " + output));
            }
            assertThat(seen).as("personal data on boards, streams, webhooks and the feed").isEmpty();

            List<String> needles = new ArrayList<>(PERSONAL);
            needles.addAll(List.of("fanpage:" + pageA, "fanpage:" + pageB));
            RawTopics.Scan scan = RawTopics.scan(KafkaTestCluster.shared().bootstrapServers(), needles);
            System.out.printf("%d records on %d topics checked for %d spellings of personal data%n", scan.records(),
                    scan.topics().size(), PERSONAL.size());
            assertThat(scan.topics()).contains(Topics.REPORTS, Topics.INGEST_IDEMPOTENCY)
                    .anyMatch(topic -> topic.endsWith("-changelog"));
            assertThat(scan.hits()).as("each fanpage is its own submitting account on the reports")
                    .anyMatch(hit -> hit.startsWith("fanpage:" + pageA + " on " + Topics.REPORTS))
                    .anyMatch(hit -> hit.startsWith("fanpage:" + pageB + " on " + Topics.REPORTS));
            assertThat(scan.hits()).as("personal data on Kafka")
                    .noneMatch(hit -> PERSONAL.stream().anyMatch(data -> hit.startsWith(data + " on ")));

            List<String> logged = new ArrayList<>();
            PERSONAL.forEach(data -> stack.logs.containing(data).forEach(line -> logged.add(data + " in " + line)));
            assertThat(logged).as("personal data in the services' logs").isEmpty();
        }
    }

    private static boolean processorKnows(SecuredStack stack, String key) {
        return stack.get(PROCESSOR, "/api/v1/indicators?q=" + encode(key), NONE).statusCode() == 200;
    }

    /** "0904 038 115": how an operator often types a number into the notes. */
    private static String spaced(String number) {
        return number.substring(0, 4) + " " + number.substring(4, 7) + " " + number.substring(7);
    }

    private static String digits(int count) {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < count; i++) {
            digits.append(ThreadLocalRandom.current().nextInt(10));
        }
        return digits.toString();
    }
}
