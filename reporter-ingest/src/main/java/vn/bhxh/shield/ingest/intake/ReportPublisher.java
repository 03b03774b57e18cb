package vn.bhxh.shield.ingest.intake;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.HealthCheck;
import vn.bhxh.shield.runtime.TransactionalProducers;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.ReportRecords;
import vn.bhxh.shield.topic.Topic;

/**
 * Writes reports (each with its request's correlation id as a record header, for whoever follows it without
 * decoding the value), their per-indicator records ({@link IndicatorEvents}: keyed by canonical indicator and
 * stamped with the report's event time, what the processor reads without a repartition), and the idempotency records
 * that go with them, in Kafka transactions: either all are visible to read_committed consumers or none, so a
 * recorded Idempotency-Key always has its report, and a report always has its indicator records. {@link #publish}
 * completes only once the transaction is committed (acks=all), which is when a caller may answer 202; the caller's
 * thread is free meanwhile (an HTTP request waits for its commit without holding a server thread).
 * <p>
 * Group commit: callers queue their records and a writer thread puts every request waiting at that moment into
 * one transaction, so a commit's round trips are paid once per batch rather than once per request. Two writers,
 * each with its own transactional producer, take turns: while one waits for its commit, the other already sends the
 * requests that arrived meanwhile, so a request waits for at most the end of one commit, not of two. (A transactional
 * producer has one transaction open at a time; overlapping them takes a second producer. A report and its records
 * are in one transaction, so their order across the two does not matter; one Idempotency-Key is never in two at once,
 * see {@link OneWritePerKey}.) A failed transaction fails every request of its batch, and
 * none of its records become visible. Values are serialised on the callers' threads, so a record that does not
 * encode fails only its own request and the writer does nothing but talk to Kafka. A request that no transaction
 * has taken within max.block.ms fails (Kafka is slow): a sweeper removes it from the queue.
 * <p>
 * Any failure throws the writer's producer away: its next batch builds a new one whose {@code initTransactions}
 * fences and aborts whatever the old one left open. That is simpler and safer than telling which errors leave a
 * transactional producer usable, and failures are rare (Kafka down) and slow anyway.
 */
