package vn.bhxh.shield.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
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
        return created;
    }
}
