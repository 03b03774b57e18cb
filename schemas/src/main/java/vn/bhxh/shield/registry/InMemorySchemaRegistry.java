package vn.bhxh.shield.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

/**
 * A schema registry held in this JVM: the same ids, versions, compatibility checks and error codes as the embedded
 * registry (both are a {@link SchemaCatalog}), without Kafka or HTTP, so a TopologyTestDriver test or a serde test
 * runs with no broker. Confluent's clients call the same thing {@code mock://<scope>}; here the registry URL
 * {@code mem://<scope>} names one, so a serde configured by class name ({@link SchemaRegistryClient#fromConfigs})
 * shares it with every other serde given that URL. Thread-safe. Never for production: the state dies with the JVM.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    /** The URL scheme {@link SchemaRegistryClient#fromConfigs} reads as "the in-memory registry of this scope". */
    public static final String URL_PREFIX = "mem://";

    private static final Map<String, InMemorySchemaRegistry> scopes = new ConcurrentHashMap<>();

    private final SchemaCatalog catalog = new SchemaCatalog();

    /** A private registry, shared with no scope. */
    public InMemorySchemaRegistry() {
    }

    /** The JVM-wide registry of this scope, made on first use. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return scopes.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets the scope's registry: the next {@link #forScope} starts empty. */
    public static void dropScope(String scope) {
        scopes.remove(scope);
    }

    /** The URL naming this scope's registry, for configs read by {@link SchemaRegistryClient#fromConfigs}. */
    public static String url(String scope) {
        return URL_PREFIX + scope;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        SchemaCatalog.Registration registration = catalog.registration(subject, schema);
        if (registration.isNew()) {
            catalog.add(registration.version());
        }
        return registration.version().id();
    }

    @Override
    public synchronized Schema schemaById(int id) {
        return catalog.schemaById(id);
    }

    @Override
    public synchronized Optional<RegisteredSchema> lookup(String subject, Schema schema) {
        try {
            return Optional.of(catalog.lookup(subject, schema));
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public synchronized RegisteredSchema latest(String subject) {
        return catalog.version(subject, SchemaCatalog.LATEST);
    }

    @Override
    public synchronized RegisteredSchema version(String subject, int version) {
        return catalog.version(subject, version);
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return catalog.versionNumbers(subject);
    }

    @Override
    public synchronized List<String> subjects() {
        return catalog.subjects();
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return catalog.incompatibilities(subject, SchemaCatalog.LATEST, schema).isEmpty();
    }

    @Override
    public synchronized CompatibilityLevel compatibilityLevel() {
        return catalog.globalLevel();
    }

    @Override
    public synchronized CompatibilityLevel compatibilityLevel(String subject) {
        return catalog.effectiveLevel(subject);
    }

    @Override
    public synchronized void setCompatibilityLevel(CompatibilityLevel level) {
        catalog.setLevel(null, level);
    }

    @Override
    public synchronized void setCompatibilityLevel(String subject, CompatibilityLevel level) {
        catalog.setLevel(subject, level);
    }
}
