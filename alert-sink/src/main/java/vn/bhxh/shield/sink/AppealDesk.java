package vn.bhxh.shield.sink;

import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.topic.Topic;

/**
 * Owners' appeals in the sink, started only with {@code SINK_APPEAL_KEY}: the appeals topic's reader and writer, the
 * public page ({@link AppealPage}) and the national board's review items ({@link AppealReview}).
 */
final class AppealDesk {

    static final String PER_HOUR = "SINK_APPEALS_PER_HOUR";

    private final Producer<String, Appeal> producer;
    private final AppealFollower follower;
    private final AppealPage page;
    private final AppealReview review;

    private AppealDesk(Producer<String, Appeal> producer, AppealFollower follower, AppealPage page,
                       AppealReview review) {
        this.producer = producer;
        this.follower = follower;
        this.page = page;
        this.review = review;
    }

    static AppealDesk start(Settings settings, KafkaSettings kafka, Topic<String, Appeal> topic, int partitions,
                            AppealSeal seal, BlocklistView blocklist, DashboardUsers users,
                            Producer<String, Decision> decisions, String decisionsTopic, Backoff backoff,
                            MeterRegistry metrics) {
        AppealBook book = new AppealBook();
        Producer<String, Appeal> producer = new KafkaProducer<>(
                kafka.reliableProducer(AlertSinkService.NAME + "-appeals"), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        AppealFollower follower = new AppealFollower(kafka.common(AlertSinkService.NAME + "-appeals"), topic,
                partitions, book, backoff, metrics);
        Clock clock = Clock.systemUTC();
        AppealPage page = new AppealPage(book, blocklist, seal, producer, topic.name(),
                new ClientRateLimit(settings.integer(PER_HOUR, 10)), clock, metrics);
        AppealReview review = new AppealReview(users, book, blocklist, seal, decisions, decisionsTopic, producer,
                topic.name(), clock, metrics);
        metrics.gauge("bhxh_sink_open_appeals", book, b -> b.open().size());
        AppealDesk desk = new AppealDesk(producer, follower, page, review);
        follower.start();
        return desk;
    }

    AppealFollower follower() {
        return follower;
    }

    void register(JavalinConfig config) {
        page.register(config);
        review.register(config);
    }

    void stop() {
        follower.stop();
    }

    void close() {
        follower.awaitStopped(Duration.ofSeconds(15));
        producer.close(Duration.ofSeconds(10));
    }
}
