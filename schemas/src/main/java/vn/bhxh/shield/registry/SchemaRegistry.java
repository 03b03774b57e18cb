package vn.bhxh.shield.registry;

import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;

/**
 * What the serde, the topic provisioner and the tools need of a Confluent-compatible schema registry. Two
 * implementations: {@link SchemaRegistryClient} speaks the REST API to a real registry, and
 * {@link InMemorySchemaRegistry} keeps the state in the JVM (URL {@code mem://<scope>}) so a topology test needs no
 * broker and no server. Both throw {@link SchemaRegistryException} with Confluent's error codes.
 */
public interface SchemaRegistry {

    /** Registers the schema under the subject (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** The schema with this global id. */
    Schema schemaById(int id);

    /** The version of the subject holding exactly this schema, if it is registered there. */
    Optional<RegisteredSchema> lookup(String subject, Schema schema);

    RegisteredSchema latest(String subject);

    RegisteredSchema version(String subject, int version);

    List<Integer> versions(String subject);

    List<String> subjects();

    /** Whether the schema may be registered under the subject at its current compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    /** The global level. */
    CompatibilityLevel compatibilityLevel();

    /** The subject's effective level: its own, or the global one when it has none. */
    CompatibilityLevel compatibilityLevel(String subject);

    void setCompatibilityLevel(CompatibilityLevel level);

    void setCompatibilityLevel(String subject, CompatibilityLevel level);
}