public final class ReportPublisher implements HealthCheck, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportPublisher.class);
    /** The {@code province} tag of reports that name none (fanpage messages). */
    static final String NO_PROVINCE = "none";
    private static final String WRITTEN = "ingest_reports_written";
    /** Requests per transaction at most: bounds the transaction's size and the latency of its first request. */
    private static final int MAX_BATCH = 1_000;
    /** Writers taking turns: while one commits, the other fills the next transaction; a third would only split batches. */
    private static final int WRITERS = 2;

    /**
     * One request's records, the counters its reports add to once committed, when it was queued (nanoTime) and the
     * promise of their commit.
     */
    private record Pending(List<ProducerRecord<String, byte[]>> records, List<Counter> written, long queuedAt,
                           CompletableFuture<Void> committed) {
    }

    private final Function<String, Producer<String, byte[]>> producers;
    private final ReportRecords reportRecords;
    private final Topic<String, String> idempotency;
    private final Duration queueWait;
    private final Timer latency;
    private final DistributionSummary batchSize;
    private final MeterRegistry metrics;
    /** {@code ingest_reports_written} by channel, then province slug (or {@link #NO_PROVINCE}): looked up per report. */
    private final Map<Channel, Map<String, Counter>> written = new EnumMap<>(Channel.class);
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Writer> writers = new ArrayList<>();
    /**
     * Completes a committed batch's requests, which answers them (their HTTP replies are written by whoever completes
     * the future): on its own thread, so the writer starts the next transaction meanwhile.
     */
    private final ExecutorService replies = Executors.newSingleThreadExecutor(daemon("report-publisher-replies"));
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            daemon("report-publisher-sweeper"));
    private volatile boolean running = true;

    /**
     * @param transactionalId the first writer's; the second's adds "-2" (the first keeps the id of the builds with
     *                        one writer, so an upgrade still fences what the old instance left open)
     * @param reportRecords   what each report becomes: the report and its indicator records
     */
    public ReportPublisher(Map<String, Object> reliableProducer, String transactionalId, ReportRecords reportRecords,
                           Topic<String, String> idempotency, MeterRegistry metrics) {
        // Fail fast rather than hold an operator on the phone (the id is each writer's own, set below).
        Map<String, Object> props = TransactionalProducers.failFast(reliableProducer, transactionalId);
        // The commit flushes the batch anyway; a short linger only lets records of one partition share a request.
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // Transactions follow each other closely: the next one's first send to a partition is often refused
        // (CONCURRENT_TRANSACTIONS) while the broker still writes the last one's commit markers; retry it after
        // 10 ms rather than the default 100, which every request of the batch would wait.
        props.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
        this.queueWait = Duration.ofMillis(Long.parseLong(props.get(ProducerConfig.MAX_BLOCK_MS_CONFIG).toString()));
        Serializer<String> keys = idempotency.keySerde().serializer();
        this.producers = id -> {
            Map<String, Object> withId = new HashMap<>(props);
            withId.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
            return TransactionalProducers.open(withId, keys, new ByteArraySerializer());
        };
        this.metrics = metrics;
        this.reportRecords = reportRecords;
        this.idempotency = idempotency;
        this.latency = Timer.builder("ingest_produce_latency")
                .description("From the start of a Kafka transaction to its commit; one transaction per batch")
                .publishPercentileHistogram()
                .register(metrics);
        this.batchSize = DistributionSummary.builder("ingest_transaction_requests")
                .description("Requests committed together in one Kafka transaction (group commit)")
                .register(metrics);
        // Every channel and province at zero from the start, so a dashboard's rate() sees the first report.
        for (Channel channel : Channel.values()) {
            Map<String, Counter> byProvince = new ConcurrentHashMap<>();
            byProvince.put(NO_PROVINCE, writtenCounter(channel, NO_PROVINCE));
            for (Province province : Provinces.all()) {
                byProvince.put(province.slug(), writtenCounter(channel, province.slug()));
            }
            written.put(channel, byProvince);
        }
        for (int i = 0; i < WRITERS; i++) {
            writers.add(new Writer(i == 0 ? transactionalId : transactionalId + "-" + (i + 1),
                    i == 0 ? "report-publisher" : "report-publisher-" + (i + 1)));
        }
        writers.forEach(writer -> writer.thread.start());
        long sweepEvery = Math.max(1, queueWait.toMillis() / 20);
        sweeper.scheduleWithFixedDelay(this::failStale, sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
    }

    /**
     * Reports (key: report id), their indicator records (key: canonical indicator) and idempotency records (scoped
     * key to the stored reply), committed together; returns once they are (the HTTP endpoints use {@link #write}).
     */
    public void publish(List<Report> reports, Map<String, String> idempotencyRecords) {
        try {
            write(reports, idempotencyRecords).get();
        } catch (ExecutionException e) {
            throw (KafkaUnavailableException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailableException("interrupted", e);
        }
    }

    /**
     * The same, without waiting: the future completes when the transaction is committed, or fails with a
     * {@link KafkaUnavailableException} when it is not (Kafka unreachable, or no transaction took the records within
     * max.block.ms). A record that does not encode fails here, before anything is queued.
     */
    public CompletableFuture<Void> write(List<Report> reports, Map<String, String> idempotencyRecords) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(3 * reports.size() + idempotencyRecords.size());
        List<Counter> counters = new ArrayList<>(reports.size());
        try {
            for (Report report : reports) {
                records.addAll(reportRecords.of(report));
                // Every slug is registered up front; one that is not (a province added later) is registered once.
                counters.add(written.get(report.getChannel()).computeIfAbsent(
                        report.getProvince() == null ? NO_PROVINCE : report.getProvince(),
                        province -> writtenCounter(report.getChannel(), province)));
            }
            Serializer<String> strings = idempotency.valueSerde().serializer();
            idempotencyRecords.forEach((key, reply) -> records.add(new ProducerRecord<>(idempotency.name(), key,
                    strings.serialize(idempotency.name(), reply))));
        } catch (RuntimeException e) { // the registry unreachable, most likely
            throw unavailable(e);
        }
        if (!running) {
            throw new KafkaUnavailableException("shutting down", null);
        }
        Pending pending = new Pending(records, counters, System.nanoTime(), new CompletableFuture<>());
        queue.add(pending);
        return pending.committed();
    }

    private Counter writtenCounter(Channel channel, String province) {
        return Counter.builder(WRITTEN)
                .description("Reports committed to Kafka, by channel and province (slug, or none)")
                .tags("channel", channel.name(), "province", province)
                .register(metrics);
    }

    /**
     * Fails the requests no transaction has taken within max.block.ms (the queue is in arrival order, so it stops at
     * the first younger one). One the writer has taken ends with its transaction, within the producer's timeouts.
     */
    private void failStale() {
        long now = System.nanoTime();
        for (Pending pending : queue) {
            if (now - pending.queuedAt() < queueWait.toNanos()) {
                return;
            }
            if (queue.remove(pending)) {
                pending.committed().completeExceptionally(
                        new KafkaUnavailableException("Kafka is slow: earlier transactions still pending", null));
            }
        }
    }

    /** One transactional producer and the thread that fills and commits its transactions. */
    private final class Writer {

        private final String transactionalId;
        private final Thread thread;
        /** Whether its transactional producer is open: without one, its batches wait for it or fail. */
        private volatile boolean ready;
        // Used only by its thread.
        private Producer<String, byte[]> producer;
        private KafkaClientMetrics producerMetrics;

        Writer(String transactionalId, String threadName) {
            this.transactionalId = transactionalId;
            this.thread = new Thread(this::writeBatches, threadName);
            thread.setDaemon(true);
        }

        private void writeBatches() {
            List<Pending> batch = new ArrayList<>();
            try {
                while (running || !queue.isEmpty()) {
                    Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        warmUp();
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    List<Pending> done = batch;
                    batch = new ArrayList<>();
                    try {
                        latency.record(() -> transact(done));
                        batchSize.record(done.size());
                        replies.execute(() -> done.forEach(pending -> {
                            pending.written().forEach(Counter::increment);
                            pending.committed().complete(null);
                        }));
                    } catch (KafkaUnavailableException e) {
                        replies.execute(() -> done.forEach(pending -> pending.committed().completeExceptionally(e)));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                log.error("report publisher {} stopped", transactionalId, e);
                batch.forEach(pending -> pending.committed().completeExceptionally(unavailable(e)));
                running = false;
            } finally {
                queue.forEach(pending -> pending.committed().completeExceptionally(
                        new KafkaUnavailableException("shutting down", null)));
                closeProducer(Duration.ofSeconds(10));
            }
        }

        private void transact(List<Pending> batch) {
            try {
                openProducer();
                producer.beginTransaction();
                for (Pending pending : batch) {
                    pending.records().forEach(producer::send);
                }
                producer.commitTransaction();
            } catch (RuntimeException e) {
                closeProducer(Duration.ZERO);
                throw unavailable(e);
            }
        }

        /**
         * While idle, gets a producer ready for the next request: finding the transaction coordinator takes seconds
         * on a fresh broker or after an outage, which would otherwise be the first request's wait.
         */
        private void warmUp() {
            if (producer == null && running) {
                try {
                    openProducer();
                } catch (RuntimeException e) {
                    log.warn("no transactional producer {} yet, trying again: {}", transactionalId, e.toString());
                }
            }
        }

        private void openProducer() {
            if (producer == null) {
                producer = producers.apply(transactionalId);
                producerMetrics = new KafkaClientMetrics(producer);
                producerMetrics.bindTo(metrics);
                ready = true;
            }
        }

        private void closeProducer(Duration timeout) {
            ready = false;
            if (producer != null) {
                producerMetrics.close();
                producer.close(timeout);
                producer = null;
            }
        }
    }

    /**
     * DOWN until a transactional producer is initialised, and while none is (each writer's from its failed
     * transaction until it is again): with one, requests are still answered.
     */
    @Override
    public Status check() {
        return writers.stream().anyMatch(writer -> writer.ready) ? Status.up("transactional producer ready")
                : Status.down("no transactional producer: Kafka's transaction coordinator not reached yet");
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static KafkaUnavailableException unavailable(Throwable e) {
        return new KafkaUnavailableException("report not written: " + e.getClass().getSimpleName() + ": "
                + e.getMessage(), e);
    }

    /** Commits what is already queued, then closes the producers. */
    @Override
    public void close() {
        running = false;
        sweeper.shutdownNow();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (Writer writer : writers) {
                writer.thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            replies.shutdown();
            replies.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
