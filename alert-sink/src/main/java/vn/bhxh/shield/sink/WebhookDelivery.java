package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.deadletter.DeadLetters;
import vn.bhxh.shield.runtime.Backoff;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.Alert;
import vn.bhxh.shield.schema.ErrorKind;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * Pushes every alert of one province to one of its webhook endpoints, in topic order, and the alerts the re-send
 * tool hands back to this endpoint. Each endpoint has its own thread and its own consumer group, so a slow or dead
 * endpoint holds up only itself; within it, alerts go one at a time so the office receives them in order.
 *
 * <p>Between attempts the alert waits in memory while the consumer's partitions are paused and it keeps polling:
 * the member stays in its group however long the retry budget (a day by default), and nothing is read past the
 * alert. Its offset is committed only once it was delivered (2xx) or dead-lettered with Kafka's acknowledgement (a
 * permanent refusal, or the budget spent): a crash or restart in between sends the same alert again, and its
 * {@code Idempotency-Key} (the alert id) and {@code webhook-id} let the receiver drop the copy.
 */
final class WebhookDelivery extends ConsumerLoop<String, Alert> {

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Webhook webhook;
    private final Webhook.RetryPolicy policy;
    private final DeadLetterWriter deadLetters;
    private final HttpClient http;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final DoubleSupplier jitter;
    // The alert being delivered, between its attempts; only the loop's thread touches it.
    private Pending pending;
    // Stopping cancels the call in flight (no thread interrupts, see ConsumerLoop).
    private volatile CompletableFuture<HttpResponse<Void>> inFlight;

    /** An alert taken from a partition and not yet delivered nor dead-lettered. */
    private static final class Pending {
        final ConsumerRecord<String, Alert> record;
        final byte[] body;
        final Instant firstAttempt;
        int attempts;
        Instant nextAttempt;

