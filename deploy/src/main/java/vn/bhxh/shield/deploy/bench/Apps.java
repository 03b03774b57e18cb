package vn.bhxh.shield.deploy.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import vn.bhxh.shield.deploy.JavaProcess;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.ingest.IngestSettings;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.runtime.FreePorts;

/**
 * Starts the processes under test through their production entry points ({@code main}, configured by the
 * environment only), so the benchmark measures what is deployed and never depends on their internals.
 */
final class Apps {

    /** A running process and the port of its HTTP API (0 when it has none). */
    record Running(JavaProcess process, int port, String applicationId, Path stateDir) {
    }

    static final int PROCESSOR_SESSION_TIMEOUT_MS = 10_000;

    private final BenchCluster cluster;
    private final BenchSettings settings;

    Apps(BenchCluster cluster, BenchSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    Running processor(String applicationId) {
        int port = FreePorts.pick();
        Path stateDir = cluster.workDir().resolve("state").resolve(applicationId);
        Map<String, String> env = cluster.serviceEnvironment();
        env.put("PROCESSOR_HTTP_PORT", Integer.toString(port));
        env.put("PROCESSOR_APPLICATION_ID", applicationId);
        env.put("PROCESSOR_STATE_DIR", stateDir.toString());
        env.put("PROCESSOR_COMMIT_INTERVAL_MS", Integer.toString(settings.commitIntervalMs()));
        // Static membership, as deployed: a restart takes the killed instance's place in its group at once.
        env.put("PROCESSOR_INSTANCE_ID", applicationId);
        // Only an instance that never comes back waits this long (none does here).
        env.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", Integer.toString(PROCESSOR_SESSION_TIMEOUT_MS));
        JavaProcess process = cluster.start(applicationId, ProcessorService.class.getName(), List.of(),
                settings.serviceJvmOptions(), env);
        return new Running(process, port, applicationId, stateDir);
    }

    Running passThrough(String applicationId) {
        Path stateDir = cluster.workDir().resolve("state").resolve(applicationId);
        Map<String, String> env = cluster.serviceEnvironment();
        env.put(PassThroughApp.APPLICATION_ID, applicationId);
        env.put(PassThroughApp.STATE_DIR, stateDir.toString());
        env.put(PassThroughApp.COMMIT_INTERVAL_MS, Integer.toString(settings.commitIntervalMs()));
        JavaProcess process = cluster.start(applicationId, PassThroughApp.class.getName(), List.of(),
                settings.serviceJvmOptions(), env);
        return new Running(process, 0, applicationId, stateDir);
    }

    Running ingest(String name) throws InterruptedException {
        int port = FreePorts.pick();
        Map<String, String> env = cluster.serviceEnvironment();
        env.put(IngestService.PORT, Integer.toString(port));
        env.put(IngestSettings.DEV_MODE, "true");
        env.put(IngestSettings.TRANSACTIONAL_ID, name);
        // The per-client rate limit protects production from one runaway client; here that client is the load.
        env.put(IngestSettings.RATE_PER_SECOND, Integer.toString(Integer.MAX_VALUE));
        JavaProcess process = cluster.start(name, IngestService.class.getName(), List.of(),
                settings.serviceJvmOptions(), env);
        cluster.awaitHealthy(process, port);
        return new Running(process, port, name, null);
    }

    Running trivialEndpoint(String name) throws InterruptedException {
        int port = FreePorts.pick();
        Map<String, String> env = cluster.serviceEnvironment();
        env.put(TrivialEndpoint.PORT, Integer.toString(port));
        JavaProcess process = cluster.start(name, TrivialEndpoint.class.getName(), List.of(),
                settings.serviceJvmOptions(), env);
        cluster.awaitHealthy(process, port);
        return new Running(process, port, name, null);
    }
}
