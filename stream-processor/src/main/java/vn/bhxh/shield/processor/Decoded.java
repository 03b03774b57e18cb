package vn.bhxh.shield.processor;

import vn.bhxh.shield.schema.DeadLetter;

/** A record after decoding: either the value or the dead letter that says why it could not be used. */
public record Decoded<T>(T value, DeadLetter failure) {

    public static <T> Decoded<T> ok(T value) {
        return new Decoded<>(value, null);
    }

    public static <T> Decoded<T> failed(DeadLetter failure) {
        return new Decoded<>(null, failure);
    }

    public boolean isFailure() {
        return failure != null;
    }
}
