package vn.bhxh.shield.deploy.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topics;

/**
 * Re-sends alerts the sink gave up delivering to a webhook endpoint (dead letters of kind DELIVERY), once the
 * endpoint works again: each alert record is copied as it was (key, Avro value, headers) from its topic to
 * {@code bhxh.webhooks.redelivery.v1}, addressed to the endpoint that gave up, whose delivery loop in the sink
 * signs and POSTs it again with the same {@code Idempotency-Key} and {@code webhook-id}, so a receiver that had
 * it after all drops the copy. The tool holds no webhook secret and calls no endpoint.
 *
 * <p>{@code bhxh-ops resend-dead-letters [--since <ISO duration or instant>] [--until <instant>] [--province <slug>]
 * [--endpoint <URL or endpoint id>] [--dry-run]}; {@code --since} defaults to {@code P30D} (all that are kept).
 * Connected like every service ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL},
 * {@code KAFKA_CLIENT_*}).
 */
@Command(name = "resend-dead-letters", sortOptions = false,
        description = {
            "Gửi lại tới webhook các cảnh báo mà sink đã bỏ cuộc (thư chết loại DELIVERY), khi địa chỉ nhận đã hoạt động"
                    + " lại; mỗi cảnh báo và địa chỉ một lần, cùng Idempotency-Key.",
            "Re-sends alerts the sink gave up delivering to a webhook (DELIVERY dead letters) once the endpoint works"
                    + " again; each alert and endpoint once, with the same Idempotency-Key.",
            "Kết nối/connects with KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, KAFKA_CLIENT_*."})
public final class ResendDeadLetters implements Callable<Integer> {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    @Option(names = "--since", paramLabel = "<P30D|2026-12-05T00:00:00Z>", defaultValue = "P30D",
            description = "Thư chết ghi từ lúc này (khoảng ISO-8601 trước bây giờ, hoặc thời điểm) / written since"
                    + " (ISO-8601 duration ago, or an instant); mặc định/default: ${DEFAULT-VALUE}")
    private String since;

    @Option(names = "--until", paramLabel = "<instant>",
            description = "Đến trước lúc này / written before this (duration ago or instant)")
    private String until;

    @Option(names = "--province", paramLabel = "<slug>", description = "Chỉ của tỉnh này / only this province's")
    private String province;

    @Option(names = "--endpoint", paramLabel = "<url|endpoint id>",
            description = "Chỉ địa chỉ webhook này / only this webhook endpoint")
    private String endpoint;

    @Option(names = "--dry-run", description = "Chỉ liệt kê, không ghi gì / list only, write nothing")
    private boolean dryRun;

    @Spec
    private CommandSpec spec;

    /** Which dead letters to re-send: written in [from, until), of a province and of an endpoint if given. */
    record Selection(Instant from, Optional<Instant> until, Optional<String> province, Optional<String> endpoint) {

        private static Instant instantOrAgo(String value, Instant now) {
            try {
                return value.startsWith("P") ? now.minus(Duration.parse(value)) : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + value + "' is neither an ISO-8601 duration (PT6H) nor an"
                        + " instant (2026-12-05T00:00:00Z)");
            }
        }

