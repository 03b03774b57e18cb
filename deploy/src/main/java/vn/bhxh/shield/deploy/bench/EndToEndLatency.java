package vn.bhxh.shield.deploy.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import me.tongfei.progressbar.ProgressBar;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.topic.Topics;

/**
 * End-to-end latency at a fixed offered load through the HTTP API: from the 202 of a report to its blocklist
 * record being visible to a {@code read_committed} consumer. One request in {@link #PROBE_EVERY} is a probe, a
 * police report of a number nobody else reports, which the processor lists at once; the others are the realistic
 * mix, the load the probes travel with.
 */
final class EndToEndLatency {

    static final int PROBE_EVERY = 5;

    /** Figures of one level. */
    record Level(double offered, double achieved, long probes, long seen, long unanswered,
                 Histogram endToEndMicros, double generatorCores) {
        /** It achieved 95 % of the offered rate, every request was answered and every probe seen. */
        boolean sustained() {
            return achieved >= 0.95 * offered && unanswered == 0 && seen == probes;
        }

        double p99ms() {
            return endToEndMicros.getValueAtPercentile(99) / 1000.0;
        }
    }

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Samples samples;
    private final ReportGenerator probes;
    private long probeIndex;

    EndToEndLatency(BenchCluster cluster, BenchSettings settings, Samples samples) {
        this.cluster = cluster;
        this.settings = settings;
        this.samples = samples;
        this.probes = new ReportGenerator(settings.generatorOptions(2));
    }

