package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.registry.SchemaRegistryException;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.serde.ConfluentWireFormat;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaTestCluster;
import vn.bhxh.shield.testkit.SchemaEvolution;
import vn.bhxh.shield.testkit.ServiceProbe;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Garbage on {@code bhxh.indicator-events.v1} (what the processor reads of reports) under a real running processor
 * (exactly-once, real broker and registry), all on one partition so that order is certain: random bytes,
 * truncated and overlong Avro, a schema id nobody registered, another type's schema id, then a record from a newer
 * producer (its schema has one more optional field, registered as a new version) and an ordinary one. Each piece
 * of garbage is dead-lettered exactly once with its reason; the newer record is read, not dead-lettered; the record
 * after them all is processed. A schema change old data cannot be read with is refused by the registry (409) before
 * anyone can write with it.
 */
class GarbageInIT {

    private static final long SEED = Long.getLong("fuzz.seed", 20_260_622L);
    private static final int PARTITION = 0;

    /** One bad value and what its dead letter must say. */
    private record Garbage(byte[] value, String reason) {
    }

    @Test
    void deadLettersGarbageWithItsReasonReadsANewerCompatibleSchemaAndGoesOn(@TempDir Path stateDir)
            throws Exception {
        KafkaTestCluster cluster = KafkaTestCluster.shared();
        TopicProvisioner.ensure(cluster.admin(), Topics.specs());
        SchemaRegistryClient registry = cluster.registryClient();
        Topics topics = new Topics(registry);
        String run = "garbage-" + System.nanoTime() + "-";
        Random random = new Random(SEED);
        byte[] valid = topics.indicatorEvents().valueSerde().serializer().serialize(Topics.INDICATOR_EVENTS,
                event(run + "x", phone()));

        Map<String, Garbage> garbage = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            byte[] bytes = new byte[1 + random.nextInt(300)];
            random.nextBytes(bytes);
            bytes[0] = (byte) (1 + random.nextInt(255)); // anything but the magic byte
            garbage.put(run + "random-" + i, new Garbage(bytes, "magic byte"));
        }
        garbage.put(run + "empty", new Garbage(new byte[0], "empty payload"));
        garbage.put(run + "header-only", new Garbage(Arrays.copyOf(valid, 3), "shorter than the 5-byte header"));
        for (int cut : new int[] {ConfluentWireFormat.HEADER_SIZE + 1, valid.length / 2, valid.length - 1}) {
            garbage.put(run + "truncated-" + cut, new Garbage(Arrays.copyOf(valid, cut), "does not decode"));
        }
        garbage.put(run + "overlong", new Garbage(Arrays.copyOf(valid, valid.length + 3), "bytes left"));
        int unregistered = 0x7f000000 + random.nextInt(1_000_000);
        garbage.put(run + "unknown-schema-id", new Garbage(ConfluentWireFormat.encode(unregistered,
                Arrays.copyOfRange(valid, ConfluentWireFormat.HEADER_SIZE, valid.length)), Integer.toString(unregistered)));
        int alertSchemaId = registry.register(Topics.ALERTS_NATIONAL + "-value", Alert.getClassSchema());
        garbage.put(run + "another-type", new Garbage(ConfluentWireFormat.encode(alertSchemaId, new byte[] {0}),
                "cannot be read as vn.bhxh.shield.schema.IndicatorEvent"));

