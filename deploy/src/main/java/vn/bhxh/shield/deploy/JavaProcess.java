package vn.bhxh.shield.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import vn.bhxh.shield.runtime.SingleNodeKafka;

/**
 * One component of the local stack running as its own OS process (a JVM on the stack's classpath), so that the
 * broker and each service are as separate as they are in production, and each can be killed on its own.
 */
public final class JavaProcess implements AutoCloseable {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static JavaProcess start(String name, String mainClass, List<String> args, List<String> jvmOptions,
                             Map<String, String> env, Path log) {
        return start(name, SingleNodeKafka.javaCommand(jvmOptions, mainClass, args), env, log);
    }

    /** Any command line, e.g. a container image's entrypoint run outside the container. */
    static JavaProcess start(String name, List<String> command, Map<String, String> env, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            return new JavaProcess(name, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Runs a short-lived tool to completion, failing with its output if it fails. */
    static void runToCompletion(String name, String mainClass, List<String> args, Path log) {
        try (JavaProcess tool = start(name, mainClass, args, List.of("-Xmx256m"), Map.of(), log)) {
            if (!tool.process.waitFor(2, TimeUnit.MINUTES) || tool.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed; its output:\n" + tool.tail());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + name, e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The last lines of the process's output, to say why it failed. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** Waits for the process to end by itself; its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " did not finish within " + timeout + ":\n" + tail());
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash would: no shutdown hook, no clean close of anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, so the component shuts down cleanly; SIGKILL only if it has not exited within the grace period. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(GRACE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
