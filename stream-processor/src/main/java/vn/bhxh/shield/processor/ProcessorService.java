package vn.bhxh.shield.processor;

import io.javalin.http.Context;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.kstream.KStream;
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
    // Assigned once the HTTP port is bound, because application.server must name it; read by the handlers.
    private volatile KafkaStreams streams;
    private volatile IndicatorLookup lookup;
    private KafkaStreamsMetrics streamsMetrics;
    private final ScheduledExecutorService metricsRefresh = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "kafka-metrics-refresh");
        thread.setDaemon(true);
        return thread;
    });

    private ProcessorService(ProcessorConfig config) {
        this.metrics = ServiceMetrics.create(NAME);
        Topics topics = new Topics(new SchemaRegistryClient(config.kafka().schemaRegistryUrl()));
        this.kafka = new KafkaConnectivityCheck(config.kafka().common(NAME + "-health"));
        seedAllowlist(config, topics);

        HealthCheck running = () -> streams != null && streams.state() == KafkaStreams.State.RUNNING
                ? HealthCheck.Status.up("streams RUNNING")
                : HealthCheck.Status.down("streams " + (streams == null ? "not created" : streams.state()));
        health.ready("kafka", kafka).ready("streams", running);
        this.http = ServiceHttpServer.start(NAME, config.httpPort(), metrics, health,
                javalin -> {
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
        buildTopology(builder, topics, config.rules(), new ProcessorMetrics(metrics));
        KafkaStreams created = new KafkaStreams(builder.build(), new StreamsConfig(config.streamsProperties(http.port())));
        created.setStateListener((now, before) -> log.info("streams {} -> {}", before, now));
        // A failed task (e.g. the registry briefly unreachable) is retried on a fresh thread; exactly-once
        // aborts its open transaction, so nothing is written twice.
        created.setUncaughtExceptionHandler(e -> {
            log.error("stream thread failed, replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(created, List.of(), metricsRefresh, METRICS_REFRESH);
        streamsMetrics.bindTo(metrics);
        this.streams = created;
        this.lookup = new IndicatorLookup(created, new HostInfo(config.advertisedHost(), http.port()),
                config.rules());
        created.start();
    }

    private void whenStarted(Context ctx, LookupHandler handler) throws Exception {
        IndicatorLookup ready = lookup;
        if (ready == null) {
            ctx.status(503).result("starting");
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
        KStream<String, IndicatorInput> reports = ReportExplosionFlow.buildTopology(
                ReportIntakeFlow.buildTopology(builder, topics, metrics), topics, metrics);
        KStream<String, IndicatorInput> decisions = DecisionIntakeFlow.buildTopology(builder, topics, metrics);
        IndicatorFlow.buildTopology(builder, topics, reports.merge(decisions), rules, metrics);
    }

    /**
     * Writes the versioned official channels to the compacted allowlist before processing starts. The entries
     * are deterministic, so seeding at every start only re-writes what compaction collapses; channels added at run
     * time by ALLOWLIST decisions are other keys and are left alone.
     */
    /**
     * Writes the official channels to the allowlist topic. The registry or broker may still be starting, or be slow,
     * when the processor starts; seeding is idempotent (the same keys and values on a compacted topic), so it is
     * retried for a while rather than failing the start.
     */
    private static void seedAllowlist(ProcessorConfig config, Topics topics) {
        long deadline = System.nanoTime() + SEED_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                writeAllowlist(config, topics);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                log.warn("seeding {} failed (attempt {}), retrying: {}", Topics.ALLOWLIST, attempt, e.toString());
                try {
                    Thread.sleep(Math.min(1_000L * attempt, 5_000L));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while seeding " + Topics.ALLOWLIST, interrupted);
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

    public static ProcessorService start(Settings settings) {
        return new ProcessorService(ProcessorConfig.from(settings));
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
        // Leave the group on purpose: Kafka Streams stays in it by default to ride out quick bounces, which makes
        // a restarted instance wait out the session timeout before it gets its tasks back.
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streamsMetrics.close();
        metricsRefresh.shutdownNow();
        kafka.close();
        metrics.close();
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceLogs.name(NAME);
        ServiceLifecycle.runUntilShutdown(NAME, start(Settings.fromEnvironment()));
    }
}
