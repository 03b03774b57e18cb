package vn.bhxh.shield.sink;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.Health;
import vn.bhxh.shield.runtime.KafkaConnectivityCheck;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.ServiceHttpServer;
import vn.bhxh.shield.runtime.ServiceLifecycle;
import vn.bhxh.shield.runtime.ServiceLogs;
import vn.bhxh.shield.runtime.ServiceMetrics;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.DeadLetter;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * alert-sink: follows every alert topic and routes alerts to the provincial offices; serves telecom partners the
 * blocklist and citizens their check of a number or link. HTTP (dashboard, partner feed, citizens' check, health,
 * metrics) on {@code SINK_HTTP_PORT} (8082).
 */
public final class AlertSinkService implements AutoCloseable {

    public static final String NAME = "alert-sink";
    private static final Logger log = LoggerFactory.getLogger(AlertSinkService.class);

    private final PrometheusMeterRegistry metrics;
    private final KafkaConnectivityCheck kafka;
    private final Producer<String, DeadLetter> deadLetterProducer;
    /**
     * Every reading loop: the alert consumer, the webhook deliveries, the blocklist, do-not-originate and board
     * followers.
     */
    private final List<ConsumerLoop<?, ?>> loops = new ArrayList<>();
    private final Producer<String, Decision> decisionProducer;
    private final CampaignWriter campaignWriter;
    private final Optional<AppealDesk> appeals;
    private final ServiceHttpServer http;