        Pending(ConsumerRecord<String, Alert> record, byte[] body, Instant firstAttempt) {
            this.record = record;
            this.body = body;
            this.firstAttempt = firstAttempt;
            this.nextAttempt = firstAttempt;
        }

        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }
    }

    WebhookDelivery(Webhook webhook, Webhook.RetryPolicy policy, Map<String, Object> consumerProps,
                    Topic<String, Alert> alerts, DeadLetterWriter deadLetters, HttpClient http,
                    Backoff backoff, MeterRegistry metrics, Clock clock, DoubleSupplier jitter) {
        // No stall limit: one step may wait out a receiver's Retry-After.
        super("webhook", "webhook-" + webhook.id(), () -> consumerFor(webhook, policy, consumerProps, alerts),
                backoff, Duration.ZERO, metrics);
        this.webhook = webhook;
        this.policy = policy;
        this.deadLetters = deadLetters;
        this.http = http;
        this.metrics = metrics;
        this.clock = clock;
        this.jitter = jitter;
        // The endpoint's series at zero from the start, so the failure alert's increase() sees the first failure.
        metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "delivered"));
        metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "dead_lettered"));
        metrics.counter("bhxh_sink_webhook_failures", tags());
        metrics.counter("bhxh_sink_webhook_retries", tags());
    }

    private static KafkaConsumer<String, Alert> consumerFor(Webhook webhook, Webhook.RetryPolicy policy,
                                                            Map<String, Object> consumerProps,
                                                            Topic<String, Alert> alerts) {
        Map<String, Object> props = new HashMap<>(consumerProps);
        // One group per endpoint, stable across restarts, so each endpoint resumes where it was.
        String endpointId = "-webhook-" + webhook.id();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, props.get(ConsumerConfig.GROUP_ID_CONFIG) + endpointId);
        // Its own client id, so its lag is not mixed with the alert consumer's on /metrics.
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, AlertSinkService.NAME + endpointId);
        props.computeIfPresent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, (key, id) -> id + endpointId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One alert per poll: the next is read only once this one is done.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // Backoffs are spent polling (paused), so between two polls comes at most one call and its dead letter
        // (the producer's delivery timeout, 2 minutes by default), never the retry budget. An operator's
        // KAFKA_CLIENT_MAX_POLL_INTERVAL_MS wins.
        props.putIfAbsent(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.max(300_000, policy.timeout().plusMinutes(3).toMillis()));
        return new KafkaConsumer<>(props, alerts.keySerde().deserializer(), alerts.valueSerde().deserializer());
    }

    @Override
    protected void begin() {
        // A restarted run has a fresh consumer, which resumes from the committed offset: the alert in hand (not
        // committed) is read again there.
        pending = null;
        consumer.subscribe(List.of(webhook.alertTopic(), Topics.WEBHOOK_REDELIVERY), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                forget(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                forget(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (pending != null) {
                    consumer.pause(partitions); // nothing is read past the alert in hand
                }
            }
        });
    }

    /** The alert's partition went to another member: it sends the alert from the committed offset. */
    private void forget(Collection<TopicPartition> partitions) {
        if (pending != null && partitions.contains(pending.partition())) {
            log.info("webhook {}: alert {} moves with its partition to another sink instance", webhook.endpoint(),
                    pending.record.value().getAlertId());
            pending = null;
            consumer.resume(consumer.paused()); // what this member keeps is read on
        }
    }

    @Override
    protected void pollOnce() {
        if (pending != null) {
            Duration wait = Duration.between(clock.instant(), pending.nextAttempt);
            if (!wait.isNegative() && !wait.isZero()) {
                keepMembership(wait.compareTo(POLL) < 0 ? wait : POLL);
            } else {
                attempt();
            }
            return;
        }
        try {
            for (ConsumerRecord<String, Alert> record : consumer.poll(POLL)) {
                if (record.value() == null || !forThisEndpoint(record)) {
                    commit(record);
                } else {
                    pending = new Pending(record, SinkJson.write(SinkJson.webhookAlert(record.value()))
                            .getBytes(StandardCharsets.UTF_8), clock.instant());
                    consumer.pause(consumer.assignment());
                    attempt();
                }
            }
            progressed();
        } catch (RecordDeserializationException e) {
            // Read again while the registry does not answer. One that can never be decoded: the alert consumer
            // dead-letters it (once; each endpoint would add a copy), and nothing here could be sent anyway.
            undecodable(e, permanent -> ConsumerMetrics.undecodable(metrics, "webhook",
                    permanent.topicPartition().topic()));
        }
    }

    /** Alert topics are all ours; a re-send is ours if the tool addressed it to this endpoint. */
    private boolean forThisEndpoint(ConsumerRecord<String, Alert> record) {
        if (!record.topic().equals(Topics.WEBHOOK_REDELIVERY)) {
            return true;
        }
        Header target = record.headers().lastHeader(DeadLetters.WEBHOOK_ENDPOINT_ID_HEADER);
        return target != null && webhook.id().equals(new String(target.value(), StandardCharsets.UTF_8));
    }

    /**
     * Polls with every partition paused, which returns nothing and keeps the member in its group. Should a
     * rebalance have handed it a partition the listener could not pause in time, what came is read again later.
     */
    private void keepMembership(Duration wait) {
        ConsumerRecords<String, Alert> records = consumer.poll(wait);
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
            consumer.pause(List.of(partition));
        }
    }

    /** One call; then delivered, dead-lettered, or scheduled again. Nothing is committed if the sink stops. */
    @SuppressWarnings("try") // the MDC scope is used by being open
    private void attempt() {
        Pending alert = pending;
        String alertId = alert.record.value().getAlertId();
        try (var logs = CorrelationId.inLogs(AlertConsumer.correlationId(alert.record))) {
            if (!running()) {
                return; // stop() may have cancelled the previous call already: start no new one
            }
            alert.attempts++;
            if (alert.attempts > 1) {
                metrics.counter("bhxh_sink_webhook_retries", tags()).increment();
            }
            HttpResponse<Void> response;
            String failure;
            try {
                inFlight = http.sendAsync(request(alert, clock.instant()), HttpResponse.BodyHandlers.discarding());
                response = inFlight.get();
                int status = response.statusCode();
                if (status / 100 == 2) {
                    metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "delivered")).increment();
                    log.info("webhook {} of {} took alert {} {} (attempt {}, HTTP {})", webhook.endpoint(),
                            webhook.province(), alertId, alert.record.value().getLevel(), alert.attempts, status);
                    done();
                    return;
                }
                failure = "HTTP " + status;
                if (!Webhook.RetryPolicy.retryable(status)) {
                    metrics.counter("bhxh_sink_webhook_failures", tags()).increment();
                    deadLetter(alert, "webhook " + webhook.endpoint() + " of " + webhook.province()
                            + " refused alert " + alertId + " with " + failure + " (permanent: not retried)");
                    return;
                }
            } catch (CancellationException | InterruptedException e) {
                return; // stopping: not committed, so the next start sends this alert again
            } catch (ExecutionException e) {
                response = null;
                failure = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
            }
            metrics.counter("bhxh_sink_webhook_failures", tags()).increment();
            Instant now = clock.instant();
            Optional<Duration> retryAfter = response == null ? Optional.empty()
                    : Webhook.RetryPolicy.retryAfter(response.headers().firstValue("Retry-After"), now);
            Optional<Instant> next = policy.nextAttempt(alert.attempts, alert.firstAttempt, now, retryAfter,
                    jitter.getAsDouble());
            if (next.isEmpty()) {
                deadLetter(alert, "webhook " + webhook.endpoint() + " of " + webhook.province() + " did not take"
                        + " alert " + alertId + " within the retry budget " + policy.budget() + " ("
                        + alert.attempts + " attempts); last: " + failure);
                return;
            }
            alert.nextAttempt = next.get();
            log.warn("webhook {} attempt {} for alert {} failed: {}; next in {} ms", webhook.endpoint(),
                    alert.attempts, alertId, failure, Duration.between(now, alert.nextAttempt).toMillis());
        }
    }

    private HttpRequest request(Pending alert, Instant now) {
        String alertId = alert.record.value().getAlertId();
        String deliveryId = webhook.deliveryId(alertId);
        long timestamp = now.getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(webhook.url());
        String correlationId = AlertConsumer.correlationId(alert.record);
        if (correlationId != null) {
            request.header(CorrelationId.HTTP_HEADER, correlationId);
        }
        return request
                .timeout(policy.timeout())
                .header("Content-Type", "application/json; charset=utf-8")
                .header("webhook-id", deliveryId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", webhook.signature(deliveryId, timestamp, alert.body))
                .header("X-BHXH-Signature-256", webhook.legacySignature(alert.body))
                .header("Idempotency-Key", alertId)
                .header("X-BHXH-Province", webhook.province())
                .header("X-BHXH-Delivery-Attempt", Integer.toString(alert.attempts))
                .POST(HttpRequest.BodyPublishers.ofByteArray(alert.body))
                .build();
    }

    /**
     * The alert's record as read (its Avro bytes stay in the topic; the re-send tool copies them from there), the
     * body that was refused, and which endpoint refused it, in headers the re-send tool selects by.
     */
    private void deadLetter(Pending alert, String reason) {
        ConsumerRecord<String, Alert> record = alert.record;
        var origin = new DeadLetters.Origin(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), alert.body);
        deadLetters.write(origin, ErrorKind.DELIVERY, reason, null, List.of(
                header(DeadLetters.WEBHOOK_ENDPOINT_ID_HEADER, webhook.id()),
                header(DeadLetters.WEBHOOK_ENDPOINT_HEADER, webhook.endpoint()),
                header(DeadLetters.WEBHOOK_PROVINCE_HEADER, webhook.province())));
        metrics.counter("bhxh_sink_webhook_deliveries", tags("outcome", "dead_lettered")).increment();
        done();
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Commits past the alert in hand and reads on. */
    private void done() {
        commit(pending.record);
        pending = null;
        consumer.resume(consumer.paused());
    }

    private void commit(ConsumerRecord<String, Alert> record) {
        consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1)));
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

    @Override
    void stop() {
        super.stop();
        CompletableFuture<HttpResponse<Void>> call = inFlight;
        if (call != null) {
            call.cancel(true);
        }
    }
}
