package vn.bhxh.shield.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.testkit.KafkaTestCluster;

class TopicProvisionerIT {

    private final KafkaTestCluster cluster = KafkaTestCluster.shared();

    /**
     * When {@code ensure} returns, every new partition has its log, so a bulk idempotent producer that starts at
     * once (several requests in flight per partition) gets every record in: none is lost to KAFKA-15591.
     */
    @Test
    void createdTopicsAreWritableWhenEnsureReturns() throws Exception {
        String name = "provisioned-" + UUID.randomUUID();
        Admin admin = cluster.admin();

        List<String> created = TopicProvisioner.ensure(admin, List.of(new TopicSpec(name, 12, Map.of())));

        assertThat(created).containsExactly(name);
        Set<TopicPartition> logs = new HashSet<>();
        admin.describeLogDirs(List.of(admin.describeCluster().nodes().get().iterator().next().id()))
                .allDescriptions().get().values().forEach(dirs -> dirs.values()
                        .forEach(dir -> logs.addAll(dir.replicaInfos().keySet())));
        assertThat(logs).containsAll(IntStream.range(0, 12).mapToObj(p -> new TopicPartition(name, p)).toList());

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.BATCH_SIZE_CONFIG, 1024, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000),
                new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sends = IntStream.range(0, 20_000)
                    .mapToObj(i -> producer.send(new ProducerRecord<>(name, "key-" + i, "x".repeat(100))))
                    .toList();
            for (Future<RecordMetadata> send : sends) {
                assertThat(send.get().hasOffset()).isTrue();
            }
        }
        assertThat(TopicProvisioner.ensure(admin, List.of(new TopicSpec(name, 12, Map.of())))).isEmpty();
    }
}
