package vn.bhxh.shield.deploy.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import vn.bhxh.shield.deploy.JavaProcess;

/**
 * Knows when a Kafka Streams application has processed a backlog completely, from the outside and the same way
 * for any application without a repartition (the processor and the pass-through app read ingest's records keyed
 * by indicator where they lie): its group's committed offsets on the input topic have passed the last record of
 * each partition. Under exactly-once an offset is committed in the same transaction as the output it produced, so
 * at that moment the last output record is committed too.
 * <p>
 * A partition written by a transactional producer ends with a commit marker, which a consumer skips only when it
 * fetches past it: the committed offset may stay one short of the end offset. So the target of each partition is
 * the offset after its last <em>record</em>: the end offset, or one less when the last entry is a marker (looked
 * up).
 */
final class GroupDrain {

    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * The middle 80 % of the drain: the records between 10 % and 90 % of the input committed, the time between
     * those two moments, and the cores each process took meanwhile. Leaving out the ends leaves out the start
     * (JVM warm-up, joining the group, opening the stores) and the last partitions' tail, which a fixed-rate
     * service never sees.
     */
    record Result(long records, Duration took, Map<String, Double> cores) {
        double perSecond() {
            return records / (took.toNanos() / 1e9);
        }

        /** CPU milliseconds of {@code role} per input record. */
        double cpuMsPerRecord(String role) {
            return cores.getOrDefault(role, 0.0) * 1000 / perSecond();
        }
    }

    private final BenchCluster cluster;
    private final Admin admin;
    private final String bootstrapServers;
    private final String inputTopic;

    GroupDrain(BenchCluster cluster, String inputTopic) {
        this.cluster = cluster;
        this.admin = cluster.admin();
        this.bootstrapServers = cluster.bootstrapServers();
        this.inputTopic = inputTopic;
    }

    /** Waits until {@code applicationId} has drained {@code inputTopic}; fails if {@code process} dies. */
    Result await(String applicationId, JavaProcess process, Duration timeout, ProgressBar progress)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TopicPartition, Long> inputEnds = afterLastRecord(endOffsets(partitionsOf(Set.of(inputTopic))));
        long inputTotal = inputEnds.values().stream().mapToLong(Long::longValue).sum();
        long tenth = inputTotal / 10;
        long nineTenths = inputTotal - tenth;
        long previousAt = System.nanoTime();
        long previousCommitted = 0;
        double tenthAt = Double.NaN;
        double nineTenthsAt = Double.NaN;
        CpuUse cpu = null;
        Map<String, Double> cores = Map.of();
        boolean started = false;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited:\n" + process.tail());
            }
            long now = System.nanoTime();
            Map<TopicPartition, Long> committed = committed(applicationId);
            long inputCommitted = inputEnds.keySet().stream().mapToLong(tp -> committed.getOrDefault(tp, 0L)).sum();
            started |= inputCommitted > 0;
            if (Double.isNaN(tenthAt) && inputCommitted >= tenth && started) {
                tenthAt = crossing(previousAt, previousCommitted, now, inputCommitted, tenth);
                cpu = CpuUse.start(cluster.roles());
            }
            if (Double.isNaN(nineTenthsAt) && inputCommitted >= nineTenths && started) {
                nineTenthsAt = crossing(previousAt, previousCommitted, now, inputCommitted, nineTenths);
                cores = cpu.cores();
            }
            previousAt = now;
            previousCommitted = inputCommitted;
            long behind = 0;
            for (var target : inputEnds.entrySet()) {
                behind += Math.max(0, target.getValue() - committed.getOrDefault(target.getKey(), 0L));
            }
            progress.maxHint(inputTotal);
            progress.stepTo(inputTotal - behind);
            // Not drained before the first input offset is committed.
            if (behind == 0 && started) {
                // A backlog drained between two polls (a catch-up with little left) has no middle to time.
                long took = Math.max(POLL.toNanos(), Math.round(nineTenthsAt - tenthAt));
                return new Result(nineTenths - tenth, Duration.ofNanos(took), cores);
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException(applicationId + " did not drain " + inputTopic + " within " + timeout);
    }

    /** When the committed count passed {@code target}, interpolated between two polls. */
    static double crossing(long beforeAt, long beforeCommitted, long at, long committed, long target) {
        if (committed <= beforeCommitted) {
            return at;
        }
        double share = (double) (target - beforeCommitted) / (committed - beforeCommitted);
        return beforeAt + Math.max(0, Math.min(1, share)) * (at - beforeAt);
    }

    /** For each partition, its end offset, or one less when its last entry is a transaction marker. */
    private Map<TopicPartition, Long> afterLastRecord(Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> targets = new HashMap<>(ends);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (var end : ends.entrySet()) {
                if (end.getValue() == 0) {
                    continue;
                }
                consumer.assign(List.of(end.getKey()));
                consumer.seek(end.getKey(), end.getValue() - 1);
                // A marker is skipped without a record: the position moves past it with nothing returned.
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                boolean lastIsRecord = false;
                while (consumer.position(end.getKey()) < end.getValue() && System.nanoTime() < deadline) {
                    lastIsRecord |= !consumer.poll(POLL).isEmpty();
                }
                if (!lastIsRecord) {
                    targets.put(end.getKey(), end.getValue() - 1);
                }
            }
        }
        return targets;
    }

    private Map<TopicPartition, Long> committed(String groupId) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry :
                admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get().entrySet()) {
            if (entry.getValue() != null) {
                offsets.put(entry.getKey(), entry.getValue().offset());
            }
        }
        return offsets;
    }

    private Set<TopicPartition> partitionsOf(Set<String> topics) throws Exception {
        return admin.describeTopics(topics).allTopicNames().get().values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toSet());
    }

    private Map<TopicPartition, Long> endOffsets(Set<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> request = partitions.stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
