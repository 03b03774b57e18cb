package vn.bhxh.shield.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import vn.bhxh.shield.registry.EmbeddedSchemaRegistry;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.SingleNodeKafka;

/**
 * A real single-node KRaft Kafka (broker and controller) in its own JVM, for tests that stop, restart or kill the
 * broker under a running service, which the in-JVM {@link KafkaTestCluster} cannot do: its broker cannot be
 * restarted on the same port. The ports are chosen once, at {@link #create()}, and the log directory is a temp
 * directory, so a restart keeps both: clients reconnect to the same address and find their data.
 *
 * <p>Kafka is run as the local stack runs it ({@link SingleNodeKafka}); only the lifecycle is a test's own: temp
 * data, stop and kill on demand.
 *
 * <p>The broker runs on this JVM's classpath ({@code kafka_2.13} comes with {@code kafka-test-common-runtime});
 * its output goes to {@code broker.log} in the temp directory, whose tail is shown when it fails to start.
 * {@link #startRegistry()} runs an {@link EmbeddedSchemaRegistry} in this JVM against it; {@link #stopRegistry()}
 * stops it.
 */
public final class KafkaBrokerProcess implements KafkaEndpoints, AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** A clean shutdown writes its checkpoints; a busy 2-core machine can make that slow. */
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(1);

    private final Path home;
    private final Path properties;
    private final Path log;
    private final int port;
    private Process process;
    private EmbeddedSchemaRegistry registry;
    private int registryPort;

    private KafkaBrokerProcess(Path home, int port, int controllerPort, Map<String, String> serverProperties) {
        this.home = home;
        this.properties = home.resolve("server.properties");
        this.log = home.resolve("broker.log");
        this.port = port;
        SingleNodeKafka.writeServerProperties(properties, port, controllerPort, home.resolve("logs"));
        StringBuilder extra = new StringBuilder();
        serverProperties.forEach((key, value) -> extra.append(key).append('=').append(value).append('\n'));
        try {
            // In a properties file the last line of a key wins: these add to or replace the single-node settings.
            Files.writeString(properties, extra, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run(SingleNodeKafka.STORAGE_TOOL_MAIN, SingleNodeKafka.formatArguments(properties), List.of("-Xmx256m"),
                START_TIMEOUT);
    }

    /** Picks two free ports and formats a fresh log directory; nothing runs until {@link #start()}. */
    public static KafkaBrokerProcess create() {
        try {
            return new KafkaBrokerProcess(Files.createTempDirectory("kafka-broker-process"), FreePorts.pick(), FreePorts.pick(),
                    Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A broker with one more listener, {@code name} on {@code listenerPort} with {@code protocol} (e.g. SASL_SSL),
     * besides its loopback PLAINTEXT one ({@link #bootstrapServers()}, also the inter-broker listener); and
     * {@code serverProperties} for its security (TLS, SASL, authorizer, super users).
     */
    public static KafkaBrokerProcess createWithListener(String name, String protocol, int listenerPort,
                                                        Map<String, String> serverProperties) {
        try {
            int port = FreePorts.pick();
            int controllerPort = FreePorts.pick();
            Map<String, String> all = new LinkedHashMap<>(Map.of(
                    "listeners", "PLAINTEXT://localhost:" + port + "," + name + "://localhost:" + listenerPort
                            + ",CONTROLLER://localhost:" + controllerPort,
                    "advertised.listeners", "PLAINTEXT://localhost:" + port + "," + name + "://localhost:" + listenerPort,
                    "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT," + name + ":" + protocol));
            all.putAll(serverProperties);
            return new KafkaBrokerProcess(Files.createTempDirectory("kafka-broker-process"), port, controllerPort, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the broker and returns once it answers a metadata request. */
    public synchronized KafkaBrokerProcess start() {
        if (isRunning()) {
            throw new IllegalStateException("the broker is already running");
        }
        process = launch(SingleNodeKafka.BROKER_MAIN, List.of(properties.toString()),
                List.of("-Xmx512m", "-XX:+UseSerialGC"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!answers(admin)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    // The caller gets no handle to close when start() throws: do not leave a broker behind.
                    process.destroyForcibly();
                    throw new IllegalStateException("the broker did not start; its output:\n" + tail());
                }
            }
        }
        return this;
    }

    /** SIGTERM: a clean shutdown, as an orchestrator does it; returns once the process has exited. */
    public synchronized void stop() {
        if (isRunning()) {
            process.destroy();
            awaitExit(STOP_TIMEOUT);
        }
    }

    /** SIGKILL: a crash, nothing flushed or checkpointed; returns once the process is gone. */
    public synchronized void kill() {
        if (isRunning()) {
            process.destroyForcibly();
            awaitExit(STOP_TIMEOUT);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /**
     * Starts a schema registry in this JVM, on a free port the first time and on the same port after
     * {@link #stopRegistry()}, so clients find it again; it follows the broker across restarts like any client.
     */
    public synchronized EmbeddedSchemaRegistry startRegistry() {
        if (registry != null) {
            throw new IllegalStateException("the registry is already running");
        }
        registry = new EmbeddedSchemaRegistry(bootstrapServers(), registryPort).start();
        registryPort = registry.port();
        return registry;
    }

    /** Stops the registry (its schemas stay in the broker); {@link #startRegistry()} brings it back on its port. */
    public synchronized void stopRegistry() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    @Override
    public synchronized String registryUrl() {
        if (registryPort == 0) {
            throw new IllegalStateException("no registry: call startRegistry() first");
        }
        return "http://localhost:" + registryPort;
    }

    /** Stops the registry and the broker, and deletes the broker's data. */
    @Override
    public synchronized void close() {
        stopRegistry();
        stop();
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean answers(Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000)).nodes()
                    .get(3, TimeUnit.SECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the broker starts", e);
        } catch (Exception notYet) {
            return false;
        }
    }

    private void awaitExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void run(String mainClass, List<String> args, List<String> jvmOptions, Duration within) {
        Process tool = launch(mainClass, args, jvmOptions);
        try {
            if (!tool.waitFor(within.toMillis(), TimeUnit.MILLISECONDS) || tool.exitValue() != 0) {
                tool.destroyForcibly();
                throw new IllegalStateException(mainClass + " failed; its output:\n" + tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tool.destroyForcibly();
            throw new IllegalStateException("interrupted while running " + mainClass, e);
        }
    }

    private Process launch(String mainClass, List<String> args, List<String> jvmOptions) {
        try {
            return new ProcessBuilder(SingleNodeKafka.javaCommand(jvmOptions, mainClass, args)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + mainClass, e);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

}
