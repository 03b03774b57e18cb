package vn.bhxh.shield.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vn.bhxh.shield.runtime.FreePorts;
import vn.bhxh.shield.schema.AlertLevel;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.testkit.CrashScale;
import vn.bhxh.shield.testkit.Eventually;
import vn.bhxh.shield.testkit.KafkaBrokerProcess;
import vn.bhxh.shield.testkit.ServiceProcess;
import vn.bhxh.shield.topic.TopicProvisioner;
import vn.bhxh.shield.topic.Topics;

/**
 * Exactly-once under crashes, after Apache Kafka's own {@code streams_eos_test}: the processor's production
 * {@code main} runs as two OS processes of one application on a real broker while a seeded stream of reports
 * flows in; one of them is killed with SIGKILL again and again (every other time right after a burst of input,
 * once the broker reports its transaction open) and restarted at once on the same state directory; the next kill
 * comes after it is back or, at random, before, so at times both are down. A verifier then reads
 * every output topic with {@code read_committed} and holds it against {@link ReferenceRules}, which works the
 * answer out from the reports and decisions alone: exact distinct-reporter counts, exactly the expected blocklist,
 * each alert level crossed exactly once (each proposal, escalation and listing once), nothing listed for an
 * official channel or a rejected proposal, no dead letter. Once every report is processed and every proposal
 * escalated (wall clock), officers' decisions confirm and reject proposals while an instance is killed once more.
 *
 * <p>Scale: {@code -Deos.kills=10 -Deos.reports=2000} by default; {@code -Deos.long=true} for a release.
 */
class EosCrashIT {

