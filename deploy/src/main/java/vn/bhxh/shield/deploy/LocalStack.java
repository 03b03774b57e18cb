package vn.bhxh.shield.deploy;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.ingest.IngestSettings;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.registry.EmbeddedSchemaRegistry;
import vn.bhxh.shield.runtime.PasswordHashes;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.sink.AlertSinkService;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * The whole product on one machine: a real KRaft broker, the embedded schema registry, the topics, then the
 * three services, each its own process. Prints where everything is and stops it all, in reverse order, on
 * Ctrl-C or SIGTERM.
 */
public final class LocalStack implements AutoCloseable {

    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    // Development accounts of the dashboard and the partner feed, documented in the README's
    // pages table and docs/configuration.md; never for production.
    // The sink is given only the passwords' hashes, made at launch, as in production.
    private static final String DEV_SINK_USERS =
            "thanhhoa:thanhhoa-dev:thanh-hoa,hanoi:hanoi-dev:ha-noi,quocgia:quocgia-dev:national";
    private static final String DEV_PARTNER_KEYS = "viettel:viettel-dev-key,vnpt:vnpt-dev-key";
    private static final String DEV_SINK_SESSION_KEY = "dev-sink-session-key";
    // base64 of "dev-sink-appeal-key-for-laptops!": seals appellants' contacts on the laptop's appeals topic.
    private static final String DEV_SINK_APPEAL_KEY = "ZGV2LXNpbmstYXBwZWFsLWtleS1mb3ItbGFwdG9wcyE=";

    private final LocalStackConfig config;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JavaProcess> started = Collections.synchronizedList(new ArrayList<>());

    LocalStack(LocalStackConfig config) {
        this.config = config;
    }

    public static void main(String[] args) throws Exception {
        LocalStack stack = new LocalStack(LocalStackConfig.from(Settings.fromEnvironment()));
        ServiceLifecycle.runUntilShutdown("local-stack", stack, stack::start);
    }

    void start() throws Exception {
        long begin = System.nanoTime();
        Files.createDirectories(config.logs());
        say("data directory " + config.dataDir() + " (delete it to start afresh), logs in " + config.logs());

        if (config.external().isEmpty()) {
            JavaProcess broker = launch(KafkaBroker.start(config));
            awaitBroker(broker);
            say("Kafka broker (KRaft) ready on " + config.bootstrapServers());
            JavaProcess registry = launch(JavaProcess.start("schema-registry", EmbeddedSchemaRegistry.class.getName(),
                    List.of(), List.of("-Xmx128m", "-XX:+UseSerialGC"), Map.of(
                            "SCHEMA_REGISTRY_PORT", Integer.toString(config.registryPort()),
                            "KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                            ServiceLifecycle.STOP_WITH_PARENT, "true"),
                    config.logs().resolve("schema-registry.log")));
            awaitHealthy(registry, config.registryUrl() + "/health");
            say("schema registry ready on " + config.registryUrl());
        } else {
            say("external mode: using Kafka " + config.bootstrapServers() + " and registry " + config.registryUrl());
        }

        try (Admin admin = Admin.create(config.adminClient())) {
            List<String> created = TopicProvisioner.ensure(admin, Topics.specs());
            say(Topics.specs().size() + " topics in place (" + created.size() + " created now)");
        }

        Map<String, String> serviceEnv = Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers()),
                Map.entry("SCHEMA_REGISTRY_URL", config.registryUrl()),
                Map.entry("INGEST_HTTP_PORT", Integer.toString(config.ingestPort())),
                Map.entry("PROCESSOR_HTTP_PORT", Integer.toString(config.processorPort())),
                Map.entry("SINK_HTTP_PORT", Integer.toString(config.sinkPort())),
                Map.entry("PROCESSOR_STATE_DIR", config.dataDir().resolve("processor-state").toString()),
                Map.entry("PROCESSOR_URL", "http://localhost:" + config.processorPort()),
                // One instance of each on this machine, always with the same state: stable ids (static group
                // membership) let a restarted service take its partitions back at once.
                Map.entry("PROCESSOR_INSTANCE_ID", "local-processor"),
                Map.entry("SINK_INSTANCE_ID", "local-sink"),
                // The documented development secrets (docs/configuration.md); a production deployment sets real ones.
                Map.entry("INGEST_DEV_MODE", "true"),
                Map.entry("SINK_USERS", PasswordHashes.hashPasswordsIn(DEV_SINK_USERS, PasswordHashes.COST)),
                Map.entry("SINK_PARTNER_KEYS", DEV_PARTNER_KEYS),
                Map.entry("SINK_SESSION_KEY", DEV_SINK_SESSION_KEY),
                Map.entry("SINK_APPEAL_KEY", DEV_SINK_APPEAL_KEY),
                Map.entry(ServiceLifecycle.STOP_WITH_PARENT, "true"));
        Map<JavaProcess, String> services = new LinkedHashMap<>();
        services.put(launchService(IngestService.NAME, IngestService.class.getName(), serviceEnv),
                "http://localhost:" + config.ingestPort());
        services.put(launchService(ProcessorService.NAME, ProcessorService.class.getName(), serviceEnv),
                "http://localhost:" + config.processorPort());
        services.put(launchService(AlertSinkService.NAME, AlertSinkService.class.getName(), serviceEnv),
                "http://localhost:" + config.sinkPort());
        for (var service : services.entrySet()) {
            awaitHealthy(service.getKey(), service.getValue() + "/health/ready");
        }

