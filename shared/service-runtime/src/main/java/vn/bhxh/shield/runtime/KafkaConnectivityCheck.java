package vn.bhxh.shield.runtime;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Up when the cluster answers a metadata request with the service's own connection settings. The answer is
 * cached briefly so that frequent probes (Kubernetes, the local stack) do not each cost a broker round trip.
 */
public final class KafkaConnectivityCheck implements HealthCheck, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CACHE_FOR = Duration.ofSeconds(2);

    private final Admin admin;
    private final Clock clock;
    private Status last = Status.down("not checked yet");
    private long checkedAtMillis = Long.MIN_VALUE;

    public KafkaConnectivityCheck(Map<String, Object> clientProps) {
        this.admin = Admin.create(clientProps);
        this.clock = Clock.systemUTC();
    }

    @Override
    public synchronized Status check() {
        long now = clock.millis();
        if (checkedAtMillis != Long.MIN_VALUE && now - checkedAtMillis < CACHE_FOR.toMillis()) {
            return last;
        }
        last = probe();
        checkedAtMillis = now;
        return last;
    }

    private Status probe() {
        try {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()));
            int brokers = cluster.nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            String clusterId = cluster.clusterId().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Status.up("cluster " + clusterId + ", " + brokers + " broker(s)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Status.down("interrupted");
        } catch (Exception e) {
            return Status.down("Kafka unreachable: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
