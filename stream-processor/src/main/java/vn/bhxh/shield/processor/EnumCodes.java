package vn.bhxh.shield.processor;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A stable, explicit code per enum constant, for stored state: not {@link Enum#ordinal()}, so a symbol added to
 * the contract (anywhere in its list) never shifts what older bytes mean. Every constant must have a code, checked
 * when the table is made: a new symbol without one fails the build's tests, not a write in production. A code this
 * build does not know reads as {@code unknown} (the enum's own default for newer symbols), or is refused when the
 * enum has none.
 */
final class EnumCodes<E extends Enum<E>> {

    private final Class<E> type;
    private final Map<E, Integer> codes;
    private final Map<Integer, E> byCode = new HashMap<>();
    private final E unknown;

    private EnumCodes(Class<E> type, Map<E, Integer> codes, E unknown) {
        this.type = type;
        this.codes = new EnumMap<>(codes);
        this.unknown = unknown;
        for (E constant : type.getEnumConstants()) {
            Integer code = codes.get(constant);
            if (code == null || code < 0) {
                throw new IllegalStateException(type.getSimpleName() + "." + constant
                        + " has no stored-state code: give it a new one, never reuse or renumber one");
            }
            if (byCode.put(code, constant) != null) {
                throw new IllegalStateException("two " + type.getSimpleName() + " constants share code " + code);
            }
        }
    }

    /** @param unknown what an unknown code reads as; null to refuse it */
    static <E extends Enum<E>> EnumCodes<E> of(Class<E> type, E unknown, Map<E, Integer> codes) {
        return new EnumCodes<>(type, codes, unknown);
    }

    int code(E constant) {
        return codes.get(constant);
    }

    E constant(int code) {
        E constant = byCode.get(code);
        if (constant != null) {
            return constant;
        }
        if (unknown == null) {
            throw new SerializationException("unknown " + type.getSimpleName() + " code " + code);
        }
        return unknown;
    }
}
