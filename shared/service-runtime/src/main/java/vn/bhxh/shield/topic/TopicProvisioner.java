package vn.bhxh.shield.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;

/**
 * Creates the topics that do not exist yet, exactly as {@link Topics#specs()} defines them. Its {@code main} is
 * the one-shot job of the laptop stack (deploy/docker-compose.yml runs it from a service image before the
 * services), configured like the services: {@code KAFKA_BOOTSTRAP_SERVERS} and any {@code KAFKA_CLIENT_*}.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration WRITABLE_WITHIN = Duration.ofSeconds(30);

    private TopicProvisioner() {
    }

    public static void main(String[] args) throws ExecutionException, InterruptedException {
        KafkaSettings kafka = KafkaSettings.from(Settings.fromEnvironment());
        try (Admin admin = Admin.create(kafka.common("bhxh-topic-provisioner"))) {
            List<String> created = ensure(admin, Topics.specs());
            log.info("{} topics in place on {}, created now: {}", Topics.specs().size(), kafka.bootstrapServers(),
                    created);
        }
    }

    /** @return the names of the topics it created. */
    public static List<String> ensure(Admin admin, List<TopicSpec> specs)
            throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        List<NewTopic> missing = specs.stream()
                .filter(spec -> !existing.contains(spec.name()))
                // No replication factor: the cluster's default (1 on a laptop, 3 in production).
                .map(spec -> new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
                        .configs(spec.configs()))
                .toList();
        List<String> created = new ArrayList<>();
        for (var result : admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get();
                created.add(result.getKey());
            } catch (ExecutionException e) {
                // Another instance created it between our listing and our request: that is what we wanted.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        awaitWritable(admin, created);
        return created;
    }

    /**
     * Waits (at most 30 s) until every partition of {@code topics} has its log on a broker. A broker names a new
     * partition's leader in its metadata a moment before it can append to it: an idempotent producer that sends at
     * once can have its first request refused (NOT_LEADER_OR_FOLLOWER) while its next one is appended, and then
     * retries the first with OUT_OF_ORDER_SEQUENCE_NUMBER until its records expire (KAFKA-15591; the benchmark's
     * loader lost 18 records so in CI). Once the log exists, the first append is taken. Without the right to
     * describe log directories it does not wait.
     */
    public static void awaitWritable(Admin admin, List<String> topics) throws ExecutionException,
            InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + WRITABLE_WITHIN.toNanos();
        Set<TopicPartition> expected = new HashSet<>();
        while (expected.isEmpty()) {
            try {
                admin.describeTopics(topics).allTopicNames().get().values().forEach(topic -> topic.partitions()
                        .forEach(partition -> expected.add(new TopicPartition(topic.name(), partition.partition()))));
            } catch (ExecutionException e) {
                // Just created, the topic may not be in the metadata of the broker asked yet (seen right after a
                // broker restart): it will be, so ask again rather than fail the start-up.
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(Node::id).toList();
        while (true) {
            Set<TopicPartition> present = new HashSet<>();
            try {
                admin.describeLogDirs(brokers).allDescriptions().get().values().forEach(dirs -> dirs.values()
                        .forEach(dir -> present.addAll(dir.replicaInfos().keySet())));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthorizationException) {
                    log.info("not allowed to describe log directories: not waiting for new partitions' logs");
                    return;
                }
                throw e;
            }
            if (present.containsAll(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                log.warn("{} of {} new partitions still have no log after {}", expected.size()
                        - expected.stream().filter(present::contains).count(), expected.size(), WRITABLE_WITHIN);
                return;
            }
            Thread.sleep(50);
        }
    }
}
