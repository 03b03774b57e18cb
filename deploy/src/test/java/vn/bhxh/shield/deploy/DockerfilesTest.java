package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each service's Dockerfile is generated from one template ({@link DockerfileTemplate}) and builds the image the
 * manifests run: a JRE 17 base, a non-root user, the service's own
 * {@code main}, the port the manifests expose and a health check on {@code /health}. That what it copies is what
 * {@code package} builds, and that the result starts, is proven by {@link MetricNamesIT}, which runs every image's
 * ENTRYPOINT over its COPY layout.
 */
class DockerfilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** To regenerate the Dockerfiles after changing the template, run this test with -Ddockerfiles.write=true. */
    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void isTheTemplateFilledInForTheService(DeployedService service) throws IOException {
        String generated = DockerfileTemplate.render(service);
        Path dockerfile = DockerfileTemplate.dockerfile(service);
        if (Boolean.getBoolean("dockerfiles.write")) {
            Files.writeString(dockerfile, generated);
        }
        assertThat(Files.readString(dockerfile))
                .as("%s differs from %s: edit the template, then run this test with -Ddockerfiles.write=true",
                        dockerfile, DockerfileTemplate.TEMPLATE)
                .isEqualTo(generated);
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void runsTheServicesMainOnAJre17AsANonRootUser(DeployedService service) throws Exception {
        Dockerfile dockerfile = Dockerfile.in(service.module());
        assertThat(dockerfile.one("FROM")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(dockerfile.one("USER").split(":")[0]).isNotIn("root", "0");

        List<String> entrypoint = dockerfile.entrypoint();
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).anyMatch(option -> option.startsWith("-XX:MaxRAMPercentage="))
                .contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo(service.main.getName());
        Method main = service.main.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();

        // Everything on the classpath is copied in: the dependencies and the service's own jar.
        String classpath = entrypoint.get(entrypoint.indexOf("-cp") + 1);
        assertThat(classpath).endsWith("/*");
        String libraries = classpath.substring(0, classpath.length() - 1);
        assertThat(dockerfile.copies()).extracting(Dockerfile.Copy::destination).allMatch(libraries::equals);
        assertThat(dockerfile.copies()).extracting(Dockerfile.Copy::source)
                .containsExactlyInAnyOrder("target/lib/", "target/" + service.name + ".jar");
    }

    @ParameterizedTest
    @EnumSource(DeployedService.class)
    void exposesThePortOfTheManifestsAndChecksHealthThere(DeployedService service) throws IOException {
        Dockerfile dockerfile = Dockerfile.in(service.module());
        JsonNode container = null;
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(
                new File("k8s/" + service.name + ".yaml")).readAll()) {
            if (doc.path("kind").asText().matches("Deployment|StatefulSet")) {
                container = doc.path("spec").path("template").path("spec").path("containers").get(0);
            }
        }
        assertThat(container).as("the workload in k8s/%s.yaml", service.name).isNotNull();
        assertThat(container.path("image").asText()).isEqualTo(service.image());
        int port = container.path("ports").get(0).path("containerPort").asInt();
        assertThat(dockerfile.exposedPorts()).containsExactly(port);

        String probe = String.join(" ", dockerfile.healthcheck());
        assertThat(probe).contains("/dev/tcp/localhost/${" + service.portSetting + ":-" + port + "}")
                .contains("GET /health ").contains(" 200 ");
    }
}
