package vn.bhxh.shield.deploy.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.ReportRecords;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Re-derives the per-indicator records ({@code bhxh.indicator-events.v1}) from the system of record
 * ({@code bhxh.reports.v1}) with this build's normaliser, after the normaliser changed (runbook: reprocessing when
 * the normaliser changes). Exactly once: reads {@code read_committed}, writes with a transactional producer and
 * commits its progress (the consumer group {@code bhxh-ops-reindex-<run>}) in the same transactions, so a run that
 * dies is started again with the same {@code <run>} and goes on where its last transaction ended.
 *
 * <p>{@code bhxh-ops reindex-reports <run> [<reset file>]}: re-derives every report committed when the run first
 * started (each report once), appending to the indicator topic while ingest goes on writing; then writes the reset file
 * (default {@code indicator-events-reset-<run>.csv}): for Kafka's {@code StreamsResetter --from-file}, where the
 * processor must start reading so it sees each report once, in its new form: the indicator topic from where this
 * run's records begin, the decisions from the beginning. A report whose records ingest wrote after that point (it
 * was committed between the two snapshots below) is not re-derived. Connected like every service
 * ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, {@code KAFKA_CLIENT_*}).
 */
public final class ReindexReports {

    /** Marks the records this tool wrote, to tell them from ingest's in the indicator topic. */
    static final String REINDEXED_HEADER = "bhxh-reindexed";
    private static final int REPORTS_PER_TRANSACTION = 1_000;

    private final KafkaSettings kafka;
    private final Topics topics;
    private final String run;

    ReindexReports(KafkaSettings kafka, String run) {
        this.kafka = kafka;
        this.topics = new Topics(kafka.schemaRegistry());
        this.run = run;
    }

    /** The command line of the tool, {@code bhxh-ops reindex-reports}. */
    @Command(name = "reindex-reports",
            description = {
                "Tạo lại các bản ghi theo từng số/kênh (bhxh.indicator-events.v1) từ các báo cáo (bhxh.reports.v1)"
                        + " khi bộ chuẩn hoá thay đổi, đúng một lần; chạy lại cùng <run> để tiếp tục. Ghi tệp offset cho"
                        + " StreamsResetter --from-file (sổ tay vận hành: Reprocessing when the normaliser changes).",
                "Re-derives the per-indicator records from the reports after the normaliser changed, exactly once;"
                        + " run again with the same <run> to resume. Writes the offsets file for StreamsResetter"
                        + " --from-file (runbook: Reprocessing when the normaliser changes).",
                "Kết nối/connects with KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, KAFKA_CLIENT_*."})
    static final class Cli implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<run>", description = "Tên lượt chạy / run name (a-z, 0-9, -)")
        private String runName;

        @Parameters(index = "1", arity = "0..1", paramLabel = "<reset file>",
                description = "Tệp offset / offsets file; mặc định/default indicator-events-reset-<run>.csv")
        private Path resetFile;

