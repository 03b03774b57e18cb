package vn.bhxh.shield.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.apache.avro.Schema;

/**
 * A registry's state and rules, with no storage and no I/O: schemas by global id, each subject's versions,
 * compatibility levels, and what registering a schema means (the same id for the same schema text, the next version
 * number, refused with 409 when the subject's level forbids it). {@link InMemorySchemaRegistry} is just this; the
 * embedded registry's {@code SchemaStore} persists each change to Kafka before applying it here.
 *
 * <p>Not thread-safe: its owner serialises access.
 */
public final class SchemaCatalog {

    /** Version number meaning "the subject's newest version", as in Confluent's API. */
    public static final int LATEST = -1;

    /**
     * What registering a schema under a subject comes to: the version already holding it ({@code isNew} false), or
     * the version to add ({@code isNew} true, not applied yet: the caller stores it, then {@link #add}s it).
     */
    public record Registration(RegisteredSchema version, boolean isNew) {
    }

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final SortedMap<String, SortedMap<Integer, Integer>> idsBySubjectVersion = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

    /**
     * The existing version of the subject holding the schema, or the next one (a known schema keeps its id).
     *
     * @throws SchemaRegistryException 409 when the subject's level forbids the new version
     */
    public Registration registration(String subject, Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        SortedMap<Integer, Integer> versions = idsBySubjectVersion.getOrDefault(subject, new TreeMap<>());
        Optional<Integer> existing = versions.entrySet().stream()
                .filter(version -> version.getValue().equals(id)).map(Map.Entry::getKey).findFirst();
        if (existing.isPresent()) {
            return new Registration(new RegisteredSchema(subject, id, existing.get(), schemasById.get(id)), false);
        }
        List<String> problems = incompatibilities(subject, LATEST, schema);
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, 409, "Schema being registered is incompatible with an earlier "
                    + "schema for subject \"" + subject + "\", details: " + problems);
        }
        int newId = id != null ? id : maxId + 1;
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        return new Registration(new RegisteredSchema(subject, newId, version, schema), true);
    }

    /** Applies a version: a new registration, or one read back from storage. */
    public void add(RegisteredSchema version) {
        schemasById.putIfAbsent(version.id(), version.schema());
        idsBySchemaText.putIfAbsent(version.schema().toString(), version.id());
        idsBySubjectVersion.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version.id());
        maxId = Math.max(maxId, version.id());
    }

    /** @throws SchemaRegistryException 404/40403 when the subject has no version holding the schema */
    public RegisteredSchema lookup(String subject, Schema schema) {
        Integer id = idsBySchemaText.get(schema.toString());
        return versions(subject).entrySet().stream()
                .filter(version -> version.getValue().equals(id))
                .findFirst()
                .map(version -> new RegisteredSchema(subject, id, version.getKey(), schemasById.get(id)))
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("not registered under '" + subject + "'"));
    }

    /** @throws SchemaRegistryException 404/40403 for an id never given */
    public Schema schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id))
                .orElseThrow(() -> SchemaRegistryException.schemaNotFound("with id " + id));
    }

    /** Every (subject, version) holding the schema with this id. */
    public List<RegisteredSchema> usesOf(int id) {
        Schema schema = schemaById(id);
        List<RegisteredSchema> uses = new ArrayList<>();
        idsBySubjectVersion.forEach((subject, versions) -> versions.forEach((version, versionId) -> {
            if (versionId == id) {
                uses.add(new RegisteredSchema(subject, id, version, schema));
            }
        }));
        return uses;
    }

    public List<String> subjects() {
        return List.copyOf(idsBySubjectVersion.keySet());
    }

    public List<Integer> versionNumbers(String subject) {
        return List.copyOf(versions(subject).keySet());
    }

    /** The given version of the subject, or its newest for {@link #LATEST}. */
    public RegisteredSchema version(String subject, int version) {
        SortedMap<Integer, Integer> versions = versions(subject);
        int number = version == LATEST ? versions.lastKey() : version;
        Integer id = versions.get(number);
        if (id == null) {
            throw SchemaRegistryException.versionNotFound(subject, String.valueOf(version));
        }
        return new RegisteredSchema(subject, id, number, schemasById.get(id));
    }

    /**
     * Why the candidate may not be added to the subject under its level: checked against the given version, or for
     * {@link #LATEST} against the newest (all versions when transitive). A subject without versions accepts anything.
     */
    public List<String> incompatibilities(String subject, int version, Schema candidate) {
        SortedMap<Integer, Integer> versions = idsBySubjectVersion.getOrDefault(subject, new TreeMap<>());
        if (version == LATEST && versions.isEmpty()) {
            return List.of();
        }
        List<Schema> earlier = version == LATEST
                ? versions.values().stream().map(schemasById::get).toList()
                : List.of(version(subject, version).schema());
        return effectiveLevel(subject).incompatibilities(candidate, earlier);
    }

    public CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    public Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    /** The subject's own level, or the global one when it has none. */
    public CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    /**
     * Sets the level of a subject, or the global level when subject is null; a null level removes the subject's
     * own level (or resets the global one to Confluent's default, BACKWARD).
     */
    public void setLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level == null ? CompatibilityLevel.BACKWARD : level;
        } else if (level == null) {
            subjectLevels.remove(subject);
        } else {
            subjectLevels.put(subject, level);
        }
    }

    private SortedMap<Integer, Integer> versions(String subject) {
        SortedMap<Integer, Integer> versions = idsBySubjectVersion.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw SchemaRegistryException.subjectNotFound(subject);
        }
        return versions;
    }
}
