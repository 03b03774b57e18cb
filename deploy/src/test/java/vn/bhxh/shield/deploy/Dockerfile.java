package vn.bhxh.shield.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A service's Dockerfile, read as far as the tests need: base image, user, ports, what it copies and what it runs.
 * With no Docker engine at hand, {@link #assemble} lays out the image's files from the build's outputs exactly as
 * its COPY instructions would (as symbolic links), so its ENTRYPOINT can be run for real, outside a container.
 */
final class Dockerfile {

    /** One instruction, continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    record Copy(String source, String destination) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path context;
    private final List<Instruction> instructions;

    private Dockerfile(Path context, List<Instruction> instructions) {
        this.context = context;
        this.instructions = instructions;
    }

    /** The Dockerfile at the root of its build context, e.g. {@code ../reporter-ingest}. */
    static Dockerfile in(Path context) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String line : Files.readAllLines(context.resolve("Dockerfile"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty() && pending.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            pending.append(trimmed);
            String[] parts = pending.toString().strip().split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
            pending.setLength(0);
        }
        return new Dockerfile(context, List.copyOf(instructions));
    }

    /** For callers that cannot throw: a missing or unreadable Dockerfile fails the test. */
    static Dockerfile inUnchecked(Path context) {
        try {
            return in(context);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + context + "/Dockerfile", e);
        }
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The argument of an instruction that must appear exactly once. */
    String one(String keyword) {
        List<String> found = all(keyword);
        if (found.size() != 1) {
            throw new AssertionError(context + "/Dockerfile has " + found.size() + " " + keyword + " instructions");
        }
        return found.get(0);
    }

    List<Integer> exposedPorts() {
        return all("EXPOSE").stream().flatMap(ports -> Arrays.stream(ports.split("\\s+")))
                .map(port -> Integer.parseInt(port.replace("/tcp", ""))).toList();
    }

    List<Copy> copies() {
        return all("COPY").stream().map(arguments -> {
            String[] parts = arguments.split("\\s+");
            if (parts.length != 2 || parts[0].startsWith("--")) {
                throw new AssertionError("COPY with one source and one destination expected: " + arguments);
            }
            return new Copy(parts[0], parts[1]);
        }).toList();
    }

    /** The exec-form ENTRYPOINT (a JSON array): the only form that lets the JVM get SIGTERM as PID 1. */
    List<String> entrypoint() {
        return execForm(one("ENTRYPOINT"));
    }

    /** The exec-form command of the HEALTHCHECK, after its options. */
    List<String> healthcheck() {
        String arguments = one("HEALTHCHECK");
        return execForm(arguments.substring(arguments.indexOf("CMD ") + "CMD ".length()));
    }

    /** The image's files as the COPY instructions place them, under {@code root}, linked to the build's outputs. */
    void assemble(Path root) throws IOException {
        for (Copy copy : copies()) {
            Path source = context.resolve(copy.source()).toAbsolutePath().normalize();
            Path destination = root.resolve(copy.destination().substring(1));
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        link(destination.resolve(source.relativize(file).toString()), file);
                    }
                }
            } else if (Files.isRegularFile(source)) {
                link(copy.destination().endsWith("/") ? destination.resolve(source.getFileName().toString())
                        : destination, source);
            } else {
                throw new AssertionError("COPY " + copy.source() + ": the build did not produce " + source);
            }
        }
    }

    /** The ENTRYPOINT as it runs against an {@link #assemble}d root: this JVM's java, image paths under root. */
    List<String> command(Path root) {
        List<String> command = new ArrayList<>();
        for (String argument : entrypoint()) {
            if (command.isEmpty() && argument.equals("java")) {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            } else {
                command.add(argument.startsWith("/") ? root + argument : argument);
            }
        }
        return command;
    }

    private static void link(Path at, Path target) throws IOException {
        Files.createDirectories(at.getParent());
        Files.createSymbolicLink(at, target);
    }

    private List<String> execForm(String json) {
        try {
            return Arrays.asList(JSON.readValue(json, String[].class));
        } catch (JsonProcessingException e) {
            throw new AssertionError(context + "/Dockerfile: not an exec-form JSON array: " + json, e);
        }
    }
}
