package vn.bhxh.shield.serde;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.KafkaTestCluster;

import static org.assertj.core.api.Assertions.assertThat;

/** A Report through a real broker: written with our serde, read by clients that only know the registry URL. */
class ReportRoundTripIT {

    private static final String TOPIC = "bhxh.reports.v1";
    private static final KafkaTestCluster cluster = KafkaTestCluster.shared();

    @BeforeAll
    static void produceTheGoldenReport() throws Exception {
        cluster.createTopic(TOPIC, 3, Map.of());
        AvroSerde<Report> serde = new AvroSerde<>(cluster.registryClient(), Report.class);
        try (KafkaProducer<String, Report> producer =
                     new KafkaProducer<>(cluster.producerProps(), new StringSerializer(), serde)) {
            producer.send(new ProducerRecord<>(TOPIC, GoldenReport.REPORT.getReportId(), GoldenReport.REPORT)).get();
        }
    }

    @Test
    void aClientWithoutOurClassesReadsTheReportAsGenericRecord() {
        ConsumerRecord<String, GenericRecord> record = readOne(GenericAvroDeserializer.class, Map.of());
        GenericRecord report = record.value();

        assertThat(report.getSchema().getFullName()).isEqualTo("vn.bhxh.shield.schema.Report");
        assertThat(report.get("reportId")).hasToString("R1");
        assertThat(report.get("channel")).hasToString("HOTLINE");
        assertThat(report.get("province")).hasToString("ha-noi");
        assertThat(report.get("phoneNumbers").toString()).contains("0912345678");
        assertThat(report.get("amountLostVnd")).isEqualTo(5_000_000L);
        assertThat(report.get("notes")).hasToString("Giả danh BHXH");
        assertThat(report.get("receivedAt")).isEqualTo(1_751_328_060_000L);
    }

    @Test
    void aServiceReadsTheReportWithTheSerdeNamedInItsConfig() {
        ConsumerRecord<String, Report> record =
                readOne(AvroSerde.class, Map.of(AvroSerde.VALUE_TYPE_CONFIG, Report.class.getName()));

        assertThat(record.key()).isEqualTo("R1");
        assertThat(record.value()).isEqualTo(GoldenReport.REPORT);
    }

    /** Reads the only record of the topic with a fresh consumer configured by class names only. */
    private static <V> ConsumerRecord<String, V> readOne(Class<?> valueDeserializer, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(SchemaRegistryClient.URL_CONFIG, cluster.registryUrl());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer.getName());
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 15_000;
            while (records.isEmpty() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).hasSize(1);
            return records.get(0);
        }
    }
}
