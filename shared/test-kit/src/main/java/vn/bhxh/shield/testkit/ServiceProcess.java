package vn.bhxh.shield.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.SingleNodeKafka;

/**
 * A service's production {@code main} running as its own OS process on this JVM's classpath, configured only by
 * environment variables, for tests that crash it with SIGKILL ({@link #kill()}): nothing in the service gets a
 * chance to flush, commit or close. Output is appended to one log file across restarts.
 *
 * <p>The child stops when this JVM exits ({@link ServiceLifecycle#STOP_WITH_PARENT}), so a failed test run leaves no
 * orphan holding ports or a consumer group.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration EXIT_TIMEOUT = Duration.ofMinutes(1);

    private final String mainClass;
    private final List<String> jvmOptions;
    private final Path log;
    private Process process;

    private ServiceProcess(String mainClass, List<String> jvmOptions, Path log) {
        this.mainClass = mainClass;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.log = log;
    }

    /** A service that is not running yet; {@code log} collects the output of all its runs. */
    public static ServiceProcess of(Class<?> mainClass, List<String> jvmOptions, Path log) {
        return new ServiceProcess(mainClass.getName(), jvmOptions, log);
    }

    /** Starts the service with exactly these variables added to this JVM's environment. */
    public synchronized ServiceProcess start(Map<String, String> environment) {
        if (isRunning()) {
            throw new IllegalStateException(mainClass + " is already running");
        }
        Map<String, String> env = new HashMap<>(environment);
        env.put(ServiceLifecycle.STOP_WITH_PARENT, "true");
        try {
            Files.createDirectories(log.getParent());
            // Never the environment itself: it may hold secrets.
            Files.writeString(log, "---- " + mainClass + " started at " + java.time.Instant.now() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(SingleNodeKafka.javaCommand(jvmOptions, mainClass, List.of()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + mainClass, e);
        }
        return this;
    }

    /** SIGKILL: a crash, nothing flushed, committed or closed; returns once the process is gone. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** SIGTERM: the service's own clean shutdown; returns once the process has exited. */
    @Override
    public synchronized void close() {
        if (isRunning()) {
            process.destroy();
            awaitExit();
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Whether it answers {@code GET /health} on {@code port} with 200; false while it starts (nothing listens yet),
     * and an {@link AssertionError} with its last output if it has exited.
     */
    public boolean isHealthy(int port) {
        if (!isRunning()) {
            throw new AssertionError(mainClass + " exited:\n" + tail(60));
        }
        try {
            return ServiceProbe.get(port, "/health").statusCode() == 200;
        } catch (UncheckedIOException notListeningYet) {
            return false;
        }
    }

    /** The last lines of the output, to say why a run failed. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

}
