package vn.bhxh.shield.deploy.bench;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.bhxh.shield.deploy.JavaProcess;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/**
 * The cost of moving bytes through this broker: Kafka's own {@code ProducerPerformance} and
 * {@code ConsumerPerformance} (from {@code kafka-tools}, each its own process) with records the size of our
 * serialised reports, on a topic with as many partitions as {@code bhxh.reports.v1}.
 */
final class Floors {

    static final String TOPIC = "bench.floor.v1";
    static final String PRODUCER_MAIN = "org.apache.kafka.tools.ProducerPerformance";
    static final String CONSUMER_MAIN = "org.apache.kafka.tools.ConsumerPerformance";
    /** The producer settings of both the floor and ingest: acks from all replicas, idempotent, default batching. */
    static final List<String> PRODUCER_PROPS = List.of("acks=all", "enable.idempotence=true");
    private static final Pattern PRODUCED = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

    private final BenchCluster cluster;
    private final BenchSettings settings;
    private final Samples samples;
    private int run;

    Floors(BenchCluster cluster, BenchSettings settings, Samples samples) throws Exception {
        this.cluster = cluster;
        this.settings = settings;
        this.samples = samples;
        cluster.createTopic(TOPIC, cluster.admin().describeTopics(List.of(Topics.REPORTS)).allTopicNames().get()
                .get(Topics.REPORTS).partitions().size());
    }

    /** Mean size in bytes of a generated report as the serde writes it (key included), over 2,000 of them. */
    static int reportRecordBytes(BenchCluster cluster, BenchSettings settings) {
        ReportGenerator generator = new ReportGenerator(settings.generatorOptions(99));
        var serializer = cluster.topics().reports().valueSerde().serializer();
        long bytes = 0;
        int count = 2_000;
        for (int i = 0; i < count; i++) {
            String id = "bench-000000-" + i;
            Report report = generator.next(Instant.now()).toAvro(id, Instant.now());
            bytes += serializer.serialize(Topics.REPORTS, report).length + id.length();
        }
        return (int) (bytes / count);
    }

    void measure(int recordBytes) throws Exception {
        run++;
        String produced = runTool("producer-perf-" + run, PRODUCER_MAIN, concat(List.of(
                "--topic", TOPIC, "--num-records", Integer.toString(settings.floorRecords()),
                "--record-size", Integer.toString(recordBytes), "--throughput", "-1",
                "--producer-props", "bootstrap.servers=" + cluster.bootstrapServers()), PRODUCER_PROPS));
        Matcher matcher = PRODUCED.matcher(lastMatchingLine(produced, "records sent"));
        if (!matcher.find()) {
            throw new IllegalStateException("no result in ProducerPerformance's output:\n" + produced);
        }
        samples.add("floor.producer", Double.parseDouble(matcher.group(2)));

        String consumed = runTool("consumer-perf-" + run, CONSUMER_MAIN, List.of(
                "--bootstrap-server", cluster.bootstrapServers(), "--topic", TOPIC,
                "--num-records", Integer.toString(settings.floorRecords()), "--group", "bench-floor-consumer-" + run,
                "--timeout", "120000"));
        samples.add("floor.consumer", fetchRecordsPerSecond(consumed));
    }

    /** {@code fetch.nMsg.sec}: records per second while fetching, without the time to join the group. */
    private static double fetchRecordsPerSecond(String output) {
        List<String> lines = output.lines().map(String::strip).toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).startsWith("start.time")) {
                List<String> names = List.of(lines.get(i).split(",\\s*"));
                String[] values = lines.get(i + 1).split(",\\s*");
                return Double.parseDouble(values[names.indexOf("fetch.nMsg.sec")]);
            }
        }
        throw new IllegalStateException("no result in ConsumerPerformance's output:\n" + output);
    }

    private String runTool(String name, String mainClass, List<String> args) throws Exception {
        JavaProcess tool = cluster.start(name, mainClass, args, "-Xmx512m", cluster.serviceEnvironment());
        try {
            if (tool.awaitExit(Duration.ofMinutes(10)) != 0) {
                throw new IllegalStateException(name + " failed:\n" + tool.tail());
            }
            return Files.readString(tool.log());
        } finally {
            cluster.stop(tool);
        }
    }

    private static String lastMatchingLine(String output, String marker) {
        return output.lines().filter(line -> line.contains(marker)).reduce((a, b) -> b).orElse("");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
