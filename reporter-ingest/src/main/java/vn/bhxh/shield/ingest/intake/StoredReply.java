package vn.bhxh.shield.ingest.intake;

/**
 * What a request with an Idempotency-Key was answered, kept so a retry gets exactly the same answer.
 * {@code requestHash} tells a retry (same body) from a reuse of the key for something else.
 */
public record StoredReply(String requestHash, int status, String body) {
}
