package vn.bhxh.shield.processor;

/** The outcome of checking a decoded record against the contract: an invalid record is a value, not an exception. */
sealed interface Verdict<R> {

    record Valid<R>(R value) implements Verdict<R> {
    }

    record Invalid<R>(String reason) implements Verdict<R> {
    }

    static <R> Verdict<R> valid(R value) {
        return new Valid<>(value);
    }

    static <R> Verdict<R> invalid(String reason) {
        return new Invalid<>(reason);
    }
}
