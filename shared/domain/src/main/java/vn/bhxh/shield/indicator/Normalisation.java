package vn.bhxh.shield.indicator;

import java.util.Optional;

/** The outcome of normalising one user-typed identifier: rejected input is a value, not an exception. */
public sealed interface Normalisation {

    record Accepted(Indicator indicator) implements Normalisation {
    }

    /** {@code messageVi} is shown to the hotline operator as is; {@code reason} is for machines and metrics. */
    record Rejected(String input, RejectReason reason, String messageVi) implements Normalisation {

        static Rejected of(String input, RejectReason reason, Object... details) {
            String shown = input == null ? "" : input.strip();
            return new Rejected(shown, reason, reason.messageVi(shown, details));
        }
    }

    default Optional<Indicator> accepted() {
        return this instanceof Accepted accepted ? Optional.of(accepted.indicator()) : Optional.empty();
    }

    default boolean isAccepted() {
        return this instanceof Accepted;
    }
}
