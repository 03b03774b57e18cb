package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A service's image holds its jar and {@code target/lib/}, which {@code package} fills with the service's runtime
 * dependencies; the same build lists them in {@code target/lib.list} (both from the parent pom's
 * maven-dependency-plugin, with the same scope). The broker and the schema registry server are development tooling
 * (shared/dev-stack, used by this module and the tests): none of it may ride along into a service, where it would
 * be code to patch and attack surface that never runs.
 */
class PackagedDependenciesTest {

    /** {@code   group:artifact:type:version:scope -- module ...}, as maven-dependency-plugin's list goal writes it. */
    private static final Pattern LISTED = Pattern.compile("^\\s+([\\w.-]+:[\\w.-]+):");
    /** A broker's code (prefixes): the server, its controller (metadata, raft), storage, coordinators, test kits. */
    private static final List<String> BROKER = List.of("org.apache.kafka:kafka_2.13", "org.apache.kafka:kafka-server",
            "org.apache.kafka:kafka-metadata", "org.apache.kafka:kafka-raft", "org.apache.kafka:kafka-storage",
            "org.apache.kafka:kafka-group-coordinator", "org.apache.kafka:kafka-transaction-coordinator",
            "org.apache.kafka:kafka-share-coordinator", "org.apache.kafka:kafka-coordinator-common",
            "org.apache.kafka:kafka-test-common", "org.apache.kafka:kafka-tools");
    private static final List<String> DEVELOPMENT_TOOLING = List.of("vn.bhxh.shield:shield-dev-stack",
            "vn.bhxh.shield:shield-test-kit");

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void holdNoBrokerAndNoSchemaRegistryServer(DeployedService service) throws IOException {
        List<String> packaged = packagedDependencies(service);

        // What every service runs on: proves the list was read, so the absences below mean something.
        assertThat(packaged).contains("vn.bhxh.shield:schemas", "vn.bhxh.shield:shield-domain",
                "vn.bhxh.shield:shield-service-runtime", "org.apache.kafka:kafka-clients");
        assertThat(packaged).as("%s's packaged dependencies", service.name)
                .noneMatch(artifact -> BROKER.stream().anyMatch(artifact::startsWith))
                .doesNotContainAnyElementsOf(DEVELOPMENT_TOOLING);
    }

    /**
     * README's run command starts every service on the local stack's classpath, deploy's runtime one: a dependency
     * a service needs at run time that deploy declares test-scoped would pass every test and fail the run command
     * (seen: jackson-dataformat-yaml, the OpenAPI documents').
     */
    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void areAllOnTheLocalStacksClasspath(DeployedService service) throws IOException {
        List<String> stack = listed(Path.of("target", "lib.list"), "deploy");
        assertThat(stack).as("deploy's runtime classpath, which the local stack runs %s on", service.name)
                .containsAll(packagedDependencies(service));
    }

    /** groupId:artifactId of each runtime dependency the service's build listed. */
    private static List<String> packagedDependencies(DeployedService service) throws IOException {
        return listed(service.module().resolve(Path.of("target", "lib.list")), service.name);
    }

    private static List<String> listed(Path list, String module) throws IOException {
        assertThat(list).as("%s: built by every build of %s that reaches process-classes (mvn verify builds the"
                + " services before deploy)", list, module).exists();
        return Files.readAllLines(list).stream()
                .map(LISTED::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1))
                .toList();
    }
}
