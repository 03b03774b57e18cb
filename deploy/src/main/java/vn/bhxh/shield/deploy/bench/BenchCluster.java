package vn.bhxh.shield.deploy.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import vn.bhxh.shield.deploy.JavaProcess;
import vn.bhxh.shield.deploy.KafkaBroker;
import vn.bhxh.shield.registry.EmbeddedSchemaRegistry;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The one broker every figure of a run is measured on, started like the local stack's (its own JVM, KRaft, with
 * the embedded registry in another), and every other process of the run: services, pass-through app, Kafka's
 * perf tools. Closing it stops them all, newest first.
 */
final class BenchCluster implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    private final Path workDir;
    private final int kafkaPort = FreePorts.pick();
    private final int registryPort = FreePorts.pick();
    private final List<JavaProcess> processes = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Admin admin;
    private final Topics topics;

    BenchCluster(Path workDir) throws InterruptedException {
        this.workDir = workDir;
        processes.add(KafkaBroker.start(workDir.resolve("kafka"), kafkaPort, FreePorts.pick(), logs()));
        awaitListening(processes.get(0));
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        try {
            admin.describeCluster().nodes().get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the benchmark's broker did not start:\n" + processes.get(0).tail(), e);
        }
        JavaProcess registry = start("schema-registry", EmbeddedSchemaRegistry.class.getName(), List.of(),
                "-Xmx128m -XX:+UseSerialGC", Map.of("SCHEMA_REGISTRY_PORT", Integer.toString(registryPort),
                        KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers()));
        awaitHealthy(registry, registryPort);
        try {
            TopicProvisioner.ensure(admin, Topics.specs());
        } catch (Exception e) {
            throw new IllegalStateException("could not create the topics", e);
        }
        this.topics = new Topics(new SchemaRegistryClient(registryUrl()));
    }

    /** An admin client on a closed port logs a warning every few hundred milliseconds: wait for the listener. */
    private void awaitListening(JavaProcess broker) throws InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("the benchmark's broker exited:\n" + broker.tail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("localhost", kafkaPort), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the benchmark's broker did not listen within " + READY_WITHIN);
    }

    String bootstrapServers() {
        return "localhost:" + kafkaPort;
    }

    String registryUrl() {
        return "http://localhost:" + registryPort;
    }

    Admin admin() {
        return admin;
    }

    Topics topics() {
        return topics;
    }

    Path workDir() {
        return workDir;
    }

    Path logs() {
        return workDir.resolve("logs");
    }

    /** Kafka and registry settings of a service, as the local stack gives them. */
    Map<String, String> serviceEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put(KafkaSettings.BOOTSTRAP_SERVERS, bootstrapServers());
        env.put(KafkaSettings.SCHEMA_REGISTRY_URL, registryUrl());
        // A benchmark stopped half-way leaves no service behind.
        env.put(ServiceLifecycle.STOP_WITH_PARENT, "true");
        return env;
    }

    void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        TopicProvisioner.awaitWritable(admin, List.of(name));
    }

    /** Starts a process; a restart of one (same name) logs and records to {@code name-2}, {@code name-3}... */
    JavaProcess start(String name, String mainClass, List<String> args, String jvmOptions, Map<String, String> env) {
        String files = name;
        for (int restart = 2; Files.exists(logs().resolve(files + ".log")); restart++) {
            files = name + "-" + restart;
        }
        List<String> options = new ArrayList<>(List.of(jvmOptions.split("\\s+")));
        if (Boolean.getBoolean("bench.profile")) {
            // -Dbench.profile=true: a flight recording of every process, to see where a figure's time goes.
            options.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + logs().resolve(files + ".jfr"));
        }
        JavaProcess process = JavaProcess.start(name, mainClass, args, options, env, logs().resolve(files + ".log"));
        processes.add(process);
        return process;
    }

    /**
     * The run's live processes by role (broker, schema-registry, processor, ingest, trivial...) and the benchmark's
     * own JVM, which generates the load and reads the outputs: what {@link CpuUse} counts.
     */
    Map<String, Long> roles() {
        Map<String, Long> roles = new LinkedHashMap<>();
        synchronized (processes) {
            processes.stream().filter(JavaProcess::isAlive).forEach(process -> roles.put(
                    process.name().equals("kafka") ? "broker"
                            : process.name().replaceFirst("^bench-", "").replaceFirst("-\\d+$", ""),
                    process.pid()));
        }
        roles.put("benchmark", ProcessHandle.current().pid());
        return roles;
    }

    /** Waits for {@code /health} to answer 200; returns how long that took. */
    Duration awaitHealthy(JavaProcess process, int port) throws InterruptedException {
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(process.name() + " exited:\n" + process.tail());
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - start > Duration.ofMinutes(30).toNanos()) {
                throw new IllegalStateException(process.name() + " not healthy in 30 min:\n" + process.tail());
            }
            Thread.sleep(50);
        }
    }

    String get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Stops one process with SIGTERM (and forgets it). */
    void stop(JavaProcess process) throws InterruptedException {
        process.close();
        processes.remove(process);
    }


    @Override
    public void close() throws InterruptedException {
        admin.close();
        List<JavaProcess> reversed = new ArrayList<>(processes);
        Collections.reverse(reversed);
        for (JavaProcess process : reversed) {
            process.close();
        }
    }
}