    private AlertSinkService(Settings settings) {
        KafkaSettings kafkaSettings = KafkaSettings.from(settings);
        Topics topics = new Topics(kafkaSettings.schemaRegistry());
        Topic<String, Alert> alertTopic = topics.nationalAlerts();
        Topic<String, DeadLetter> deadLetters = topics.deadLetters();
        this.metrics = ServiceMetrics.create(NAME);
        Backoff backoff = Backoff.fromSettings(settings, "SINK_");

        Map<String, Object> consumerProps = kafkaSettings.common(NAME);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, settings.string("SINK_GROUP_ID", "bhxh-alert-sink"));
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // New alert topics (a province's first alert) are picked up within this interval.
        consumerProps.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 30_000);
        // Static membership: restarted with the same id, each consumer takes its partitions back at once instead of
        // waiting for its group to time the dead one out; each group's consumer suffixes the id with its group.
        // The session timeout is then how long an instance that never comes back keeps its partitions.
        settings.find("SINK_INSTANCE_ID").filter(id -> !id.isBlank())
                .ifPresent(id -> consumerProps.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        consumerProps.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                settings.integer("SINK_SESSION_TIMEOUT_MS", 15_000));
        Map<String, Object> alertConsumerProps = new HashMap<>(consumerProps);
        alertConsumerProps.computeIfPresent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, (key, id) -> id + "-alerts");

        this.deadLetterProducer = new KafkaProducer<>(kafkaSettings.reliableProducer(NAME + "-dead-letters"),
                deadLetters.keySerde().serializer(), deadLetters.valueSerde().serializer());
        DeadLetterWriter deadLetterWriter = new DeadLetterWriter(deadLetterProducer, deadLetters.name(), metrics);
        loops.add(new AlertConsumer(() -> new KafkaConsumer<>(alertConsumerProps, alertTopic.keySerde().deserializer(),
                alertTopic.valueSerde().deserializer()), deadLetterWriter,
                record -> log.info("alert {} {} {} on {}", record.value().getAlertId(), record.value().getLevel(),
                        record.value().getIndicator(), record.topic()),
                backoff, metrics));

        Webhook.RetryPolicy retries = Webhook.RetryPolicy.fromSettings(settings);
        HttpClient webhookClient = HttpClient.newBuilder().connectTimeout(retries.timeout()).build();
        for (Webhook webhook : Webhook.fromSettings(settings)) {
            loops.add(new WebhookDelivery(webhook, retries, consumerProps, alertTopic, deadLetterWriter,
                    webhookClient, backoff, metrics, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble()));
        }

        BlocklistView blocklist = new BlocklistView(partitions(Topics.BLOCKLIST), partitions(Topics.ALLOWLIST),
                tombstoneRetention(), Clock.systemUTC());
        loops.add(new BlocklistFollower(kafkaSettings.common(NAME + "-blocklist"), topics.blocklist(),
                topics.allowlist(), partitions(Topics.BLOCKLIST), partitions(Topics.ALLOWLIST), blocklist, backoff,
                metrics));
        metrics.gauge("bhxh_sink_blocklist_entries", blocklist, BlocklistView::size);
        DoNotOriginateView doNotOriginate = new DoNotOriginateView(partitions(Topics.DO_NOT_ORIGINATE));
        loops.add(new DoNotOriginateFollower(kafkaSettings.common(NAME + "-do-not-originate"),
                topics.doNotOriginate(), partitions(Topics.DO_NOT_ORIGINATE), doNotOriginate, backoff, metrics));
        PartnerFeed partnerFeed = new PartnerFeed(blocklist, doNotOriginate,
                Partners.parse(settings.string("SINK_PARTNER_KEYS", "")), metrics,
                settings.integer("SINK_PARTNER_LOOKUP_MAX", 10_000));
        CitizenPage citizenPage = new CitizenPage(blocklist, settings.integer(CitizenPage.PER_MINUTE, 30), metrics);

        // The board's trend chart covers the days it replays: 30 by default, the month an office reports on.
        int boardDays = settings.integer("SINK_DASHBOARD_REPLAY_DAYS", 30);
        AlertBoard board = new AlertBoard(settings.integer("SINK_DASHBOARD_ALERTS_PER_PROVINCE", 1_000),
                Duration.parse(settings.string("SINK_REVIEW_OVERDUE_AFTER", "PT24H")), boardDays, Clock.systemUTC());
        loops.add(new BoardFollower(kafkaSettings.common(NAME + "-board"), alertTopic, topics.decisions(),
                board, Duration.ofDays(boardDays), backoff, metrics));
        WeeklyTrendBook trendBook = new WeeklyTrendBook();
        loops.add(new TrendFollower(kafkaSettings.common(NAME + "-trends"), topics.trends(),
                IntStream.range(0, partitions(Topics.TRENDS)).mapToObj(p -> new TopicPartition(Topics.TRENDS, p))
                        .toList(), trendBook, backoff, metrics));
        loops.forEach(ConsumerLoop::start);
        metrics.gauge("bhxh_sink_connected_dashboards", board, AlertBoard::connectedDashboards);
        Topic<String, Decision> decisions = topics.decisions();
        this.decisionProducer = new KafkaProducer<>(kafkaSettings.reliableProducer(NAME + "-decisions"),
                decisions.keySerde().serializer(), decisions.valueSerde().serializer());
        // One transactional id per replica, stable across its restarts (the pod's name in the StatefulSet).
        this.campaignWriter = new CampaignWriter(kafkaSettings.reliableProducer(NAME + "-campaigns"),
                settings.string(CampaignWriter.TRANSACTIONAL_ID, settings.string("SINK_GROUP_ID", "bhxh-alert-sink")
                        + "-campaigns-" + settings.find("SINK_INSTANCE_ID").filter(id -> !id.isBlank())
                        .orElseGet(AlertSinkService::hostName)),
                decisions.keySerde().serializer(), decisions.valueSerde().serializer(), decisions.name());
        DashboardUsers users = DashboardUsers.fromSettings(settings, Clock.systemUTC());
        TrendsPanel trends = new TrendsPanel(users, trendBook, settings.integer(TrendsPanel.WEEKS_SHOWN, 12),
                Clock.systemUTC(), metrics);
        Dashboard dashboard = new Dashboard(users, board, decisionProducer, decisions.name(), campaignWriter,
                URI.create(settings.string("PROCESSOR_URL", "http://localhost:8083")));

        this.appeals = AppealSeal.fromSettings(settings).map(seal -> AppealDesk.start(settings, kafkaSettings,
                topics.appeals(), partitions(Topics.APPEALS), seal, blocklist, users, decisionProducer, decisions.name(),
                backoff, metrics));
        if (appeals.isEmpty()) {
            log.warn("owners' appeals are off: {} is not set", AppealSeal.KEY_SETTING);
        }

        this.kafka = new KafkaConnectivityCheck(kafkaSettings.common(NAME + "-health"));
        Health health = new Health().ready("kafka", kafka);
        loops.forEach(loop -> loop.registerIn(health));
        appeals.ifPresent(desk -> desk.follower().registerIn(health));
        this.http = ServiceHttpServer.start(NAME, settings.integer("SINK_HTTP_PORT", 8082), metrics, health,
                config -> {
                    partnerFeed.register(config);
                    citizenPage.register(config);
                    dashboard.register(config);
                    trends.register(config);
                    appeals.ifPresent(desk -> desk.register(config));
                });
    }

    private static int partitions(String topic) {
        return Topics.specs().stream().filter(spec -> spec.name().equals(topic)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no spec for " + topic)).partitions();
    }

    /** The blocklist and allowlist topics' {@code delete.retention.ms}: how long a lifted listing is still told. */
    private static Duration tombstoneRetention() {
        return Topics.specs().stream().filter(spec -> spec.name().equals(Topics.BLOCKLIST)).findFirst()
                .map(spec -> Duration.ofMillis(Long.parseLong(spec.configs().get("delete.retention.ms"))))
                .orElseThrow(() -> new IllegalStateException("no spec for " + Topics.BLOCKLIST));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "local";
        }
    }

    public static AlertSinkService start(Settings settings) {
        return new AlertSinkService(settings);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() throws InterruptedException {
        http.close();
        loops.forEach(ConsumerLoop::stop);
        appeals.ifPresent(AppealDesk::stop);
        for (ConsumerLoop<?, ?> loop : loops) {
            loop.awaitStopped(Duration.ofSeconds(15));
        }
        deadLetterProducer.close(Duration.ofSeconds(10));
        appeals.ifPresent(AppealDesk::close);
        decisionProducer.close(Duration.ofSeconds(10));
        campaignWriter.close();
        kafka.close();
        metrics.close();
    }

    public static void main(String[] args) throws InterruptedException {
        ServiceLogs.name(NAME);
        ServiceLifecycle.runUntilShutdown(NAME, start(Settings.fromEnvironment()));
    }
}
