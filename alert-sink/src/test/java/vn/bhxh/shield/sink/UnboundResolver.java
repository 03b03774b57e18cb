package vn.bhxh.shield.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.testkit.Eventually;

/**
 * Debian's Unbound, the DNS resolver many operators run, as a process on a free local port loading a Response
 * Policy Zone from a file, with local data standing in for the internet (the test needs none); queried with
 * Debian's {@code dig}. Installed with apt-get when missing and we are root (CI, containers), as the benchmark
 * installs wrk.
 */
final class UnboundResolver implements AutoCloseable {

    private static final String UNBOUND = "/usr/sbin/unbound";
    private static final String DIG = "/usr/bin/dig";
    private static final Pattern STATUS = Pattern.compile("status: ([A-Z]+)");

    private final Process process;
    private final Path log;
    private final int port;

    private UnboundResolver(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /**
     * @param zone      the RPZ zone file's text
     * @param addresses names the resolver answers with an A record without the internet (what an unlisted site,
     *                  or a listed one before the policy, would resolve to)
     */
    static UnboundResolver start(Path workDir, String zone, Map<String, String> addresses) throws Exception {
        ensureInstalled();
        Path zoneFile = Files.writeString(workDir.resolve("bhxh.rpz"), zone, StandardCharsets.UTF_8);
        int port = FreePorts.pick();
        String localData = addresses.entrySet().stream()
                .map(a -> "  local-data: \"" + a.getKey() + ". 300 IN A " + a.getValue() + "\"")
                .collect(Collectors.joining("\n"));
        Path config = Files.writeString(workDir.resolve("unbound.conf"), """
                server:
                  interface: 127.0.0.1
                  port: %d
                  do-ip6: no
                  do-daemonize: no
                  username: ""
                  chroot: ""
                  directory: "%s"
                  pidfile: ""
                  use-syslog: no
                  logfile: ""
                  verbosity: 1
                  num-threads: 1
                  module-config: "respip validator iterator"
                %s
                rpz:
                  name: "rpz.bhxh-shield.local."
                  zonefile: "%s"
                  rpz-log: yes
                """.formatted(port, workDir, localData, zoneFile), StandardCharsets.UTF_8);
        check(new ProcessBuilder(UNBOUND + "-checkconf", config.toString()));
        Path log = workDir.resolve("unbound.log");
        Process process = new ProcessBuilder(UNBOUND, "-d", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        UnboundResolver resolver = new UnboundResolver(process, log, port);
        String probe = addresses.keySet().iterator().next();
        Eventually.await("unbound answers on port " + port, Duration.ofSeconds(20),
                () -> process.isAlive() && "NOERROR".equals(resolver.status(probe)));
        return resolver;
    }

    /** The response code (NOERROR, NXDOMAIN, SERVFAIL...) of an A query for {@code name}, or null: no answer. */
    String status(String name) {
        try {
            Process dig = new ProcessBuilder(DIG, "@127.0.0.1", "-p", Integer.toString(port), name, "A",
                    "+time=2", "+tries=1").redirectErrorStream(true).start();
            String output = new String(dig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            dig.waitFor(10, TimeUnit.SECONDS);
            Matcher status = STATUS.matcher(output);
            return status.find() ? status.group(1) : null;
        } catch (IOException e) {
            throw new AssertionError("dig " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private static void ensureInstalled() throws Exception {
        if (Files.isExecutable(Path.of(UNBOUND)) && Files.isExecutable(Path.of(DIG))) {
            return;
        }
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            throw new IllegalStateException("the RPZ test needs Debian's unbound and dig: "
                    + "`sudo apt-get install -y unbound dnsutils`");
        }
        ProcessBuilder install = new ProcessBuilder("sh", "-c",
                "apt-get update -q && apt-get install -y -q unbound dnsutils").inheritIO();
        install.environment().put("DEBIAN_FRONTEND", "noninteractive");
        check(install);
    }

    private static void check(ProcessBuilder command) throws Exception {
        Process process = command.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command.command()) + " failed: " + output);
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    List<String> policyLines() throws IOException {
        return log().lines().filter(line -> line.contains("rpz: applied")).toList();
    }
}
