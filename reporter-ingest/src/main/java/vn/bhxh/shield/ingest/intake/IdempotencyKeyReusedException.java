package vn.bhxh.shield.ingest.intake;

/** The same Idempotency-Key came back with a different body: a client bug, never silently a new report. */
public final class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException() {
        super("Idempotency-Key already used for a different request");
    }
}
