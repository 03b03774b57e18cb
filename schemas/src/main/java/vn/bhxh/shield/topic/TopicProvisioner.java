package vn.bhxh.shield.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics that do not exist yet, exactly as {@link Topics#specs()} defines them. */
public final class TopicProvisioner {

    private TopicProvisioner() {
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
