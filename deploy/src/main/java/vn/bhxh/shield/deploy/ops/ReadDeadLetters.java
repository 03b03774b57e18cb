package vn.bhxh.shield.deploy.ops;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.serde.GenericAvroDeserializer;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Prints the dead letters of the last {@code <duration>} (ISO-8601, default {@code P30D}: all that are kept) for a
 * person: when, which service, what kind, where the record came from, why, and the original key and value, the
 * value decoded with the registry when it is Avro. Reads without a consumer group, so it moves nobody's offsets,
 * and stops at the end of the topic. Connected like every service ({@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL}, {@code KAFKA_CLIENT_*}).
 */
@Command(name = "read-dead-letters",
        description = {
            "In các thư chết (bhxh.deadletter.v1) trong khoảng thời gian vừa qua cho người đọc: lúc nào, dịch vụ nào,"
                    + " loại lỗi, bản ghi gốc, lý do. Không dùng nhóm consumer nên không dịch offset của ai.",
            "Prints the dead letters of the last <since> for a person: when, which service, what kind, where from,"
                    + " why, the original key and value. Uses no consumer group, so it moves nobody's offsets.",
            "Kết nối/connects with KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, KAFKA_CLIENT_*."})
public final class ReadDeadLetters implements Callable<Integer> {

    private static final int PREVIEW_BYTES = 160;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<since>", defaultValue = "P30D",
            description = "Khoảng ISO-8601 tính lùi từ bây giờ / ISO-8601 duration back from now, e.g. PT24H;"
                    + " mặc định/default ${DEFAULT-VALUE} (tất cả những gì được giữ / all that are kept)")
    private Duration since;


    @Override
    public Integer call() {
        KafkaSettings kafka = KafkaSettings.from(Settings.fromEnvironment());
        Instant from = Instant.now().minus(since);
        int count = read(kafka, from, System.out::println);
        System.out.printf("%d dead letters since %s%n", count, from);
        return 0;
    }

    /** Hands each dead letter written since {@code from}, formatted, to {@code out}; returns how many. */
    static int read(KafkaSettings kafka, Instant from, Consumer<String> out) {
        GenericAvroDeserializer originals = new GenericAvroDeserializer(kafka.schemaRegistry());
        return scan(kafka, from, "bhxh-ops-read-dead-letters",
                record -> out.accept(format(record.value(), originals)));
    }

    /**
     * Hands each dead letter written since {@code from}, with its headers, to {@code each}; returns how many.
     * Without a consumer group, so it moves nobody's offsets; stops at the end of the topic.
     */
    static int scan(KafkaSettings kafka, Instant from, String clientId,
                    Consumer<ConsumerRecord<String, DeadLetter>> each) {
        Topic<String, DeadLetter> topic = new Topics(kafka.schemaRegistry())
                .deadLetters();
        Map<String, Object> props = kafka.common(clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        int count = 0;
        try (var consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> from.toEpochMilli())));
            partitions.forEach(p -> consumer.seek(p, starts.get(p) == null ? ends.get(p) : starts.get(p).offset()));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                for (var record : consumer.poll(Duration.ofSeconds(1))) {
                    each.accept(record);
                    count++;
                }
            }
        }
        return count;
    }

    static String format(DeadLetter letter, GenericAvroDeserializer originals) {
        StringBuilder text = new StringBuilder();
        text.append(letter.getFailedAt()).append(' ').append(letter.getService()).append(' ')
                .append(letter.getErrorKind()).append(' ').append(letter.getOriginalTopic());
        if (letter.getOriginalPartition() >= 0) {
            text.append('-').append(letter.getOriginalPartition()).append('@').append(letter.getOriginalOffset());
        }
        text.append("\n  error: ").append(letter.getError());
        if (letter.getErrorClass() != null) {
            text.append(" (").append(letter.getErrorClass()).append(')');
        }
        if (letter.getOriginalKey() != null) {
            text.append("\n  key:   ").append(preview(bytes(letter.getOriginalKey())));
        }
        text.append("\n  value: ").append(letter.getOriginalValue() == null ? "null"
                : value(letter.getOriginalTopic(), bytes(letter.getOriginalValue()), originals));
        return text.toString();
    }

    /** The original value as JSON when the registry can decode it, otherwise what its bytes look like. */
    private static String value(String originalTopic, byte[] value, GenericAvroDeserializer originals) {
        try {
            return originals.deserialize(originalTopic, value).toString();
        } catch (RuntimeException notAvro) {
            return preview(value) + " (" + value.length + " bytes, not decodable: " + notAvro.getMessage() + ")";
        }
    }

    private static String preview(byte[] bytes) {
        String text = new String(bytes, 0, Math.min(bytes.length, PREVIEW_BYTES), StandardCharsets.UTF_8);
        boolean printable = text.codePoints().allMatch(c -> c == '\n' || c == '\t' || !Character.isISOControl(c))
                && !text.contains("\uFFFD");
        String shown = printable ? '"' + text.replace("\n", "\\n") + '"'
                : "0x" + HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, PREVIEW_BYTES));
        return bytes.length > PREVIEW_BYTES ? shown + "..." : shown;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
