package vn.bhxh.shield.deploy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;

/**
 * Closed-loop HTTP load from Debian's {@code wrk} (C, epoll), so that the load generator is not what limits ingest:
 * {@code connections} keep-alive connections on {@code threads} threads, each sending its next request when the
 * last is answered. The requests come from {@code reports.lua} (shipped in this module's resources, copied to the
 * work directory): its own Idempotency-Key each, a body drawn from a file of pre-generated reports of the
 * realistic mix. wrk's own CPU is read from {@code /proc} beside the processes under test.
 */
final class Wrk {

    static final String EXECUTABLE = "/usr/bin/wrk";
    static final int THREADS = 2;
    /** Pre-generated bodies the script draws from: enough that the mix holds, small enough to load at once. */
    static final int BODIES = 20_000;
    private static final String SCRIPT = "reports.lua";
    private static final String RESULT_MARKER = "WRK_RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run: answers by status, latencies (ms) as wrk measured them, and the cores of every process. */
    record Result(long requests, double seconds, long accepted, long refused, long otherStatus, long errors,
                  double p50ms, double p99ms, Map<String, Double> cores) {
        double perSecond() {
            return requests / seconds;
        }
    }

    private final Path script;
    private final Path bodies;
    private final Path logs;

    private Wrk(Path script, Path bodies, Path logs) {
        this.script = script;
        this.bodies = bodies;
        this.logs = logs;
    }

    /** Installs wrk when missing, writes the script and the bodies (from {@code generator}) to {@code workDir}. */
    static Wrk prepare(Path workDir, ReportGenerator generator) throws IOException, InterruptedException {
        ensureInstalled();
        Files.createDirectories(workDir);
        Path script = workDir.resolve(SCRIPT);
        try (InputStream in = Wrk.class.getResourceAsStream(SCRIPT)) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path bodies = workDir.resolve("wrk-bodies.tsv");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < BODIES; i++) {
            GeneratedReport report = generator.next(Instant.now());
            // Jackson escapes tabs and line breaks inside strings: one request a line, split at the first tab.
            lines.append(IngestThroughput.authorization(report))
                    .append('\t').append(report.toJson("wrk-" + i)).append('\n');
        }
        Files.writeString(bodies, lines, StandardCharsets.UTF_8);
        Files.createDirectories(workDir.resolve("logs"));
        return new Wrk(script, bodies, workDir.resolve("logs"));
    }

    /**
     * Debian's package when wrk is missing and we are root (CI, containers); anyone else is told how to get it,
     * since a JVM load generator would measure itself (issue 14).
     */
    static void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of(EXECUTABLE))) {
            return;
        }
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            throw new IllegalStateException("the benchmark needs wrk (" + EXECUTABLE + "), a C HTTP load generator: "
                    + "install Debian's package with `sudo apt-get install -y wrk` and run it again");
        }
        Benchmark.say("wrk is missing: installing Debian's package");
        ProcessBuilder install = new ProcessBuilder("sh", "-c", "apt-get update -q && apt-get install -y -q wrk")
                .inheritIO();
        install.environment().put("DEBIAN_FRONTEND", "noninteractive");
        if (install.start().waitFor() != 0 || !Files.isExecutable(Path.of(EXECUTABLE))) {
            throw new IllegalStateException("could not install wrk with apt-get; install it (`apt-get install -y wrk`)"
                    + " and run the benchmark again");
        }
    }

    /** wrk's version line ("wrk debian/4.1.0-3+b2 [epoll]"), for the report. */
    static String version() {
        try {
            Process wrk = new ProcessBuilder(EXECUTABLE, "-v").redirectErrorStream(true).start();
            String first = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("wrk");
            wrk.waitFor();
            return first.replaceFirst("\\s*Copyright.*", "");
        } catch (IOException e) {
            return "wrk (version unknown: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "wrk";
        }
    }

    /**
     * Runs wrk for {@code duration} against {@code POST /api/v1/reports} on {@code port}; {@code roles} are the
     * other processes whose cores are read over the same time (wrk's are added as {@code wrk}).
     */
    Result run(String name, int port, int connections, Duration duration, long seed, Map<String, Long> roles,
               ProgressBar progress) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(EXECUTABLE, "-t" + THREADS, "-c" + connections,
                "-d" + duration.toSeconds() + "s", "--timeout", "30s", "-s", script.toString(),
                "http://localhost:" + port + "/api/v1/reports", "--", Long.toString(seed), bodies.toString(), name));
        Path log = logs.resolve("wrk-" + name + ".log");
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Map<String, Long> pids = new LinkedHashMap<>(roles);
        pids.put("wrk", wrk.pid());
        CpuUse cpu = CpuUse.start(pids);
        long started = System.nanoTime();
        // The JDK reaps wrk the moment it exits, and its /proc entry goes with it: keep the last reading taken
        // while it was still running (at most a quarter of a second before its end).
        Map<String, Double> cores = Map.of();
        while (!wrk.waitFor(250, TimeUnit.MILLISECONDS)) {
            Map<String, Double> now = cpu.cores();
            if (now.containsKey("wrk")) {
                cores = now;
            }
            progress.stepTo(Math.min(progress.getMax(), (System.nanoTime() - started) / 1_000_000_000L));
        }
        String output = Files.readString(log);
        if (wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed (exit " + wrk.exitValue() + "):\n" + output);
        }
        return parse(output, cores);
    }

    /** The figures of the script's {@code WRK_RESULT} line in wrk's output. */
    static Result parse(String output, Map<String, Double> cores) throws IOException {
        JsonNode result = JSON.readTree(output.lines().filter(line -> line.startsWith(RESULT_MARKER))
                .map(line -> line.substring(RESULT_MARKER.length())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result line in wrk's output:\n" + output)));
        long errors = result.get("connectErrors").asLong() + result.get("readErrors").asLong()
                + result.get("writeErrors").asLong() + result.get("timeouts").asLong();
        return new Result(result.get("requests").asLong(), result.get("durationUs").asLong() / 1e6,
                result.get("status202").asLong(), result.get("status400").asLong(),
                result.get("statusOther").asLong(), errors, result.get("p50Us").asLong() / 1000.0,
                result.get("p99Us").asLong() / 1000.0, cores);
    }
}
