package vn.bhxh.shield.ingest.intake;

/** Kafka did not acknowledge in time: the caller answers 503 and the client retries; nothing was promised. */
public final class KafkaUnavailableException extends RuntimeException {

    public KafkaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