    private static final String APPLICATION_ID = "eos-crash-processor";
    private static final Duration START_WITHIN = Duration.ofMinutes(3);
    private static final Duration DRAIN_WITHIN = Duration.ofMinutes(5);
    private static final Set<TransactionState> OPEN = EnumSet.of(TransactionState.ONGOING,
            TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT, TransactionState.PREPARE_EPOCH_FENCE);
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    @Test
    void losesAndDoublesNothingWhileInstancesAreKilledAndRestarted(@TempDir Path work) throws Exception {
        CrashScale scale = CrashScale.fromSystemProperties(10, "eos.reports", 2_000);
        Random random = new Random(scale.seed());
        ScamScenario scenario = ScamScenario.generate(scale.seed(), scale.records(),
                Instant.now().minus(Duration.ofMinutes(50)));
        Map<String, ReferenceRules.Expected> expected = ReferenceRules.expect(scenario);

        try (KafkaBrokerProcess kafka = KafkaBrokerProcess.create().start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            kafka.startRegistry();
            TopicProvisioner.ensure(admin, Topics.specs());
            Topics topics = new Topics(kafka.registryClient());
            List<Instance> instances = List.of(new Instance("a", kafka, work), new Instance("b", kafka, work));
            int killsInOpenTransaction = 0;
            long started = System.nanoTime();
            try (var producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                    new ByteArraySerializer())) {
                instances.forEach(Instance::start);
                instances.forEach(Instance::awaitHealthy);
                // Three bursts per kill (before it, while the victim is down, after its restart), then the rest.
                Feeder feeder = new Feeder(producer, new IngestedReports(topics), scenario.reports(),
                        Math.max(1, scenario.reports().size() / (scale.kills() * 3 + 1)));
                for (int kill = 0; kill < scale.kills(); kill++) {
                    // Restarts may overlap: the next victim is any instance up, possibly the only one.
                    Instance victim = aHealthyOne(instances, random);
                    feeder.burst();
                    if (kill % 2 == 0) {
                        // Input keeps coming until the victim's transaction is open (on a fast machine a burst
                        // can be processed and committed between two looks), unless the scenario has run out.
                        Eventually.await("instance " + victim.name + " opens a transaction", START_WITHIN,
                                () -> victim.hasOpenTransaction(admin) || !feeder.trickle());
                    } else {
                        Thread.sleep(random.nextInt(2_000));
                    }
                    victim.process.kill();
                    // It is dead: a transaction the coordinator still holds open was open when it died.
                    boolean open = victim.hasOpenTransaction(admin);
                    killsInOpenTransaction += open ? 1 : 0;
                    System.out.printf("EOS crash test: kill -9 #%d of processor %s after %d reports,%s at %d s%n",
                            kill + 1, victim.name, feeder.sent(), open ? " in an open transaction," : "",
                            Duration.ofNanos(System.nanoTime() - started).toSeconds());
                    feeder.burst();
                    victim.start();
                    feeder.burst();
                    if (random.nextBoolean()) {
                        // The other one alone for a while: it takes over the victim's tasks (and its open
                        // transaction's partitions) before the victim is back.
                        victim.awaitHealthy();
                    }
                    Thread.sleep(500 + random.nextInt(2_000));
                }
                instances.forEach(Instance::awaitHealthy);
                feeder.rest();
                Eventually.await("both instances have processed and committed every report", DRAIN_WITHIN,
                        () -> drained(admin));
                // Renewals go out once per PROCESSOR_RENEW_INTERVAL (wall clock), after the reports that made them
                // due: wait until none is due, as committed, before reading the outputs.
                Eventually.await("every renewal due has been sent", DRAIN_WITHIN,
                        () -> noRenewalDue(kafka));

                // Every proposal waits for its escalation (wall clock), then officers decide, while an instance is
                // killed once more: each confirmation must list exactly once, each rejection nothing.
                long proposals = expected.values().stream().filter(ReferenceRules.Expected::proposed).count();
                Eventually.await("every proposal has been escalated", DRAIN_WITHIN,
                        () -> escalations(kafka, topics) >= proposals);
                List<Decision> decisions = scenario.decisions();
                try (var decider = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                        topics.decisions().valueSerde().serializer())) {
                    decide(decider, scenario, decisions.subList(0, decisions.size() / 2));
                    Instance victim = aHealthyOne(instances, random);
                    victim.process.kill();
                    killsInOpenTransaction += victim.hasOpenTransaction(admin) ? 1 : 0;
                    System.out.printf("EOS crash test: kill -9 of processor %s after %d of %d decisions%n",
                            victim.name, decisions.size() / 2, decisions.size());
                    decide(decider, scenario, decisions.subList(decisions.size() / 2, decisions.size()));
                    victim.start();
                }
                instances.forEach(Instance::awaitHealthy);
                Eventually.await("both instances have processed and committed every decision", DRAIN_WITHIN,
                        () -> drained(admin));
                Eventually.await("every renewal due has been sent", DRAIN_WITHIN,
                        () -> noRenewalDue(kafka));
            } finally {
                instances.forEach(Instance::close);
            }
            long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