        /** A webhook dead letter in the window, of the province and endpoint asked for. */
        boolean selects(ConsumerRecord<String, DeadLetter> record) {
            Optional<String> endpointId = header(record.headers(), DeadLetters.WEBHOOK_ENDPOINT_ID_HEADER);
            return record.value().getErrorKind() == ErrorKind.DELIVERY && endpointId.isPresent()
                    && until.map(end -> record.value().getFailedAt().isBefore(end)).orElse(true)
                    && province.map(p -> header(record.headers(), DeadLetters.WEBHOOK_PROVINCE_HEADER)
                            .filter(p::equals).isPresent()).orElse(true)
                    && endpoint.map(e -> e.equals(endpointId.get())
                            || header(record.headers(), DeadLetters.WEBHOOK_ENDPOINT_HEADER).filter(e::equals)
                            .isPresent()).orElse(true);
        }
    }

    /** One alert to hand back: where its record is, and the dead letter's headers naming the endpoint. */
    record Resend(TopicPartition partition, long offset, String endpointId, List<Header> endpointHeaders) {
    }

    /** The options given, as a selection relative to {@code now}. */
    Selection selection(Instant now) {
        return new Selection(Selection.instantOrAgo(since, now),
                Optional.ofNullable(until).map(value -> Selection.instantOrAgo(value, now)),
                Optional.ofNullable(province), Optional.ofNullable(endpoint));
    }

    @Override
    public Integer call() throws InterruptedException {
        Selection selection;
        try {
            selection = selection(Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            int resent = resend(KafkaSettings.from(Settings.fromEnvironment()), selection, dryRun, System.out::println);
            System.out.printf("%d %s%n", resent, dryRun ? "would be re-sent (dry run: nothing written)"
                    : "handed back to the sink for delivery");
            return 0;
        } catch (ExecutionException e) {
            System.err.println("not written: " + e.getCause());
            return 1;
        }
    }

    /**
     * Finds the selected dead letters (each alert and endpoint once, however often it was dead-lettered), copies
     * each alert record to the redelivery topic unless {@code dryRun}, tells {@code out} about each, and returns
     * how many were (or would be) re-sent. An alert whose record the retention already removed is reported and left.
     */
    static int resend(KafkaSettings kafka, Selection selection, boolean dryRun, Consumer<String> out)
            throws ExecutionException, InterruptedException {
        Map<String, Resend> selected = new LinkedHashMap<>();
        ReadDeadLetters.scan(kafka, selection.from(), "bhxh-ops-resend-dead-letters", record -> {
            if (selection.selects(record)) {
                DeadLetter letter = record.value();
                String endpointId = header(record.headers(), DeadLetters.WEBHOOK_ENDPOINT_ID_HEADER).orElseThrow();
                List<Header> endpointHeaders = new ArrayList<>();
                for (String name : List.of(DeadLetters.WEBHOOK_ENDPOINT_ID_HEADER,
                        DeadLetters.WEBHOOK_ENDPOINT_HEADER, DeadLetters.WEBHOOK_PROVINCE_HEADER)) {
                    Header header = record.headers().lastHeader(name);
                    if (header != null) {
                        endpointHeaders.add(header);
                    }
                }
                selected.putIfAbsent(endpointId + " " + DeadLetters.key(letter), new Resend(new TopicPartition(
                        letter.getOriginalTopic(), letter.getOriginalPartition()), letter.getOriginalOffset(),
                        endpointId, endpointHeaders));
            }
        });
        int resent = 0;
        Map<String, Object> consumerProps = kafka.common("bhxh-ops-resend-originals");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var originals = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             var producer = new KafkaProducer<>(kafka.reliableProducer("bhxh-ops-resend"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Resend resend : selected.values()) {
                String where = resend.partition() + "@" + resend.offset();
                Optional<ConsumerRecord<byte[], byte[]>> original = fetch(originals, resend);
                if (original.isEmpty()) {
                    out.accept("not re-sent: " + where + " for " + resend.endpointId()
                            + " is no longer in its topic (retention)");
                    continue;
                }
                if (!dryRun) {
                    RecordMetadata written = producer.send(new ProducerRecord<>(Topics.WEBHOOK_REDELIVERY, null,
                            original.get().key(), original.get().value(), headers(original.get(), resend))).get();
                    out.accept("re-sent " + where + " to " + resend.endpointId() + " as " + written.topic() + "-"
                            + written.partition() + "@" + written.offset());
                } else {
                    out.accept("would re-send " + where + " to " + resend.endpointId());
                }
                resent++;
            }
        }
        return resent;
    }

    /** The alert record at the dead letter's origin, exactly as it is in its topic, if still there. */
    private static Optional<ConsumerRecord<byte[], byte[]>> fetch(KafkaConsumer<byte[], byte[]> consumer,
                                                                  Resend resend) {
        TopicPartition partition = resend.partition();
        consumer.assign(List.of(partition));
        long start = consumer.beginningOffsets(List.of(partition)).get(partition);
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        if (resend.offset() < start || resend.offset() >= end) {
            return Optional.empty();
        }
        consumer.seek(partition, resend.offset());
        long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && consumer.position(partition) <= resend.offset()) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() == resend.offset()) {
                    return Optional.of(record);
                }
            }
        }
        return Optional.empty(); // an aborted transaction's record, or a compacted one: nothing to send
    }

    /** The original record's headers (its correlation id among them), addressed to the endpoint that gave up. */
    private static Headers headers(ConsumerRecord<byte[], byte[]> original, Resend resend) {
        Headers headers = new RecordHeaders();
        for (Header header : original.headers()) {
            if (resend.endpointHeaders().stream().noneMatch(h -> h.key().equals(header.key()))) {
                headers.add(header);
            }
        }
        resend.endpointHeaders().forEach(headers::add);
        return headers;
    }

    private static Optional<String> header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
