package vn.bhxh.shield.processor;

import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.registry.SchemaRegistryClient;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.runtime.KafkaConnectivityCheck;
import vn.bhxh.shield.runtime.ServiceHttpServer;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.ServiceLogs;
import vn.bhxh.shield.runtime.ServiceMetrics;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.AllowlistEntry;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * stream-processor: the Kafka Streams application (exactly-once v2) that turns reports into alerts and the
 * blocklist, with its lookup API and health on {@code PROCESSOR_HTTP_PORT} (8083).
 */
public final class ProcessorService implements AutoCloseable {

    public static final String NAME = "stream-processor";
    /** The exit status when the stream threads kept failing (EX_SOFTWARE). */
    static final int EXIT_STREAMS_FAILED = 70;
    private static final Logger log = LoggerFactory.getLogger(ProcessorService.class);
    private static final Duration SEED_TIMEOUT = Duration.ofMinutes(2);
    /**
     * How often the metrics binder looks for new Kafka metrics: a store's RocksDB gauges exist only once its task
     * runs, and with the binder's default (a minute) a dashboard missed them for that long after every rebalance.
     */
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry metrics;
    private final KafkaConnectivityCheck kafka;
    /** What /health/live and /health/ready ask; the processor's own checks are added to it as they are created. */
    private final Health health = new Health();
    private final ServiceHttpServer http;
    private final StreamSupervisor supervisor;
    private final DeadThreadMembers deadThreadMembers;
    // Assigned once the HTTP port is bound, because application.server must name it; read by the handlers.
    private volatile KafkaStreams streams;
    private volatile IndicatorLookup lookup;
    private KafkaStreamsMetrics streamsMetrics;
    private final ScheduledExecutorService metricsRefresh = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kafka-metrics-refresh");
        thread.setDaemon(true);
        return thread;
    });

    private ProcessorService(ProcessorConfig config, BeforeRules beforeRules, Runnable onFailed) {
        this.metrics = ServiceMetrics.create(NAME);
        SchemaRegistryClient registry = config.kafka().schemaRegistry();
        Topics topics = new Topics(registry);
        this.kafka = new KafkaConnectivityCheck(config.kafka().common(NAME + "-health"));
        seedAllowlist(config, topics);

        HealthCheck running = () -> streams != null && streams.state() == KafkaStreams.State.RUNNING
                ? HealthCheck.Status.up("streams RUNNING")
                : HealthCheck.Status.down("streams " + (streams == null ? "not created" : streams.state()));
        FailedRecords failedRecords = new FailedRecords(config.faults().recordAttempts());
        this.deadThreadMembers = DeadThreadMembers.of(config);
        this.supervisor = new StreamSupervisor(config.faults(), failedRecords, registry::subjects, metrics,
                deadThreadMembers == null ? thread -> { } : deadThreadMembers::remove, onFailed);
        health.ready("kafka", kafka).ready("streams", running).ready("stream-threads", supervisor);
        this.http = ServiceHttpServer.start(NAME, config.httpPort(), metrics, health,
                javalin -> {
                    // Before the lookup's path, which would take "<key>/evidence" for a link's key.
                    javalin.routes.get(IndicatorLookup.EVIDENCE_PATH,
                            ctx -> whenStarted(ctx, IndicatorLookup::evidence));
                    javalin.routes.get(IndicatorLookup.PATH, ctx -> whenStarted(ctx, IndicatorLookup::byPath));
                    javalin.routes.get(IndicatorLookup.QUERY_PATH, ctx -> whenStarted(ctx, IndicatorLookup::byQuery));
                    // A url: key in the path form arrives as %2F-encoded slashes and, unencoded, as "//": Jetty
                    // refuses both as ambiguous by default. Here they are data, never a path to a file.
                    javalin.jetty.modifyHttpConfiguration(jetty -> jetty.setUriCompliance(UriCompliance.DEFAULT.with(
                            "indicator-keys", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                            UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT)));
                    javalin.jetty.modifyServletContextHandler(handler ->
                            handler.getServletHandler().setDecodeAmbiguousURIs(true));
                });

        StreamsBuilder builder = new StreamsBuilder();
        ProcessorMetrics processorMetrics = new ProcessorMetrics(metrics);
        buildTopology(builder, topics, config.rules(), processorMetrics, beforeRules,
                new IndicatorStateSerde(config.stateFormat()), config.trends());
        Map<String, Object> properties = config.streamsProperties(http.port());
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecordHandler.class);
        handleGlobalStoreFailuresToo(properties);
        properties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UndecodableRecordHandler.class);
        properties.put(DeadLetterRecords.CONFIG, new DeadLetterRecords(topics, processorMetrics));
        properties.put(DeadLetterRecords.FAILED_RECORDS_CONFIG, failedRecords);
        KafkaStreams created = new KafkaStreams(builder.build(), new StreamsConfig(properties));
        created.setStateListener(supervisor);
        // A failed thread is replaced, aborting its open transaction (exactly-once: nothing is written twice), or,
        // when it keeps failing, the process exits: see StreamSupervisor.
        created.setUncaughtExceptionHandler(supervisor);
        this.streamsMetrics = new KafkaStreamsMetrics(created, List.of(), metricsRefresh, METRICS_REFRESH);
        streamsMetrics.bindTo(metrics);
        this.streams = created;
        this.lookup = new IndicatorLookup(created, new HostInfo(config.advertisedHost(), http.port()),
                config.rules());
        created.start();
    }

    /**
     * The global thread's processing failures (the allowlist's global store) go to {@link PoisonRecordHandler} too,
     * which fails them, as Kafka Streams does by default in 4.3; from 5.0 the handler always gets them (KIP-1270, and
     * the setting goes away). Left unset, every start warns that it is off. (Kafka Streams 4.3.1 still warns once per
     * start from its partition assignor, whose own copy of the configuration is made from the consumer's settings,
     * which do not carry this one.)
     */
    @SuppressWarnings("deprecation") // the setting is deprecated from birth: 5.0 removes it, on for good
    private static void handleGlobalStoreFailuresToo(Map<String, Object> properties) {
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }

    private void whenStarted(Context ctx, LookupHandler handler) throws Exception {
        IndicatorLookup ready = lookup;
        if (ready == null) {
            throw IndicatorLookup.notReady();
        } else {
            handler.handle(ready, ctx);
        }
    }

    private interface LookupHandler {
        void handle(IndicatorLookup lookup, Context ctx) throws Exception;
    }

    /** The lookup API's view of who owns what; for tests that must ask the instance that does not own a key. */
    IndicatorLookup lookup() {
        return lookup;
    }

    /** The whole processor topology; each flow is built by its own class and tested on its own. */
    static void buildTopology(StreamsBuilder builder, Topics topics, Rules rules, ProcessorMetrics metrics) {
        buildTopology(builder, topics, rules, metrics, BeforeRules.NOTHING, new IndicatorStateSerde(),
                WeeklyTrendCounter.TrendSettings.DEFAULTS);
    }

    private static void buildTopology(StreamsBuilder builder, Topics topics, Rules rules, ProcessorMetrics metrics,
                                      BeforeRules beforeRules, IndicatorStateSerde stateSerde,
                                      WeeklyTrendCounter.TrendSettings trends) {
        KStream<String, IndicatorInput> reports = ReportIntakeFlow.buildTopology(builder, topics, metrics);
        KStream<String, IndicatorInput> decisions = DecisionIntakeFlow.buildTopology(builder, topics, metrics);
        KStream<String, IndicatorInput> inputs = reports.merge(decisions);
        if (beforeRules != BeforeRules.NOTHING) {
            inputs = inputs.peek(beforeRules::see, Named.as("before-rules"));
        }
        IndicatorFlow.buildTopology(builder, topics, inputs, rules, metrics, stateSerde);
        // A second reader of the same reports, after the rules' nodes so that their generated names stay put.
        WeeklyTrendCounter.buildTopology(builder, topics, reports, trends);
    }

    /**
     * A test seam, not production behaviour: sees every input (keyed by indicator) on its way to the rules, so a
     * test can make the processing of chosen records throw as a bug in the rules would.
     */
    @FunctionalInterface
    interface BeforeRules {
        BeforeRules NOTHING = (indicator, input) -> { };

        void see(String indicator, IndicatorInput input);
    }

    /**
     * Writes the versioned official channels to the compacted allowlist before processing starts, and their
     * inbound-only numbers to the Do-Not-Originate list ({@link DoNotOriginateSeed}). The entries are
     * deterministic, so seeding at every start only re-writes what compaction collapses; channels added at run time
     * by ALLOWLIST decisions are other keys and are left alone. The registry or broker may still be starting, or be
     * slow, when the processor starts; as seeding is idempotent it is retried for a while rather than failing the
     * start.
     */
    private static void seedAllowlist(ProcessorConfig config, Topics topics) {
        long deadline = System.nanoTime() + SEED_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                writeAllowlist(config, topics);
                DoNotOriginateSeed.write(config.kafka(), topics, OfficialChannels.all());
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                log.warn("seeding the official channels failed (attempt {}), retrying: {}", attempt, e.toString());
                try {
                    Thread.sleep(Math.min(1_000L * attempt, 5_000L));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while seeding the official channels", interrupted);
                }
            }
        }
    }

    private static void writeAllowlist(ProcessorConfig config, Topics topics) {
        Topic<String, AllowlistEntry> allowlist = topics.allowlist();
        try (var producer = new KafkaProducer<>(config.kafka().reliableProducer(NAME + "-allowlist-seed"),
                allowlist.keySerde().serializer(), allowlist.valueSerde().serializer())) {
            for (AllowlistEntry entry : OfficialChannels.all()) {
                producer.send(new ProducerRecord<>(allowlist.name(), entry.getIndicator(), entry)).get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot seed " + Topics.ALLOWLIST, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding " + Topics.ALLOWLIST, e);
        }
    }

    /** A processor whose stream threads, when they keep failing, leave it DOWN (its process's main exits then). */
    public static ProcessorService start(Settings settings) {
        return start(settings, BeforeRules.NOTHING, () -> { });
    }

    static ProcessorService start(Settings settings, BeforeRules beforeRules, Runnable onFailed) {
        return new ProcessorService(ProcessorConfig.from(settings), beforeRules, onFailed);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        supervisor.close();
        http.close();
        // A dynamic member leaves on purpose: a restarted one is a new member, and the group would otherwise wait
        // out the old one's session before giving it tasks. A static member stays: restarted with its id it takes
        // its tasks back without a rebalance (an instance removed for good keeps them for the session timeout).
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30)).withGroupMembershipOperation(
                deadThreadMembers == null ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
        streamsMetrics.close();
        if (deadThreadMembers != null) {
            deadThreadMembers.close();
        }
        metricsRefresh.shutdownNow();
        kafka.close();
        metrics.close();
    }

    public static void main(String[] args) throws InterruptedException {
        run(BeforeRules.NOTHING);
    }

    /**
     * The process: runs until SIGTERM, or exits with {@link #EXIT_STREAMS_FAILED} once Kafka Streams has stopped
     * for good (its threads kept failing), so that the platform restarts it.
     */
    static void run(BeforeRules beforeRules) throws InterruptedException {
        ServiceLogs.name(NAME);
        ServiceLifecycle.runUntilShutdown(NAME, start(Settings.fromEnvironment(), beforeRules, () -> {
            log.error("{}: Kafka Streams stopped for good; exiting with status {}", NAME, EXIT_STREAMS_FAILED);
            System.exit(EXIT_STREAMS_FAILED);
        }));
    }
}
