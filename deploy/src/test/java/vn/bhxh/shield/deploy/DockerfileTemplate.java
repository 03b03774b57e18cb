package vn.bhxh.shield.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one template every service's Dockerfile is generated from ({@code deploy/Dockerfile.template}), and what each
 * service fills in. Not one Dockerfile with {@code ARG}s: an exec-form ENTRYPOINT (the only form in which the JVM is
 * PID 1 and gets SIGTERM) expands no variables, so the main class must be written into each file.
 */
final class DockerfileTemplate {

    static final Path TEMPLATE = Path.of("Dockerfile.template");

    private DockerfileTemplate() {
    }

    /** The service's Dockerfile as the template makes it. */
    static String render(DeployedService service) throws IOException {
        String dockerfile = Files.readString(TEMPLATE);
        for (Map.Entry<String, String> value : values(service).entrySet()) {
            dockerfile = dockerfile.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        if (dockerfile.contains("{{")) {
            throw new AssertionError(TEMPLATE + " has a placeholder " + service + " does not fill: " + dockerfile);
        }
        return dockerfile;
    }

    /** Where the service's Dockerfile lives: the root of its build context. */
    static Path dockerfile(DeployedService service) {
        return service.module().resolve("Dockerfile");
    }

    private static Map<String, String> values(DeployedService service) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("SERVICE", service.name);
        values.put("MAIN", service.main.getName());
        values.put("PORT_SETTING", service.portSetting);
        String heapOfMost = "The heap takes 75 % of\n# the container's memory limit, leaving the rest to metaspace, threads and direct buffers.";
        switch (service) {
            case REPORTER_INGEST -> {
                values.put("PORT", "8080");
                values.put("HEAP_PERCENT", "75");
                values.put("HEAP_REASON", heapOfMost);
                values.put("SETUP", "");
            }
            case STREAM_PROCESSOR -> {
                values.put("PORT", "8083");
                values.put("HEAP_PERCENT", "50");
                values.put("HEAP_REASON", "The heap takes half the\n# container's memory limit: "
                        + "RocksDB (PROCESSOR_ROCKSDB_MEMORY_MB), metaspace and threads live outside it.");
                // The state directory the manifests mount a volume on, owned by the user the JVM runs as.
                values.put("SETUP", " \\\n    && mkdir -p /var/lib/bhxh/state && chown bhxh:bhxh /var/lib/bhxh/state");
            }
            case ALERT_SINK -> {
                values.put("PORT", "8082");
                values.put("HEAP_PERCENT", "75");
                values.put("HEAP_REASON", heapOfMost);
                values.put("SETUP", "");
            }
        }
        return values;
    }
}
