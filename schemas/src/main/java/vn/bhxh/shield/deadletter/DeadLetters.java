package vn.bhxh.shield.deadletter;

import java.nio.ByteBuffer;
import java.time.Instant;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.ErrorKind;

/** Builds the {@link DeadLetter} every service writes to {@code bhxh.deadletter.v1}, the same way. */
public final class DeadLetters {

    /**
     * Kafka headers of the sink's DELIVERY dead letters, copied onto their re-sends: which webhook endpoint gave
     * up (its stable id, province-hash of the URL, which the re-send targets), its URL without credentials, and its
     * province.
     */
    public static final String WEBHOOK_ENDPOINT_ID_HEADER = "bhxh-webhook-endpoint-id";
    public static final String WEBHOOK_ENDPOINT_HEADER = "bhxh-webhook-endpoint";
    public static final String WEBHOOK_PROVINCE_HEADER = "bhxh-webhook-province";

    private DeadLetters() {
    }

    /** Where a failed record came from, as read (partition and offset are -1 if it never reached Kafka). */
    public record Origin(String topic, int partition, long offset, Long timestamp, byte[] key, byte[] value) {
    }

    public static DeadLetter of(String service, Origin origin, ErrorKind kind, String error, Throwable cause) {
        return DeadLetter.newBuilder()
                .setOriginalTopic(origin.topic())
                .setOriginalPartition(origin.partition())
                .setOriginalOffset(origin.offset())
                .setOriginalTimestamp(origin.timestamp() == null ? null : Instant.ofEpochMilli(origin.timestamp()))
                .setOriginalKey(origin.key() == null ? null : ByteBuffer.wrap(origin.key()))
                .setOriginalValue(origin.value() == null ? null : ByteBuffer.wrap(origin.value()))
                .setErrorKind(kind)
                .setError(error)
                .setErrorClass(cause == null ? null : cause.getClass().getName())
                .setService(service)
                .setFailedAt(Instant.now())
                .build();
    }

    /** The dead letter's key: where the original was, so a replay tool can find it and duplicates collapse. */
    public static String key(DeadLetter deadLetter) {
        return deadLetter.getOriginalTopic() + "/" + deadLetter.getOriginalPartition() + "/"
                + deadLetter.getOriginalOffset();
    }
}
