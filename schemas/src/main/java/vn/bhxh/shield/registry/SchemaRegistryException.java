package vn.bhxh.shield.registry;

/**
 * An error answered by a Confluent-compatible schema registry: the HTTP status, Confluent's {@code error_code}
 * (e.g. 40401 subject not found, 409 incompatible) and its message. The embedded registry throws it too, so both
 * sides speak the same error model.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Status used when no HTTP answer was received at all (connection refused, timeout). */
    public static final int NO_RESPONSE = 0;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        this(httpStatus, errorCode, message, null);
    }

    public SchemaRegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }

    /** True when the registry could not answer properly (unreachable or 5xx), so retrying later may succeed. */
    public boolean isUnavailable() {
        return httpStatus == NO_RESPONSE || httpStatus >= 500;
    }

    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /**
     * True when the answer carries one of the registry's own error codes (Confluent's {@code 40401}, {@code 40403},
     * ...: the HTTP status times 100 plus a detail), false for a bare status such as a proxy's or a wrong path's
     * 404 page: only the registry's own "schema not found" proves a schema id does not exist.
     */
    public boolean isRegistryAnswer() {
        return errorCode / 100 == httpStatus;
    }

    // Confluent's error codes, shared by the client's callers and the embedded registry.
    static SchemaRegistryException subjectNotFound(String subject) {
        return new SchemaRegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static SchemaRegistryException versionNotFound(String subject, String version) {
        return new SchemaRegistryException(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static SchemaRegistryException schemaNotFound(String what) {
        return new SchemaRegistryException(404, 40403, "Schema " + what + " not found.");
    }

    static SchemaRegistryException invalidSchema(String detail) {
        return new SchemaRegistryException(422, 42201, "Invalid schema: " + detail);
    }

    static SchemaRegistryException invalidVersion(String version) {
        return new SchemaRegistryException(422, 42202,
                "The specified version '" + version + "' is not a valid version id. "
                        + "Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static SchemaRegistryException invalidCompatibilityLevel(String level) {
        return new SchemaRegistryException(422, 42203, "Invalid compatibility level. Valid values are none, backward, "
                + "forward, full, backward_transitive, forward_transitive, and full_transitive: " + level);
    }

    static SchemaRegistryException storeError(String detail, Throwable cause) {
        return new SchemaRegistryException(500, 50001, "Error in the backend data store: " + detail, cause);
    }
}
