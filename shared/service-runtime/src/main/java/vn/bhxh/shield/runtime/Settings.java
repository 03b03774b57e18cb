package vn.bhxh.shield.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a service reads its configuration: environment variables in production (12-factor, so ConfigMaps and
 * Secrets map straight in), an explicit map in tests and in the local stack.
 */
public final class Settings {

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Settings fromEnvironment() {
        return new Settings(System.getenv());
    }

    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** These settings with {@code overrides} taking precedence. */
    public Settings with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new Settings(merged);
    }

    public Optional<String> find(String name) {
        return Optional.ofNullable(values.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String name, String defaultValue) {
        return find(name).orElse(defaultValue);
    }

    public String required(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("missing setting " + name));
    }

    public int integer(String name, int defaultValue) {
        return find(name).map(v -> parse(name, v)).orElse(defaultValue);
    }

    /** All settings whose name starts with {@code prefix}, with the prefix removed. */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix) && v != null) {
                found.put(k.substring(prefix.length()), v);
            }
        });
        return found;
    }

    private static int parse(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("setting " + name + " must be a whole number, got '" + value + "'", e);
        }
    }
}
