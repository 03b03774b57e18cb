package vn.bhxh.shield.processor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a dead stream thread's static member out of the group. Kafka Streams replaces a thread without its
 * consumer leaving the group and gives the new thread the next free index, hence another instance id: the
 * rebalance for the new thread would wait for the old member's session to time out (15 s by default) before
 * anything on this instance runs again. Removing it (as {@code KafkaStreams.removeStreamThread} does) lets the
 * rebalance complete at once. Without static membership there is no id to remove by; the wait stays.
 */
final class DeadThreadMembers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeadThreadMembers.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String THREAD_INFIX = "-StreamThread-";

    private final String applicationId;
    private final String instanceId;
    private final Admin admin;

    private DeadThreadMembers(String applicationId, String instanceId, Admin admin) {
        this.applicationId = applicationId;
        this.instanceId = instanceId;
        this.admin = admin;
    }

    /** Null without static membership. */
    static DeadThreadMembers of(ProcessorConfig config) {
        return config.instanceId()
                .map(id -> new DeadThreadMembers(config.applicationId(), id,
                        Admin.create(config.kafka().common(ProcessorService.NAME + "-members"))))
                .orElse(null);
    }

    /** Removes the member of the stream thread named {@code threadName}, which is dying; logs if it cannot. */
    void remove(String threadName) {
        int at = threadName.lastIndexOf(THREAD_INFIX);
        if (at < 0) {
            return; // the global thread: not a group member
        }
        // Kafka Streams names a thread's consumer "<group.instance.id>-<thread index>".
        String member = instanceId + "-" + threadName.substring(at + THREAD_INFIX.length());
        try {
            admin.removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions(
                    List.of(new MemberToRemove(member)))).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("static member {} of the dead thread left the group", member);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("could not remove static member {} of the dead thread; the group waits for its session "
                    + "timeout: {}", member, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        admin.close(TIMEOUT);
    }
}
