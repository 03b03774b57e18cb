package vn.bhxh.shield.deploy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/** The runbook's operator tools against a real broker and registry: {@link Decide} and {@link ReadDeadLetters}. */
class OpsToolsIT {

    private static final KafkaTestCluster CLUSTER = KafkaTestCluster.shared();
    private static final KafkaSettings KAFKA = KafkaSettings.from(Settings.of(Map.of(
            KafkaSettings.BOOTSTRAP_SERVERS, CLUSTER.bootstrapServers(),
            KafkaSettings.SCHEMA_REGISTRY_URL, CLUSTER.registryUrl())));
    /** A recent hour, never a fixed date: what is written here must stay within the topics' retention. */
    private static final Instant EARLIER = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    private final Topics topics = new Topics(CLUSTER.registryClient());

    @BeforeAll
    static void topics() throws Exception {
        TopicProvisioner.ensure(CLUSTER.admin(), Topics.specs());
    }

    @Test
    void decideWritesTheDecisionKeyedByTheCanonicalIndicator() throws Exception {
        Decision decision = Decide.decision("delist", "0904.038.115", "nguyen.van.a", "KN-2026-118 upheld",
                EARLIER.plus(Duration.ofMinutes(30)));
        RecordMetadata written = Decide.write(KAFKA, decision);

        Topic<String, Decision> decisions = topics.decisions();
        try (var consumer = new KafkaConsumer<>(CLUSTER.consumerProps("ops-it-" + UUID.randomUUID()),
                decisions.keySerde().deserializer(), decisions.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(written.topic(), written.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            var record = consumer.poll(Duration.ofSeconds(10)).iterator().next();
            assertThat(record.key()).isEqualTo("tel:+84904038115");
            assertThat(record.value()).isEqualTo(decision);
            assertThat(record.value().getAction()).isEqualTo(DecisionAction.DELIST);
        }
    }

    @Test
    void decideWritesAProvincesDecisionWithItsOffice() throws Exception {
        Decision decision = Decide.decision("reject", "tel:+84904038115", "le.thi.b", "thanh-hoa",
                "Số của cửa hàng, người dân báo nhầm", EARLIER.plus(Duration.ofHours(1)));
        RecordMetadata written = Decide.write(KAFKA, decision);

        Topic<String, Decision> decisions = topics.decisions();
        try (var consumer = new KafkaConsumer<>(CLUSTER.consumerProps("ops-it-" + UUID.randomUUID()),
                decisions.keySerde().deserializer(), decisions.valueSerde().deserializer())) {
            TopicPartition partition = new TopicPartition(written.topic(), written.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, written.offset());
            Decision read = consumer.poll(Duration.ofSeconds(10)).iterator().next().value();
            assertThat(read.getAction()).isEqualTo(DecisionAction.REJECT);
            assertThat(read.getProvince()).isEqualTo("thanh-hoa");
            assertThat(read.getActor()).isEqualTo("le.thi.b");
        }
    }

    @Test
    void decideRefusesWhatTheProcessorWouldRefuseOrDeadLetter() {
        Instant now = Instant.now();
        for (String notAnOfficers : List.of("ACKNOWLEDGE", "KEEP", "UNKNOWN")) {
            assertThatThrownBy(() -> Decide.decision(notAnOfficers, "0904038115", "a", "b", now))
                    .hasMessageContaining("action must be one of [CONFIRM, DELIST, ALLOWLIST, REJECT, UNALLOWLIST]");
        }
        assertThatThrownBy(() -> Decide.decision("DELIST", "12345", "a", "b", now))
                .hasMessageContaining("'12345' is not an indicator");
        assertThatThrownBy(() -> Decide.decision("DELIST", "0904038115", " ", "b", now))
                .hasMessageContaining("an actor is required");
        assertThatThrownBy(() -> Decide.decision("DELIST", "0904038115", "a", " ", now))
                .hasMessageContaining("Cần ghi lý do");
        assertThatThrownBy(() -> Decide.decision("DELIST", "0904038115", "a", "x".repeat(501), now))
                .hasMessageContaining("Cần ghi lý do");
        for (String nationalOnly : List.of("ALLOWLIST", "UNALLOWLIST")) {
            assertThatThrownBy(() -> Decide.decision(nationalOnly, "0904038115", "a", "thanh-hoa", "b", now))
                    .hasMessageContaining("Chỉ tài khoản cấp quốc gia");
        }
        assertThatThrownBy(() -> Decide.decision("CONFIRM", "0904038115", "a", "binh-duong", "b", now))
                .as("a former province").hasMessageContaining("'binh-duong' is not a province slug");
    }

    @Test
    void readDeadLettersShowsEachOneWithItsOriginalDecodedWhenItCanBe() throws Exception {
        Instant from = Instant.now().minusSeconds(1);
        String reportId = "r-ops-it-" + UUID.randomUUID();
        byte[] avro = topics.reports().valueSerde().serializer().serialize(Topics.REPORTS, Report.newBuilder()
                .setReportId(reportId).setChannel(Channel.HOTLINE).setReporterPseudonym("5f0c4e")
                .setProvince("thanh-hoa").setReceivedAt(EARLIER)
                .setSubmittedBy("operator-1").build());
        byte[] garbage = "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8);
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();
        try (var producer = new KafkaProducer<>(CLUSTER.producerProps(), deadLetters.keySerde().serializer(),
                deadLetters.valueSerde().serializer())) {
            for (DeadLetter letter : List.of(
                    DeadLetters.of("stream-processor", new DeadLetters.Origin(Topics.REPORTS, 2, 17, null,
                            reportId.getBytes(StandardCharsets.UTF_8), avro), ErrorKind.VALIDATION,
                            "report names no indicator", null),
                    DeadLetters.of("alert-sink", new DeadLetters.Origin(Topics.ALERTS_NATIONAL, 0, 4, null, null,
                            garbage), ErrorKind.DESERIALIZATION, "unknown magic byte", null))) {
                producer.send(new ProducerRecord<>(deadLetters.name(), DeadLetters.key(letter), letter)).get();
            }
        }

        List<String> printed = new ArrayList<>();
        int count = ReadDeadLetters.read(KAFKA, from, printed::add);

        assertThat(count).isEqualTo(printed.size()).isGreaterThanOrEqualTo(2);
        assertThat(printed).anySatisfy(text -> assertThat(text)
                .contains("stream-processor VALIDATION bhxh.reports.v1-2@17", "error: report names no indicator",
                        "key:   \"" + reportId + "\"", "\"reportId\": \"" + reportId + "\"", "\"province\": \"thanh-hoa\""));
        assertThat(printed).anySatisfy(text -> assertThat(text)
                .contains("alert-sink DESERIALIZATION bhxh.alerts.national.v1-0@4",
                        "value: \"{\"not\": \"avro\"}\" (15 bytes, not decodable"));
        assertThat(ReadDeadLetters.read(KAFKA, Instant.now().plusSeconds(60), printed::add))
                .as("nothing written after the start").isZero();
    }
}