    /** One level: {@code perSecond} offered for {@code duration}; the figures go to samples as {@code latency.<label>}. */
    Level measure(String label, double perSecond, Duration duration, int ingestPort, int run) throws Exception {
        Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
        Map<String, Long> visibleAt = new ConcurrentHashMap<>();
        // The blocklist record's timestamp is the processor's clock when it applied the rules to the probe: it
        // splits the time into getting to the rules (ingest's commit, the processor's fetch of the probe's indicator
        // record) and getting out (the blocklist's commit and the reader's fetch). Same machine, same clock.
        Map<String, Long> processedAtMs = new ConcurrentHashMap<>();
        Histogram endToEnd = new Histogram(Duration.ofMinutes(10).toNanos() / 1000, 3);
        Histogram toRules = new Histogram(Duration.ofMinutes(10).toMillis(), 3);
        Histogram fromRules = new Histogram(Duration.ofMinutes(10).toMillis(), 3);
        AtomicLong seen = new AtomicLong();
        AtomicLong probesAccepted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();

        // Whichever of the 202 and the blocklist record is noticed second completes the pair.
        Object lock = new Object();
        Consumer<String> complete = key -> {
            synchronized (lock) {
                Long accepted = acceptedAt.get(key);
                Long visible = visibleAt.get(key);
                if (accepted != null && visible != null) {
                    endToEnd.recordValue(Math.max(1, (visible - accepted) / 1000));
                    long processed = processedAtMs.get(key);
                    toRules.recordValue(Math.max(0, processed - wallClockMs(accepted)));
                    fromRules.recordValue(Math.max(0, wallClockMs(visible) - processed));
                    seen.incrementAndGet();
                }
            }
        };

        KafkaConsumer<String, byte[]> consumer = blocklistConsumer();
        Thread reader = new Thread(() -> readBlocklist(consumer, stop, (key, timestamp) -> {
            if (processedAtMs.putIfAbsent(key, timestamp) == null) {
                visibleAt.put(key, System.nanoTime());
                complete.accept(key);
            }
        }), "bench-blocklist-reader");
        reader.start();

        // Every request is made before the level starts: the load generator only sends while it is measured.
        ReportGenerator background = new ReportGenerator(settings.generatorOptions(1_050 + run).withoutFanpage());
        String keyPrefix = "e2e-" + label + "-" + run + "-";
        List<OpenLoopLoad.Call> calls = new ArrayList<>();
        long count = Math.round(perSecond * duration.toNanos() / 1e9);
        for (long ticket = 0; ticket < count; ticket++) {
            String idempotencyKey = keyPrefix + ticket;
            if (ticket % PROBE_EVERY != 0) {
                GeneratedReport report = background.next(Instant.now());
                calls.add(new OpenLoopLoad.Call(IngestThroughput.authorization(report), report.toJson(idempotencyKey),
                        idempotencyKey, (status, answeredAt) -> { }));
                continue;
            }
            GeneratedReport probe = probes.probe(probeIndex++, Instant.now());
            String key = probe.intendedKeys().get(0);
            calls.add(new OpenLoopLoad.Call(IngestThroughput.POLICE, probe.toJson(idempotencyKey), idempotencyKey,
                    (status, answeredAt) -> {
                        if (status == 202) {
                            probesAccepted.incrementAndGet();
                            acceptedAt.put(key, answeredAt);
                            complete.accept(key);
                        }
                    }));
        }
        OpenLoopLoad.Result result;
        CpuUse cpu = CpuUse.start(cluster.roles());
        try (ProgressBar progress = Progress.of("end-to-end @" + label + "/s #" + run, duration.toSeconds(), "s")) {
            result = new OpenLoopLoad(ingestPort, settings.httpClients(), settings.probeGrace())
                    .run(perSecond, calls, progress);
        }
        String figure = "latency." + label;
        cpu.addTo(samples, figure);
        samples.add(figure + ".cpu.generator", result.generatorCores());
        long graceEnd = System.nanoTime() + settings.probeGrace().toNanos();
        while (seen.get() < probesAccepted.get() && System.nanoTime() < graceEnd) {
            Thread.sleep(50);
        }
        stop.set(true);
        reader.join();
        Level level = new Level(perSecond, result.acceptedPerSecond(), probesAccepted.get(), seen.get(),
                result.failed() + result.unanswered(), endToEnd, result.generatorCores());
        samples.add(figure + ".offered", perSecond);
        samples.add(figure + ".achieved", level.achieved());
        samples.add(figure + ".p50ms", endToEnd.getValueAtPercentile(50) / 1000.0);
        samples.add(figure + ".p99ms", endToEnd.getValueAtPercentile(99) / 1000.0);
        samples.add(figure + ".p999ms", endToEnd.getValueAtPercentile(99.9) / 1000.0);
        samples.add(figure + ".http99ms", result.latencyMicros().getValueAtPercentile(99) / 1000.0);
        samples.add(figure + ".toRules50ms", (double) toRules.getValueAtPercentile(50));
        samples.add(figure + ".fromRules50ms", (double) fromRules.getValueAtPercentile(50));
        samples.add(figure + ".probes", probesAccepted.get());
        samples.add(figure + ".missing", probesAccepted.get() - seen.get());
        samples.add(figure + ".unanswered", level.unanswered());
        samples.add(figure + ".sustained", level.sustained() ? 1 : 0);
        return level;
    }

    private KafkaConsumer<String, byte[]> blocklistConsumer() {
        Map<String, Object> props = new KafkaSettings(cluster.bootstrapServers(), cluster.registryUrl(), Map.of())
                .common("bench-blocklist-reader");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        KafkaConsumer<String, byte[]> created = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = created.partitionsFor(Topics.BLOCKLIST).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        created.assign(partitions);
        created.seekToEnd(partitions);
        partitions.forEach(created::position);
        return created;
    }

    private static void readBlocklist(KafkaConsumer<String, byte[]> consumer, AtomicBoolean stop,
                                      BiConsumer<String, Long> onKeyAndTimestamp) {
        try (KafkaConsumer<String, byte[]> reading = consumer) {
            while (!stop.get()) {
                reading.poll(Duration.ofMillis(20)).forEach(record -> {
                    if (record.value() != null) {
                        onKeyAndTimestamp.accept(record.key(), record.timestamp());
                    }
                });
            }
        }
    }

    /** The wall-clock time (epoch ms) of a {@link System#nanoTime()} reading taken a moment ago. */
    private static long wallClockMs(long nanoTime) {
        return System.currentTimeMillis() - (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