            ProcessorOutputs outputs = ProcessorOutputs.read(kafka, topics, IsolationLevel.READ_COMMITTED);
            ExactlyOnceAudit audit = ExactlyOnceAudit.of(expected, outputs);
            // What exactly-once hid: the output of transactions the kills aborted, as a careless reader sees it.
            ProcessorOutputs everything = ProcessorOutputs.read(kafka, topics, IsolationLevel.READ_UNCOMMITTED);
            ExactlyOnceAudit careless = ExactlyOnceAudit.of(expected, everything);
            long listed = expected.values().stream().filter(e -> e.listing() != null).count();
            long proposed = expected.values().stream().filter(ReferenceRules.Expected::proposed).count();
            System.out.printf("EOS crash test (processor, seed %d%s): %d kills -9 (%d during an open transaction),"
                            + " %d reports and %d decisions produced for %d indicators (%d proposed, %d to be listed),"
                            + " %d output records checked"
                            + " (%d alerts, %d blocklist, %d dead letters), lost %d, duplicated %d, wrong %d;"
                            + " %d aborted records hidden by read_committed (read_uncommitted: duplicated %d,"
                            + " wrong %d); %d s%n",
                    scale.seed(), scale.longMode() ? ", long mode" : "", scale.kills() + 1, killsInOpenTransaction,
                    scenario.reports().size(), scenario.decisions().size(), expected.size(),
                    proposed, listed, outputs.size(), outputs.alerts().size(), outputs.blocklist().size(),
                    outputs.deadLetters().size(), audit.lost(), audit.duplicated(), audit.wrong(), everything.size() - outputs.size(), careless.duplicated(), careless.wrong(),
                    seconds);
            assertThat(audit.problems()).as("lost, duplicated or wrong outputs").isEmpty();
            assertThat(killsInOpenTransaction).as("kills that caught a transaction open").isPositive();
            assertThat(outputs.blocklist()).as("the scenario lists something").isNotEmpty();
            assertThat(scenario.decisions()).extracting(Decision::getAction).as("officers confirm and reject")
                    .contains(DecisionAction.CONFIRM, DecisionAction.REJECT);
        }
    }

    /** One of the instances that answer /health 200, at random; waits while none does. */
    private static Instance aHealthyOne(List<Instance> instances, Random random) {
        List<Instance> healthy = new ArrayList<>();
        Eventually.await("an instance is up", START_WITHIN, () -> {
            healthy.clear();
            instances.stream().filter(Instance::isHealthy).forEach(healthy::add);
            return !healthy.isEmpty();
        });
        return healthy.get(random.nextInt(healthy.size()));
    }

    /** ESCALATED alerts committed on the national topic. */
    private static long escalations(KafkaBrokerProcess kafka, Topics topics) {
        return ProcessorOutputs.readAll(kafka, IsolationLevel.READ_COMMITTED, List.of(Topics.ALERTS_NATIONAL),
                        topics.nationalAlerts().valueSerde().deserializer()).stream()
                .filter(record -> record.value().getLevel() == AlertLevel.ESCALATED).count();
    }

    /**
     * Sends the decisions, each acknowledged before it returns, keyed by the canonical indicator as the dashboard
     * keys them (the value keeps what the officer typed).
     */
    private static void decide(KafkaProducer<String, Decision> producer, ScamScenario scenario,
                               List<Decision> decisions) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        decisions.forEach(decision -> acks.add(producer.send(new ProducerRecord<>(Topics.DECISIONS,
                scenario.keyOf().get(decision.getIndicator()), decision))));
        awaitAcks(acks);
    }

    private static void awaitAcks(List<Future<RecordMetadata>> acks) {
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a record was not written", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The due-list's changelog, read committed, ends with a tombstone for every indicator it names. */
    private static boolean noRenewalDue(KafkaBrokerProcess kafka) {
        Map<String, String> due = new HashMap<>();
        ProcessorOutputs.readAll(kafka, IsolationLevel.READ_COMMITTED,
                        List.of(APPLICATION_ID + "-" + IndicatorProcessor.RENEWALS_DUE + "-changelog"),
                        new StringDeserializer())
                .forEach(record -> due.put(record.key(), record.value()));
        return due.values().stream().allMatch(Objects::isNull);
    }

    /**
     * Every indicator record and decision consumed, its results committed, by the application, and no
     * transaction of it open. A transaction a killed instance left open holds back the last stable offset of the
     * partitions it wrote: the committed offsets can reach that offset while records after it, written by the
     * other instance, are still unread. So the offsets only tell once no transaction is open.
     */
    private static boolean drained(Admin admin) {
        try {
            boolean open = admin.listTransactions().all().get().stream().anyMatch(transaction ->
                    transaction.transactionalId().startsWith(APPLICATION_ID + "-")
                            && OPEN.contains(transaction.state()));
            if (open) {
                return false;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(List.of(Topics.INDICATOR_EVENTS, Topics.DECISIONS)).allTopicNames().get().values()
                    .forEach(topic -> topic.partitions().forEach(partition -> ends.put(
                            new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            var endOffsets = admin.listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get();
            // An input never written to (decisions, before the officers decide) has no committed offset.
            return endOffsets.entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                    || committed.get(end.getKey()) != null
                    && committed.get(end.getKey()).offset() >= end.getValue().offset());
        } catch (ExecutionException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends the scenario's reports in order, as ingest writes them, a burst at a time, each burst acknowledged
     * before it returns.
     */
    private static final class Feeder {
        private final KafkaProducer<String, byte[]> producer;
        private final IngestedReports ingested;
        private final List<Report> reports;
        private final int burst;
        private int next;

        Feeder(KafkaProducer<String, byte[]> producer, IngestedReports ingested, List<Report> reports, int burst) {
            this.producer = producer;
            this.ingested = ingested;
            this.reports = reports;
            this.burst = burst;
        }

        void burst() {
            send(Math.min(reports.size(), next + burst));
        }

        /** Sends the next two reports; false when there are none left. */
        boolean trickle() {
            if (next == reports.size()) {
                return false;
            }
            send(Math.min(reports.size(), next + 2));
            return true;
        }

        int sent() {
            return next;
        }

        void rest() {
            send(reports.size());
        }

        private void send(int until) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (; next < until; next++) {
                Report report = reports.get(next);
                acks.addAll(ingested.send(producer, report));
            }
            awaitAcks(acks);
        }
    }

    /** One processor instance: its production main in its own JVM, its own state directory across restarts. */
    private static final class Instance {
        final String name;
        final ServiceProcess process;
        private final KafkaBrokerProcess kafka;
        private final Path stateDir;
        private int port;

        Instance(String name, KafkaBrokerProcess kafka, Path work) {
            this.name = name;
            this.kafka = kafka;
            this.stateDir = work.resolve("state-" + name);
            this.process = ServiceProcess.of(ProcessorService.class, List.of("-Xmx256m", "-XX:+UseSerialGC",
                            // It restarts over and over on a busy machine: start fast rather than peak fast.
                            "-XX:TieredStopAtLevel=1"),
                    Path.of("target", "eos-crash", "processor-" + name + ".log"));
        }

        void start() {
            port = FreePorts.pick();
            Map<String, String> env = new HashMap<>(ReferenceRules.settings());
            env.putAll(Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "SCHEMA_REGISTRY_URL", kafka.registryUrl(),
                    "PROCESSOR_APPLICATION_ID", APPLICATION_ID,
                    "PROCESSOR_STATE_DIR", stateDir.toString(),
                    "PROCESSOR_HTTP_PORT", Integer.toString(port),
                    "PROCESSOR_COMMIT_INTERVAL_MS", "100",
                    "PROCESSOR_ROCKSDB_MEMORY_MB", "16",
                    // A killed member leaves the group when its session times out: keep that short (the broker's
                    // minimum) so the survivor takes over its tasks within seconds.
                    "KAFKA_CLIENT_SESSION_TIMEOUT_MS", "6000",
                    "KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", "1500",
                    // A restarted instance gets its active tasks back at once, not after a probing rebalance.
                    "KAFKA_CLIENT_ACCEPTABLE_RECOVERY_LAG", Long.toString(Long.MAX_VALUE)));
            process.start(env);
        }

        void awaitHealthy() {
            Eventually.await("processor " + name + " answers /health 200", START_WITHIN, this::isHealthy);
        }

        boolean isHealthy() {
            return process.isHealthy(port);
        }

        /**
         * Whether the broker's transaction coordinator holds an ONGOING transaction of this instance: Kafka
         * Streams (exactly-once v2) names its producers {@code <application id>-<process id>-<thread>}, the
         * process id being the one it keeps in the state directory across restarts.
         */
        boolean hasOpenTransaction(Admin admin) {
            try {
                String prefix = APPLICATION_ID + "-" + processId() + "-";
                return admin.listTransactions().all().get().stream().anyMatch(transaction ->
                        transaction.transactionalId().startsWith(prefix)
                                && transaction.state() == TransactionState.ONGOING);
            } catch (ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private String processId() {
            Path file = stateDir.resolve(APPLICATION_ID).resolve("kafka-streams-process-metadata");
            try {
                Matcher uuid = UUID_TEXT.matcher(Files.exists(file) ? Files.readString(file) : "");
                return uuid.find() ? uuid.group() : "(not yet written)";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void close() {
            process.close();
        }
    }
}
