package vn.bhxh.shield.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The harness itself: after a clean stop and after a kill the broker comes back on its address with its data. */
class KafkaBrokerProcessIT {

    @Test
    void keepsItsAddressAndDataAcrossAStopAndAKill() throws Exception {
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.create().start()) {
            String address = broker.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address))) {
                admin.createTopics(List.of(new NewTopic("harness", 1, (short) 1))).all().get();
            }
            write(broker, "before-stop");

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();
            write(broker, "before-kill");

            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(broker.bootstrapServers()).isEqualTo(address);
            assertThat(readAll(broker)).containsExactly("before-stop", "before-kill");
        }
    }

    private static void write(KafkaBrokerProcess broker, String value) throws Exception {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("harness", value)).get();
        }
    }

    private static List<String> readAll(KafkaBrokerProcess broker) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.GROUP_ID_CONFIG, "harness");
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("harness"));
            Eventually.await("both records read back", Duration.ofSeconds(60), () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> values.add(record.value()));
                return values.size() >= 2;
            });
        }
        return values;
    }
}