        @Override
        public Integer call() throws IOException {
            if (!runName.matches("[a-z0-9-]+")) {
                throw new ParameterException(spec.commandLine(), "run name: lower-case letters, digits, dashes");
            }
            Path file = resetFile != null ? resetFile : Path.of("indicator-events-reset-" + runName + ".csv");
            Result result = new ReindexReports(KafkaSettings.from(Settings.fromEnvironment()), runName).run();
            Files.writeString(file, result.resetFile(), StandardCharsets.UTF_8);
            System.out.printf("%d reports re-derived into %d indicator records in this run (%d skipped: ingest had"
                            + " already written them after the start); processor reset offsets written to %s:%n%s",
                    result.reports(), result.records(), result.skipped(), file, result.resetFile());
            return 0;
        }
    }

    /** What one run did, and the offsets the processor must be reset to. */
    record Result(long reports, long records, long skipped, String resetFile) {
    }

    /**
     * The plan of the whole reprocessing, fixed at its first start and kept in the metadata of the group's
     * committed offsets: re-derive each reports partition up to {@code until}; the processor reads the indicator
     * topic from {@code from}. The indicator topic's offsets are taken first: a report committed after its
     * snapshot has its records after {@code from} whichever side of the reports' snapshot it lands on.
     */
    record Plan(Map<Integer, Long> until, Map<Integer, Long> from) {

        String encode(int partition) {
            return "until=" + until.get(partition) + ";from=" + from.entrySet().stream()
                    .map(entry -> entry.getKey() + ":" + entry.getValue()).collect(Collectors.joining(","));
        }

        static Plan decode(Map<TopicPartition, OffsetAndMetadata> committed) {
            Map<Integer, Long> until = new TreeMap<>();
            Map<Integer, Long> from = new TreeMap<>();
            committed.forEach((partition, offset) -> {
                String[] parts = offset.metadata().split(";");
                until.put(partition.partition(), Long.parseLong(parts[0].substring("until=".length())));
                for (String entry : parts[1].substring("from=".length()).split(",")) {
                    String[] pair = entry.split(":");
                    from.put(Integer.parseInt(pair[0]), Long.parseLong(pair[1]));
                }
            });
            return new Plan(until, from);
        }
    }

    Result run() {
        Topic<String, Report> reports = topics.reports();
        String group = "bhxh-ops-reindex-" + run;
        Map<String, Object> consumerProps = kafka.common(group);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, Object> producerProps = kafka.reliableProducer(group);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, group);
        ReportRecords derive = new ReportRecords(topics, new Normaliser());
        try (var consumer = new KafkaConsumer<>(consumerProps, reports.keySerde().deserializer(),
                reports.valueSerde().deserializer());
             var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new ByteArraySerializer())) {
            // First, so a previous incarnation's open transaction is aborted before the offsets are read.
            producer.initTransactions();
            List<TopicPartition> partitions = partitions(consumer, Topics.REPORTS);
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed =
                    new HashMap<>(consumer.committed(Set.copyOf(partitions)));
            committed.values().removeIf(offset -> offset == null);
            Plan plan = committed.isEmpty() ? plan(consumer, partitions) : Plan.decode(committed);
            Set<String> skipped = writtenSince(plan.from());
            long reportCount = 0;
            long recordCount = 0;
            long skippedCount = 0;
            int inTransaction = 0;
            producer.beginTransaction();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < plan.until().get(p.partition()))) {
                for (ConsumerRecord<String, Report> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.offset() >= plan.until().get(record.partition())) {
                        continue; // committed after the plan: ingest wrote its records in the new form
                    }
                    if (skipped.contains(record.value().getReportId())) {
                        skippedCount++;
                        continue;
                    }
                    for (ProducerRecord<String, byte[]> derived : derive.indicatorEvents(record.value())) {
                        derived.headers().add(REINDEXED_HEADER, run.getBytes(StandardCharsets.UTF_8));
                        producer.send(derived);
                        recordCount++;
                    }
                    reportCount++;
                    if (++inTransaction == REPORTS_PER_TRANSACTION) {
                        commit(producer, consumer, partitions, plan);
                        producer.beginTransaction();
                        inTransaction = 0;
                    }
                }
            }
            commit(producer, consumer, partitions, plan);
            return new Result(reportCount, recordCount, skippedCount, resetFile(consumer, plan));
        }
    }

    /** Snapshots, indicator topic first (see {@link Plan}). */
    private Plan plan(KafkaConsumer<String, Report> consumer, List<TopicPartition> reportPartitions) {
        Map<Integer, Long> from = new TreeMap<>();
        consumer.endOffsets(partitions(consumer, Topics.INDICATOR_EVENTS))
                .forEach((partition, offset) -> from.put(partition.partition(), offset));
        Map<Integer, Long> until = new TreeMap<>();
        consumer.endOffsets(reportPartitions).forEach((partition, offset) -> until.put(partition.partition(), offset));
        reportPartitions.forEach(partition -> consumer.seek(partition, 0));
        return new Plan(until, from);
    }

    /**
     * The reports whose records ingest wrote at or after {@code from}: committed between the two snapshots, they
     * are below the reports' snapshot but the processor will read their records already; not this tool's own.
     */
    private Set<String> writtenSince(Map<Integer, Long> from) {
        Topic<String, IndicatorEvent> events = topics.indicatorEvents();
        Map<String, Object> props = kafka.common("bhxh-ops-reindex-" + run + "-check");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<String> written = new HashSet<>();
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, events.name());
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            partitions.forEach(partition -> consumer.seek(partition, from.get(partition.partition())));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.headers().lastHeader(REINDEXED_HEADER) == null) {
                        written.add(events.valueSerde().deserializer().deserialize(record.topic(), record.value())
                                .getReportId());
                    }
                }
            }
        }
        return written;
    }

    /** The output so far and the progress (with the plan) in one transaction. */
    private static void commit(KafkaProducer<String, byte[]> producer, KafkaConsumer<String, Report> consumer,
                               List<TopicPartition> partitions, Plan plan) {
        Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
        partitions.forEach(partition -> progress.put(partition, new OffsetAndMetadata(
                Math.min(consumer.position(partition), plan.until().get(partition.partition())),
                plan.encode(partition.partition()))));
        producer.sendOffsetsToTransaction(progress, consumer.groupMetadata());
        producer.commitTransaction();
    }

    /** {@code topic,partition,offset} lines for {@code StreamsResetter --from-file}. */
    private static String resetFile(KafkaConsumer<?, ?> consumer, Plan plan) {
        StringBuilder lines = new StringBuilder();
        plan.from().forEach((partition, offset) -> lines.append(Topics.INDICATOR_EVENTS).append(',')
                .append(partition).append(',').append(offset).append('\n'));
        partitions(consumer, Topics.DECISIONS).forEach(partition -> lines.append(Topics.DECISIONS).append(',')
                .append(partition.partition()).append(",0\n"));
        return lines.toString();
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
    }
}