        // The newer producer's contract: one optional field more, a compatible new version of the subject...
        Schema newer = SchemaEvolution.withOptionalField(IndicatorEvent.getClassSchema(), "reporterLanguage");
        int newerId = registry.register(Topics.INDICATOR_EVENTS + "-value", newer);
        String newerPhone = phone();
        IndicatorEvent newerEvent = event(run + "newer", newerPhone);
        byte[] fromNewerProducer = ConfluentWireFormat.encode(newerId, SchemaEvolution.avro(newer,
                SchemaEvolution.upgrade(newerEvent, newer, "reporterLanguage", "vi")));
        // ...while a change old data cannot be read with never gets an id.
        assertThatThrownBy(() -> registry.register(Topics.INDICATOR_EVENTS + "-value",
                SchemaEvolution.withRequiredField(IndicatorEvent.getClassSchema(), "reporterLanguage")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
        String lastPhone = phone();
        IndicatorEvent lastEvent = event(run + "last", lastPhone);

        try (ProcessorService processor = RunningProcessor.start(cluster, "garbage-it-" + System.nanoTime(), stateDir)) {
            ServiceProbe.awaitHealthy(processor.port(), Duration.ofSeconds(90));
            Map<String, Object> producerProps = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all");
            try (var raw = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
                for (var entry : garbage.entrySet()) {
                    raw.send(new ProducerRecord<>(Topics.INDICATOR_EVENTS, PARTITION, entry.getKey(),
                            entry.getValue().value()));
                }
                raw.send(new ProducerRecord<>(Topics.INDICATOR_EVENTS, PARTITION, newerEvent.getIndicator(),
                        fromNewerProducer));
                raw.send(new ProducerRecord<>(Topics.INDICATOR_EVENTS, PARTITION, lastEvent.getIndicator(),
                        topics.indicatorEvents().valueSerde().serializer().serialize(Topics.INDICATOR_EVENTS,
                                lastEvent))).get();
            }

            for (String phone : List.of(newerPhone, lastPhone)) {
                Eventually.await("the processor knows " + phone, Duration.ofSeconds(90), () -> ServiceProbe.get(
                        processor.port(), "/api/v1/indicators/" + phone).statusCode() == 200);
            }
            Map<String, List<DeadLetter>> letters = deadLettersOf(cluster, topics, run, garbage.size());

            assertThat(letters.keySet()).containsExactlyInAnyOrderElementsOf(garbage.keySet());
            garbage.forEach((key, bad) -> assertThat(letters.get(key)).as(key).singleElement().satisfies(letter -> {
                assertThat(letter.getErrorKind()).isEqualTo(ErrorKind.DESERIALIZATION);
                assertThat(letter.getError()).contains(bad.reason());
                assertThat(letter.getOriginalTopic()).isEqualTo(Topics.INDICATOR_EVENTS);
                assertThat(letter.getOriginalPartition()).isEqualTo(PARTITION);
                assertThat(letter.getOriginalValue()).isEqualTo(ByteBuffer.wrap(bad.value()));
            }));
            System.out.printf("garbage in: %d bad records dead-lettered once each with their reason; the newer-schema"
                    + " record and the record after them processed%n", garbage.size());
        }
    }

    /** Dead letters whose original key starts with {@code run}, read_committed, once {@code expected} keys are in. */
    private static Map<String, List<DeadLetter>> deadLettersOf(KafkaTestCluster cluster, Topics topics, String run,
                                                               int expected) {
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, List<DeadLetter>> byKey = new HashMap<>();
        try (var consumer = new KafkaConsumer<>(props, topics.deadLetters().keySerde().deserializer(),
                topics.deadLetters().valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.DEAD_LETTER).stream()
                    .map(p -> new TopicPartition(Topics.DEAD_LETTER, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Eventually.await(expected + " dead letters of this run", Duration.ofSeconds(90), () -> {
                collect(consumer, run, byKey);
                return byKey.size() >= expected;
            });
            // Whatever else was committed by now (a second copy, a letter for a good record) must show too.
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                collect(consumer, run, byKey);
            }
        }
        return byKey;
    }

    private static void collect(KafkaConsumer<String, DeadLetter> consumer, String run,
                                Map<String, List<DeadLetter>> byKey) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> {
            ByteBuffer key = record.value().getOriginalKey();
            String original = key == null ? "" : StandardCharsets.UTF_8.decode(key.duplicate()).toString();
            if (original.startsWith(run)) {
                byKey.computeIfAbsent(original, k -> new ArrayList<>()).add(record.value());
            }
        });
    }

    private static String phone() {
        return String.format("0903%06d", Math.floorMod(System.nanoTime(), 1_000_000));
    }

    /** The one indicator record ingest writes for a report naming {@code phone}. */
    private static IndicatorEvent event(String id, String phone) {
        return IndicatorEvents.of(Report.newBuilder()
                .setReportId(id)
                .setChannel(Channel.HOTLINE)
                .setReporterPseudonym("garbage-it-" + id)
                .setProvince("thanh-hoa")
                .setPhoneNumbers(List.of(phone))
                .setReceivedAt(Instant.now())
                .setSubmittedBy("garbage-it")
                .build(), new Normaliser()).get(0);
    }
}
