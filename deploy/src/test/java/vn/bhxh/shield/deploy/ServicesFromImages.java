package vn.bhxh.shield.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaEndpoints;
import vn.bhxh.shield.testkit.ServiceProbe;

/**
 * The three services run the way their images run them: each Dockerfile's COPY layout assembled from what
 * {@code package} built, its ENTRYPOINT started as a process, configured only by environment variables. Ports are
 * free ones; everything else a service needs is passed in.
 */
final class ServicesFromImages implements AutoCloseable {

    // Keeps three JVMs light on a shared CI machine; the images' own flags still apply (JAVA_TOOL_OPTIONS is read
    // before the command line, and an explicit -Xmx wins over -XX:MaxRAMPercentage).
    private static final String TEST_JVM_OPTIONS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private final Map<DeployedService, JavaProcess> processes = new EnumMap<>(DeployedService.class);
    private final Map<DeployedService, Integer> ports = new EnumMap<>(DeployedService.class);

    static ServicesFromImages start(KafkaEndpoints kafka, Path workDir, Map<DeployedService, Map<String, String>> env)
            throws IOException, InterruptedException {
        ServicesFromImages services = new ServicesFromImages();
        try {
            for (DeployedService service : DeployedService.values()) {
                services.launch(service, kafka, workDir, env.getOrDefault(service, Map.of()));
            }
            for (DeployedService service : DeployedService.values()) {
                services.awaitHealthy(service);
            }
            return services;
        } catch (RuntimeException | Error | IOException e) {
            services.close();
            throw e;
        }
    }

    private void launch(DeployedService service, KafkaEndpoints kafka, Path workDir, Map<String, String> extra)
            throws IOException {
        Path root = workDir.resolve(service.name + "-image");
        Dockerfile dockerfile = Dockerfile.in(service.module());
        dockerfile.assemble(root);
        int port = FreePorts.pick();
        Map<String, String> env = new HashMap<>(extra);
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        env.put(KafkaSettings.SCHEMA_REGISTRY_URL, kafka.registryUrl());
        env.put(service.portSetting, Integer.toString(port));
        env.put("JAVA_TOOL_OPTIONS", TEST_JVM_OPTIONS);
        // Never outlive the test JVM, even if it is killed.
        env.put(ServiceLifecycle.STOP_WITH_PARENT, "true");
        ports.put(service, port);
        processes.put(service, JavaProcess.start(service.name, dockerfile.command(root), env,
                workDir.resolve(service.name + ".log")));
    }

    private void awaitHealthy(DeployedService service) {
        JavaProcess process = processes.get(service);
        try {
            Eventually.await(service.name + " answers GET /health with 200", Duration.ofSeconds(120), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(service.name + " exited");
                }
                try {
                    return ServiceProbe.get(port(service), "/health").statusCode() == 200;
                } catch (UncheckedIOException notListeningYet) {
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the end of its log:\n" + process.tail(), e);
        }
    }

    int port(DeployedService service) {
        return ports.get(service);
    }

    String metrics(DeployedService service) {
        return ServiceProbe.get(port(service), "/metrics").body();
    }

    double metric(DeployedService service, String samplePrefix) {
        return ServiceProbe.metric(port(service), samplePrefix);
    }


    @Override
    public void close() throws InterruptedException {
        for (JavaProcess process : processes.values()) {
            process.close();
        }
    }
}
