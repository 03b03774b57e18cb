package vn.bhxh.shield.registry;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/** Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}. */
public enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    CompatibilityLevel(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    /** @throws SchemaRegistryException 422/42203 for an unknown level, as Confluent does */
    public static CompatibilityLevel parse(String level) {
        try {
            return valueOf(level.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw SchemaRegistryException.invalidCompatibilityLevel(level);
        }
    }

    /**
     * Checks a candidate against a subject's earlier schemas (oldest first): against all of them when transitive,
     * otherwise against the newest only.
     *
     * @return why the candidate is incompatible; empty when it is compatible
     */
    public List<String> incompatibilities(Schema candidate, List<Schema> earlier) {
        List<Schema> checked = transitive || earlier.isEmpty() ? earlier : List.of(earlier.get(earlier.size() - 1));
        return checked.stream()
                .flatMap(old -> Stream.concat(
                        newReadsOld ? problems(candidate, old) : Stream.empty(),
                        oldReadsNew ? problems(old, candidate) : Stream.empty()))
                .toList();
    }

    private static Stream<String> problems(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult()
                .getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage());
    }
}
