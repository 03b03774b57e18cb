package vn.bhxh.shield.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Guards the data contract. Every released version of each top-level schema is recorded under
 * {@code src/test/resources/schema-history/<Name>/<n>.avsc}; the build fails when the current schema cannot read
 * data written with any recorded version (BACKWARD_TRANSITIVE, Avro's own SchemaCompatibility), or when the
 * schema changed and the change was not recorded. To record a compatible change, run
 * {@code mvn -pl schemas test -Dtest=SchemaContractTest -Dschemas.record=true} and commit the new file.
 */
class SchemaContractTest {

    private static final Path AVRO = Path.of("src/main/avro");
    private static final Path HISTORY = Path.of("src/test/resources/schema-history");
    private static final List<Class<?>> TOP_LEVEL = List.of(
            Report.class, Alert.class, BlocklistEntry.class, Decision.class, AllowlistEntry.class, DeadLetter.class,
            Appeal.class, IndicatorEvent.class, DoNotOriginateEntry.class, WeeklyTrend.class);
    /**
     * Schemas read by consumers we do not release (province offices' and telecom partners' own Avro consumers),
     * with the oldest recorded version those consumers may still run: every version from it on must read what
     * the current schema writes (FORWARD_TRANSITIVE from there; with the BACKWARD_TRANSITIVE check above, the
     * FULL_TRANSITIVE rule the production registry applies to their subjects). Every enum they reach has a default
     * symbol (UNKNOWN), so from these versions on a new symbol is read as the default instead of failing: Decision 2
     * gave DecisionAction one; Alert 5, BlocklistEntry 3 and AllowlistEntry 2 gave IndicatorKind and BlocklistStatus
     * theirs (runbook: schema changes with external consumers). Telecoms read the Do-Not-Originate list from its
     * first version.
     */
    private static final Map<Class<?>, Integer> EXTERNAL_READERS_FROM = Map.of(
            Alert.class, 5, BlocklistEntry.class, 3, AllowlistEntry.class, 2, Decision.class, 2,
            DoNotOriginateEntry.class, 1);
    /**
     * Our own subjects are under the same FULL_TRANSITIVE rule in the production registry (a global rule,
     * deploy/k8s/schema-registry.yaml), from the versions it first holds: a change must also be readable by the
     * service version it replaces during a rolling upgrade.
     */
    private static final Map<Class<?>, Integer> INTERNAL_READERS_FROM = Map.of(
            Report.class, 1, DeadLetter.class, 1, Appeal.class, 2, WeeklyTrend.class, 1);

    @TestFactory
    Stream<DynamicTest> currentSchemaReadsEveryRecordedVersion() {
        return TOP_LEVEL.stream().map(type -> DynamicTest.dynamicTest(type.getSimpleName(), () -> {
            Schema current = schemaOf(type);
            List<Path> versions = recordedVersions(current.getName());
            if (Boolean.getBoolean("schemas.record")) {
                record(current, versions);
                versions = recordedVersions(current.getName());
            }
            assertThat(versions).as("recorded versions of %s", current.getName()).isNotEmpty();
            for (Path version : versions) {
                Schema writer = new Schema.Parser().parse(version.toFile());
                var result = SchemaCompatibility.checkReaderWriterCompatibility(current, writer);
                if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    fail("%s is not BACKWARD compatible with %s: %s", current.getName(), version,
                            result.getResult().getIncompatibilities());
                }
            }
            Schema latest = new Schema.Parser().parse(versions.get(versions.size() - 1).toFile());
            assertThat(current)
                    .as("%s changed since %s: record the change (see this test's javadoc)",
                            current.getName(), versions.get(versions.size() - 1))
                    .isEqualTo(latest);
        }));
    }

    @TestFactory
    Stream<DynamicTest> consumersStillOnARecordedVersionReadWhatIsWrittenNow() {
        return Stream.concat(EXTERNAL_READERS_FROM.entrySet().stream(), INTERNAL_READERS_FROM.entrySet().stream())
                .map(floor -> DynamicTest.dynamicTest(
                floor.getKey().getSimpleName(), () -> {
                    Schema current = schemaOf(floor.getKey());
                    for (Path version : recordedVersions(current.getName())) {
                        if (version(version) < floor.getValue()) {
                            continue;
                        }
                        Schema reader = new Schema.Parser().parse(version.toFile());
                        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, current);
                        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                            fail("a consumer on %s cannot read %s as written now: %s", version, current.getName(),
                                    result.getResult().getIncompatibilities());
                        }
                    }
                }));
    }

    /** An office's consumer built from Alert version 3 reads a level added after it as UNKNOWN, and goes on. */
    @Test
    void anOfficeOnTheEnumDefaultReadsANewLevelAsUnknown() throws Exception {
        Schema version3 = new Schema.Parser().parse(HISTORY.resolve("Alert/3.avsc").toFile());
        java.time.Instant at = java.time.Instant.parse("2026-12-05T08:00:00Z");
        Alert proposal = Alert.newBuilder().setAlertId("a-1").setIndicator("tel:+84904038115")
                .setKind(IndicatorKind.PHONE).setLevel(AlertLevel.PROPOSED).setReason("Đề xuất chặn")
                .setDistinctReporters(5).setWeightedReporters(5).setReportCount(5).setWindowStart(at)
                .setWindowEnd(at).setFirstSeen(at).setLastSeen(at).setRaisedAt(at)
                .setSubmittingAccounts(Map.of("hotline-1900", 5)).build();
        var out = new java.io.ByteArrayOutputStream();
        var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<Alert>(Alert.getClassSchema()).write(proposal, encoder);
        encoder.flush();
        var reader = new org.apache.avro.generic.GenericDatumReader<org.apache.avro.generic.GenericRecord>(
                Alert.getClassSchema(), version3);
        var read = reader.read(null, org.apache.avro.io.DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        assertThat(read.get("level").toString()).isEqualTo("UNKNOWN");
        assertThat(read.get("indicator").toString()).isEqualTo(proposal.getIndicator());
    }

    /** An enum without a default can never gain a symbol under FULL_TRANSITIVE: an old reader would fail on it. */
    @Test
    void everyEnumAnExternalReaderMeetsHasADefault() throws Exception {
        Map<String, String> defaults = new TreeMap<>();
        for (Class<?> type : EXTERNAL_READERS_FROM.keySet()) {
            collectEnums(schemaOf(type), new HashSet<>(), defaults);
        }
        assertThat(defaults).as("enums of the external subjects").containsKeys(
                "vn.bhxh.shield.schema.IndicatorKind", "vn.bhxh.shield.schema.BlocklistStatus",
                "vn.bhxh.shield.schema.AlertLevel", "vn.bhxh.shield.schema.DecisionAction");
        assertThat(defaults).as("enum -> default symbol").doesNotContainValue(NO_DEFAULT);
    }

    private static final String NO_DEFAULT = "(no default)";

    private static void collectEnums(Schema schema, Set<String> seen, Map<String, String> defaults) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.add(schema.getFullName())) {
                    schema.getFields().forEach(field -> collectEnums(field.schema(), seen, defaults));
                }
            }
            case ENUM -> defaults.put(schema.getFullName(),
                    schema.getEnumDefault() == null ? NO_DEFAULT : schema.getEnumDefault());
            case UNION -> schema.getTypes().forEach(t -> collectEnums(t, seen, defaults));
            case ARRAY -> collectEnums(schema.getElementType(), seen, defaults);
            case MAP -> collectEnums(schema.getValueType(), seen, defaults);
            default -> { }
        }
    }

    @Test
    void everyFieldOfEverySchemaIsDocumented() throws Exception {
        List<String> undocumented = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> type : TOP_LEVEL) {
            collectUndocumented(schemaOf(type), seen, undocumented);
        }
        assertThat(undocumented).as("fields and types without a doc").isEmpty();
    }

    @Test
    void everySchemaFileIsCompiled() throws IOException {
        try (Stream<Path> files = Files.walk(AVRO)) {
            List<String> names = files.filter(f -> f.toString().endsWith(".avsc"))
                    .map(f -> f.getFileName().toString().replace(".avsc", "")).toList();
            assertThat(names).containsAll(TOP_LEVEL.stream().map(Class::getSimpleName).toList());
        }
    }

    private static void collectUndocumented(Schema schema, Set<String> seen, List<String> undocumented) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        undocumented.add(schema.getName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), seen, undocumented);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
                    undocumented.add(schema.getFullName());
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, seen, undocumented));
            case ARRAY -> collectUndocumented(schema.getElementType(), seen, undocumented);
            case MAP -> collectUndocumented(schema.getValueType(), seen, undocumented);
            default -> { }
        }
    }

    private static boolean isBlank(String doc) {
        return doc == null || doc.isBlank();
    }

    private static Schema schemaOf(Class<?> type) throws ReflectiveOperationException {
        return (Schema) type.getField("SCHEMA$").get(null);
    }

    private static List<Path> recordedVersions(String name) throws IOException {
        Path dir = HISTORY.resolve(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("\\d+\\.avsc"))
                    .sorted((a, b) -> Integer.compare(version(a), version(b)))
                    .toList();
        }
    }

    private static int version(Path file) {
        return Integer.parseInt(file.getFileName().toString().replace(".avsc", ""));
    }

    private static void record(Schema current, List<Path> versions) throws IOException {
        if (!versions.isEmpty()
                && new Schema.Parser().parse(versions.get(versions.size() - 1).toFile()).equals(current)) {
            return;
        }
        Path dir = Files.createDirectories(HISTORY.resolve(current.getName()));
        int next = versions.isEmpty() ? 1 : version(versions.get(versions.size() - 1)) + 1;
        Files.writeString(dir.resolve(next + ".avsc"), current.toString(true) + "\n");
    }
}
