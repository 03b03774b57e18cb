package vn.bhxh.shield.deploy.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.stream.DoubleStream;
import me.tongfei.progressbar.ProgressBar;
import org.apache.kafka.common.GroupState;
import vn.bhxh.shield.topic.Topics;

/**
 * Memory of the processor process holding N distinct indicators (resident set from {@code /proc}, heap and
 * RocksDB from its {@code /metrics}), and how long it takes to be back after {@code kill -9}: exactly-once
 * discards a store that was not closed cleanly, so the restart restores it from the changelog.
 */
final class StateFootprint {

    private static final double MIB = 1024 * 1024;
    private static final Duration DRAIN_TIMEOUT = Duration.ofHours(3);
    private static final Duration ROCKSDB_GAUGES_WAIT = Duration.ofSeconds(60);

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Samples samples;
    private final Apps apps;
    private final ReportGenerator generator;
    private long loaded;

    StateFootprint(BenchCluster cluster, BenchSettings settings, Samples samples, Apps apps) {
        this.cluster = cluster;
        this.settings = settings;
        this.samples = samples;
        this.apps = apps;
        this.generator = new ReportGenerator(settings.generatorOptions(3));
    }

    /** Grows the state of {@code applicationId} (stopped) to each size in turn; returns the last one running. */
    Apps.Running measure(String applicationId) throws Exception {
        Apps.Running processor = null;
        for (int indicators : settings.stateIndicators()) {
            long more = indicators - loaded;
            try (KafkaReportSink sink = new KafkaReportSink(cluster, "state-" + indicators);
                 ProgressBar progress = Progress.of("preload " + indicators + " distinct", more, "reports")) {
                long from = loaded;
                sink.send(more, i -> generator.distinct(from + i, Instant.now()), progress);
            }
            loaded = indicators;
            processor = apps.processor(applicationId);
            cluster.awaitHealthy(processor.process(), processor.port());
            try (ProgressBar progress = Progress.of("processor state " + indicators, 1, "offsets")) {
                new GroupDrain(cluster, Topics.INDICATOR_EVENTS).await(applicationId, processor.process(),
                        DRAIN_TIMEOUT, progress);
            }
            record(indicators, processor);
            if (indicators == settings.restoreIndicators()) {
                processor = restore(indicators, processor);
            }
            if (indicators != settings.stateIndicators().get(settings.stateIndicators().size() - 1)) {
                cluster.stop(processor.process());
            }
        }
        return processor;
    }

    private void record(int indicators, Apps.Running processor) throws Exception {
        String figure = "state." + indicators;
        List<String> metrics = metricsWithRocksDb(processor);
        double resident = residentBytes(processor.process().pid());
        samples.add(figure + ".rssMiB", resident / MIB);
        samples.add(figure + ".heapMiB", sum(metrics, "jvm_memory_used_bytes{area=\"heap\"") / MIB);
        samples.add(figure + ".liveMiB", sum(metrics, "jvm_gc_live_data_size_bytes") / MIB);
        samples.add(figure + ".diskMiB", directoryBytes(processor.stateDir()) / MIB);
        // RocksDB's own figures. One block cache is shared by every store (BoundedRocksDbMemory), so each store
        // reports the same cache; the memtables are charged to that cache by its WriteBufferManager (as dummy
        // entries), so the cache's usage is RocksDB's whole figure and the memtables are a part of it, not more.
        if (values(metrics, "_state_block_cache_usage").findAny().isPresent()) {
            samples.add(figure + ".rocksdbMiB", max(metrics, "_state_block_cache_usage") / MIB);
            samples.add(figure + ".memtablesMiB", sum(metrics, "_state_size_all_mem_tables") / MIB);
            samples.add(figure + ".keys", sum(metrics, "_state_estimate_num_keys"));
        }
    }

    /**
     * The processor's metrics once they include RocksDB's gauges: the metrics binder picks up the gauges of a newly
     * opened store only on its next refresh, up to 10 s later (the processor's METRICS_REFRESH).
     */
    private List<String> metricsWithRocksDb(Apps.Running processor) throws Exception {
        long deadline = System.nanoTime() + ROCKSDB_GAUGES_WAIT.toNanos();
        while (true) {
            List<String> metrics = cluster.get(processor.port(), "/metrics").lines()
                    .filter(line -> !line.startsWith("#")).toList();
            if (values(metrics, "_state_block_cache_usage").findAny().isPresent() || System.nanoTime() > deadline) {
                return metrics;
            }
            Thread.sleep(1_000);
        }
    }

    private static long directoryBytes(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private Apps.Running restore(int indicators, Apps.Running processor) throws Exception {
        Apps.Running current = processor;
        for (int run = 1; run <= settings.repeats(); run++) {
            String killedMember = memberId(current.applicationId());
            current.process().kill();
            long restarted = System.nanoTime();
            Apps.Running next = apps.processor(current.applicationId());
            try (ProgressBar progress = Progress.of("restore " + indicators + " after kill -9 #" + run, 1, "")) {
                awaitReplaced(current.applicationId(), killedMember);
                double joined = (System.nanoTime() - restarted) / 1e9;
                Duration restored = cluster.awaitHealthy(next.process(), next.port());
                progress.stepTo(1);
                samples.add("restore." + indicators + ".joinS", joined);
                samples.add("restore." + indicators + ".restoreS", restored.toMillis() / 1000.0);
                samples.add("restore." + indicators + ".s", joined + restored.toMillis() / 1000.0);
            }
            current = next;
        }
        return current;
    }

    /** The member id of the processor's (one) stream thread in its group. */
    private String memberId(String groupId) throws Exception {
        var members = cluster.admin().describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get()
                .members();
        return members.isEmpty() ? "" : members.iterator().next().consumerId();
    }

    /**
     * Until the restarted instance has taken the killed one's place (static membership: same instance id, a new
     * member id) and the group is stable: JVM start and group membership, before any state is restored.
     */
    private void awaitReplaced(String groupId, String killedMember) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            var group = cluster.admin().describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get();
            if (group.groupState() == GroupState.STABLE && !group.members().isEmpty()
                    && group.members().stream().noneMatch(member -> member.consumerId().equals(killedMember))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the restarted processor never joined group " + groupId);
            }
            Thread.sleep(50);
        }
    }

    private static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    private static double sum(List<String> metrics, String name) {
        return values(metrics, name).sum();
    }

    private static double max(List<String> metrics, String name) {
        return values(metrics, name).max().orElse(0);
    }

    private static DoubleStream values(List<String> metrics, String name) {
        ToDoubleFunction<String> value = line -> {
            String number = line.substring(line.lastIndexOf(' ') + 1);
            return number.equals("NaN") ? 0 : Double.parseDouble(number);
        };
        return metrics.stream().filter(line -> line.contains(name)).mapToDouble(value);
    }
}
