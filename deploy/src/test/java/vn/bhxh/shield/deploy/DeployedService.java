package vn.bhxh.shield.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import vn.bhxh.shield.ingest.IngestService;
import vn.bhxh.shield.processor.ProcessorService;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.sink.AlertSinkService;

/**
 * The three services as every deployment artefact names them (manifests, compose file, images): name, the module
 * whose code reads its settings, its port setting and its {@code main}. The tests that keep those artefacts honest
 * ask it which environment variables a service really reads.
 */
enum DeployedService {
    REPORTER_INGEST(IngestService.NAME, IngestService.PORT, IngestService.class),
    STREAM_PROCESSOR(ProcessorService.NAME, "PROCESSOR_HTTP_PORT", ProcessorService.class),
    ALERT_SINK(AlertSinkService.NAME, "SINK_HTTP_PORT", AlertSinkService.class);

    /** The name of the module, the Kubernetes workload, the compose service and the image. */
    final String name;
    final String portSetting;
    final Class<?> main;
    private Set<String> settingsRead;

    DeployedService(String name, String portSetting, Class<?> main) {
        this.name = name;
        this.portSetting = portSetting;
        this.main = main;
    }

    /** The build context of its image, which is its module. */
    Path module() {
        return Path.of("..", name);
    }

    /** The image the manifests and the compose file run. */
    String image() {
        return "bhxh-shield/" + name + ":0.1.0";
    }

    /**
     * Whether setting {@code variable} means anything to the service: the Kafka and registry connection (with the
     * registry's credentials), a {@code KAFKA_CLIENT_*} that is a Kafka client setting, or a name its code reads (a
     * trailing _ there marks a prefix).
     */
    boolean reads(String variable) {
        if (variable.equals(KafkaSettings.BOOTSTRAP_SERVERS) || variable.equals(KafkaSettings.SCHEMA_REGISTRY_URL)
                || variable.equals(KafkaSettings.SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO)) {
            return true;
        }
        if (variable.startsWith(KafkaSettings.CLIENT_PREFIX)) {
            Set<String> clientSettings = new HashSet<>(ProducerConfig.configNames());
            clientSettings.addAll(ConsumerConfig.configNames());
            clientSettings.addAll(AdminClientConfig.configNames());
            return clientSettings.contains(variable.substring(KafkaSettings.CLIENT_PREFIX.length())
                    .toLowerCase(Locale.ROOT).replace('_', '.'));
        }
        return settingsRead().contains(variable)
                || settingsRead().stream().anyMatch(p -> p.endsWith("_") && variable.startsWith(p));
    }

    /** Names of the INGEST_/PROCESSOR_/SINK_ settings its module's code reads; a trailing _ marks a prefix. */
    synchronized Set<String> settingsRead() {
        if (settingsRead == null) {
            Pattern literal = Pattern.compile("\"((?:INGEST|PROCESSOR|SINK)_[A-Z0-9_]*)\"");
            Set<String> names = new TreeSet<>();
            try (Stream<Path> sources = Files.walk(module().resolve(Path.of("src", "main", "java")))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = literal.matcher(Files.readString(source));
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (names.isEmpty()) {
                throw new AssertionError("no settings found in " + module());
            }
            settingsRead = Set.copyOf(names);
        }
        return settingsRead;
    }
}