        long seconds = Duration.ofNanos(System.nanoTime() - begin).toSeconds();
        say(banner(config, seconds, residentMiB(), started.size()));
    }

    /**
     * What a newcomer needs once the stack is up: the pages to open, with the development logins the services were
     * actually given (read from the same values, so the banner cannot drift from them), then where the rest is.
     */
    static String banner(LocalStackConfig config, long seconds, long residentMiB, int processes) {
        String ingest = "http://localhost:" + config.ingestPort();
        String sink = "http://localhost:" + config.sinkPort();
        String processor = "http://localhost:" + config.processorPort();
        Map<String, String> ingestTokens = new LinkedHashMap<>();
        for (String entry : IngestSettings.DEVELOPMENT.get(IngestSettings.TOKENS).split(",")) {
            String[] tokenRole = entry.split(":");
            ingestTokens.put(tokenRole[1], tokenRole[0]);
        }
        StringBuilder banner = new StringBuilder("\nBHXH Shield is up in " + seconds + " s. Open:\n");
        String row = "  %-34s %s%n";
        banner.append(String.format(row, "report form (hotline operators)", ingest + "/"));
        banner.append(String.format(row, "", "sign in with the operator token " + ingestTokens.get("operator")));
        banner.append(String.format(row, "province board (BHXH offices)", sink + "/"));
        for (String user : DEV_SINK_USERS.split(",")) {
            String[] nameSecretScope = user.split(":");
            banner.append(String.format(row, "", "user " + nameSecretScope[0] + ", password " + nameSecretScope[1]
                    + " (" + nameSecretScope[2] + ")"));
        }
        banner.append(String.format(row, "owners' appeals (public)", sink + "/khieu-nai"));
        banner.append(String.format(row, "citizens' check (public)", sink + "/kiem-tra"));
        banner.append(String.format(row, "API descriptions (Swagger UI)",
                ingest + "/docs, " + sink + "/docs, " + processor + "/docs"));
        banner.append(String.format(row, "police units (CSV upload)", ingest + "/"));
        banner.append(String.format(row, "", "sign in with the police token " + ingestTokens.get("police")
                + "; the API: " + ingest + "/api/v1/police/referrals, Bearer " + ingestTokens.get("police")));
        // Facebook signs its calls (X-Hub-Signature-256) with the app secret; the fanpage token is not used there.
        banner.append(String.format(row, "fanpage webhook (API)", ingest + "/api/v1/fanpage/webhook, signed with "
                + IngestSettings.DEVELOPMENT.get(IngestSettings.FANPAGE_APP_SECRET)));
        List<String> partnerKeys = new ArrayList<>();
        for (String partner : DEV_PARTNER_KEYS.split(",")) {
            partnerKeys.add(partner.split(":")[1]);
        }
        banner.append(String.format(row, "partner feeds (API)", sink + "/api/v1/blocklist and "
                + sink + "/api/v1/do-not-originate, Bearer " + String.join(" or ", partnerKeys)));
        banner.append(String.format(row, "indicator lookup (API)", processor + "/api/v1/indicators/0904038115"));
        banner.append(String.format(row, "Kafka bootstrap", config.bootstrapServers()));
        banner.append(String.format(row, "schema registry", config.registryUrl()));
        banner.append("  every service: /health/live, /health/ready and /metrics; logs in ").append(config.logs())
                .append('\n');
        banner.append(String.format("  resident memory: %d MiB in %d processes%n", residentMiB, processes));
        banner.append("These development logins are for this machine only (docs/configuration.md). "
                + "Ctrl-C stops everything.\n");
        return banner.toString();
    }

    private JavaProcess launchService(String name, String mainClass, Map<String, String> env) {
        return launch(JavaProcess.start(name, mainClass, List.of(),
                List.of(config.serviceJvmOptions().split("\\s+")), env, config.logs().resolve(name + ".log")));
    }

    private JavaProcess launch(JavaProcess process) {
        started.add(process);
        say("started " + process.name() + " (pid " + process.pid() + ", log " + process.log() + ")");
        return process;
    }

    private void awaitBroker(JavaProcess broker) throws InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        // Wait for the listener before asking for metadata: an admin client on a closed port logs a warning
        // every few hundred milliseconds.
        while (!accepts(config.kafkaPort())) {
            checkAlive(broker);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka did not listen within " + READY_WITHIN + ":\n" + broker.tail());
            }
            Thread.sleep(200);
        }
        try (Admin admin = Admin.create(config.adminClient())) {
            admin.describeCluster().nodes().get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + READY_WITHIN + ":\n" + broker.tail(), e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private void awaitHealthy(JavaProcess process, String healthUrl) throws InterruptedException {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl)).timeout(Duration.ofSeconds(5)).build();
        while (true) {
            checkAlive(process);
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    say(process.name() + " healthy at " + healthUrl);
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(process.name() + " not healthy within " + READY_WITHIN + ":\n"
                        + process.tail());
            }
            Thread.sleep(250);
        }
    }

    private static void checkAlive(JavaProcess process) {
        if (!process.isAlive()) {
            throw new IllegalStateException(process.name() + " exited; the end of its log:\n" + process.tail());
        }
    }

    /** Sum of the children's resident set sizes, from /proc (Linux); 0 elsewhere. */
    private long residentMiB() {
        long kib = 0;
        for (JavaProcess process : started) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        kib += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }
        return kib / 1024;
    }

    /** Stops the services first, then the registry, then the broker, so nothing loses its broker mid-write. */
    @Override
    public void close() throws InterruptedException {
        List<JavaProcess> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        for (JavaProcess process : reversed) {
            say("stopping " + process.name());
            process.close();
        }
        say("stopped");
    }

    private static void say(String line) {
        System.out.println("[local-stack] " + line);
    }
}
