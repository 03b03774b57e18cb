package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topic;

/**
 * Pushes every alert of one province to one of its webhook endpoints, in topic order. Each endpoint has its own
 * thread and its own consumer group, so a slow or dead endpoint holds up only itself; within it, alerts go one at
 * a time so the office receives them in order. An alert's offset is committed only once it was delivered (2xx) or,
 * after the retry budget, dead-lettered with Kafka's acknowledgement: a crash in between re-sends it, and the
 * {@code Idempotency-Key} (the alert id) lets the receiver drop the copy.
 */
final class WebhookDelivery extends ConsumerLoop<String, Alert> {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Webhook webhook;
    private final Webhook.RetryBudget budget;
    private final DeadLetterWriter deadLetters;
    private final HttpClient http;
    private final MeterRegistry metrics;
    // Stopping also wakes a backoff wait and cancels the call in flight (no thread interrupts, see ConsumerLoop).
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile CompletableFuture<HttpResponse<Void>> inFlight;

    WebhookDelivery(Webhook webhook, Webhook.RetryBudget budget, Map<String, Object> consumerProps,
                    Topic<String, Alert> alerts, DeadLetterWriter deadLetters, HttpClient http,
                    Backoff backoff, MeterRegistry metrics) {
        // No stall limit: one step is one alert's whole retry budget.
        super("webhook", "webhook-" + webhook.province() + "-" + shortHash(webhook.url().toString()),
                () -> consumerFor(webhook, budget, consumerProps, alerts), backoff, Duration.ZERO, metrics);
        this.webhook = webhook;
        this.budget = budget;
        this.deadLetters = deadLetters;
        this.http = http;
        this.metrics = metrics;
        // The endpoint's series at zero from the start, so the failure alert's increase() sees the first failure.
        metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "delivered"));
        metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "dead_lettered"));
        metrics.counter("bhxh_sink_webhook_failures", tags());
        metrics.counter("bhxh_sink_webhook_retries", tags());
    }

    private static KafkaConsumer<String, Alert> consumerFor(Webhook webhook, Webhook.RetryBudget budget,
                                                            Map<String, Object> consumerProps,
                                                            Topic<String, Alert> alerts) {
        Map<String, Object> props = new HashMap<>(consumerProps);
        // One group per endpoint, stable across restarts, so each endpoint resumes where it was.
        String endpointId = "-webhook-" + webhook.province() + "-" + shortHash(webhook.url().toString());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, props.get(ConsumerConfig.GROUP_ID_CONFIG) + endpointId);
        // Its own client id, so its lag is not mixed with the alert consumer's on /metrics.
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, AlertSinkService.NAME + endpointId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One alert per poll, so the retry budget of that one alert is all that must fit in the poll interval.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, budget.worstCase().plusMinutes(1).toMillis()));
        return new KafkaConsumer<>(props, alerts.keySerde().deserializer(), alerts.valueSerde().deserializer());
    }

    @Override
    protected void begin() {
        consumer.subscribe(List.of(webhook.alertTopic()));
    }

    @Override
    protected void pollOnce() {
        try {
            for (ConsumerRecord<String, Alert> record : consumer.poll(POLL)) {
                if (record.value() != null && !deliverOrDeadLetter(record, AlertConsumer.correlationId(record))) {
                    return; // stopping: not committed, so the next start sends this alert again
                }
                consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                        new OffsetAndMetadata(record.offset() + 1)));
            }
            progressed();
        } catch (RecordDeserializationException e) {
            // Read again while the registry does not answer. One that can never be decoded: the alert consumer
            // dead-letters it (once; each endpoint would add a copy), and nothing here could be sent anyway.
            undecodable(e, permanent -> ConsumerMetrics.undecodable(metrics, "webhook",
                    permanent.topicPartition().topic()));
        }
    }

    /**
     * True once the alert was delivered or dead-lettered; false if the sink is stopping. The receiver gets the
     * correlation id in {@code X-Correlation-Id}, and every line logged meanwhile has it.
     */
    @SuppressWarnings("try") // the MDC scope is used by being open
    private boolean deliverOrDeadLetter(ConsumerRecord<String, Alert> record, String correlationId) {
        try (var logs = CorrelationId.inLogs(correlationId)) {
            return attempt(record, correlationId);
        }
    }

    private boolean attempt(ConsumerRecord<String, Alert> record, String correlationId) {
        byte[] body = SinkJson.write(SinkJson.alert(record.value())).getBytes(StandardCharsets.UTF_8);
        String lastFailure = "";
        for (int attempt = 1; attempt <= budget.maxAttempts(); attempt++) {
            if (attempt > 1) {
                metrics.counter("bhxh_sink_webhook_retries", tags()).increment();
                if (awaitStop(budget.backoffAfter(attempt - 1, ThreadLocalRandom.current().nextDouble()))) {
                    return false;
                }
            }
            inFlight = http.sendAsync(request(record.value(), body, attempt, correlationId),
                    HttpResponse.BodyHandlers.discarding());
            try {
                int status = inFlight.get().statusCode();
                if (status / 100 == 2) {
                    metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "delivered")).increment();
                    log.info("webhook {} of {} took alert {} {} (attempt {}, HTTP {})", webhook.endpoint(),
                            webhook.province(), record.value().getAlertId(), record.value().getLevel(), attempt, status);
                    return true;
                }
                lastFailure = "HTTP " + status;
            } catch (CancellationException | InterruptedException e) {
                return false;
            } catch (ExecutionException e) {
                lastFailure = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            }
            metrics.counter("bhxh_sink_webhook_failures", tags()).increment();
            log.warn("webhook {} attempt {}/{} for alert {} failed: {}", webhook.endpoint(), attempt,
                    budget.maxAttempts(), record.value().getAlertId(), lastFailure);
        }
        deadLetter(record, "webhook " + webhook.endpoint() + " of " + webhook.province() + " refused alert "
                + record.value().getAlertId() + " " + budget.maxAttempts() + " times; last: " + lastFailure, body);
        return true;
    }

    private boolean awaitStop(Duration backoff) {
        try {
            return stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private HttpRequest request(Alert alert, byte[] body, int attempt, String correlationId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url());
        if (correlationId != null) {
            request.header(CorrelationId.HTTP_HEADER, correlationId);
        }
        return request
                .timeout(budget.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("X-BHXH-Signature-256", webhook.signature(body))
                .header("Idempotency-Key", alert.getAlertId())
                .header("X-BHXH-Province", webhook.province())
                .header("X-BHXH-Delivery-Attempt", Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private void deadLetter(ConsumerRecord<String, Alert> record, String reason, byte[] body) {
        var origin = new DeadLetters.Origin(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), body);
        deadLetters.write(origin, ErrorKind.DELIVERY, reason, null);
        metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "dead_lettered")).increment();
    }

    private String[] tags(String... more) {
        String[] tags = new String[4 + more.length];
        tags[0] = "province";
        tags[1] = webhook.province();
        tags[2] = "endpoint";
        tags[3] = webhook.endpoint();
        System.arraycopy(more, 0, tags, 4, more.length);
        return tags;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    void stop() {
        stopping.countDown();
        super.stop();
        CompletableFuture<HttpResponse<Void>> call = inFlight;
        if (call != null) {
            call.cancel(true);
        }
    }
}
