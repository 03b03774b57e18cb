package vn.bhxh.shield.processor;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.HealthCheck;

/**
 * Decides what becomes of a stream thread that died, and says on {@code /health} whether the threads can work.
 * <ul>
 *   <li>The schema registry unavailable: wait (with backoff, until it answers) and replace the thread, which starts
 *       again from the last commit; DOWN meanwhile. Never counted as a failure: nothing is broken here.</li>
 *   <li>A retry asked for by {@link PoisonRecordHandler}: replace the thread; bounded by the record's attempts.</li>
 *   <li>Anything else: replace the thread, at most {@code PROCESSOR_THREAD_RESTARTS} times within
 *       {@code PROCESSOR_THREAD_RESTART_WINDOW_S}; beyond that the client shuts down, readiness goes DOWN and the
 *       process exits non-zero so the platform restarts it: a thread that keeps dying is never a silent loop.</li>
 * </ul>
 * Every death is logged with its cause and counted in {@code bhxh_processor_stream_thread_failures{cause}}.
 */
final class StreamSupervisor implements StreamsUncaughtExceptionHandler, KafkaStreams.StateListener, HealthCheck,
        AutoCloseable {

    /** A thread-safe way to ask the registry whether it answers; throws while it does not. */
    @FunctionalInterface
    interface RegistryProbe {
        void check();
    }

    static final String REGISTRY = "registry_unavailable";
    static final String RECORD_RETRY = "record_retry";
    static final String OTHER = "other";
    private static final Logger log = LoggerFactory.getLogger(StreamSupervisor.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

    private final ProcessorConfig.Faults faults;
    private final FailedRecords failedRecords;
    private final RegistryProbe registry;
    private final MeterRegistry metrics;
    private final Runnable onFailed;
    private final Consumer<String> deadThreadLeaves;
    private final Deque<Instant> deaths = new ArrayDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Instant registryDownSince;
    private volatile String gaveUp;

    /**
     * {@code deadThreadLeaves}: takes a dying thread (by name) out of the group before it is replaced;
     * {@code onFailed}: what to do once the client is in ERROR (the process's main exits).
     */
    StreamSupervisor(ProcessorConfig.Faults faults, FailedRecords failedRecords, RegistryProbe registry,
                     MeterRegistry metrics, Consumer<String> deadThreadLeaves, Runnable onFailed) {
        this.faults = faults;
        this.failedRecords = failedRecords;
        this.registry = registry;
        this.metrics = metrics;
        this.onFailed = onFailed;
        this.deadThreadLeaves = deadThreadLeaves;
        for (String cause : new String[] {REGISTRY, RECORD_RETRY, OTHER}) {
            metrics.counter("bhxh_processor_stream_thread_failures", "cause", cause);
        }
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        StreamThreadExceptionResponse response = decide(failure);
        if (response == StreamThreadExceptionResponse.REPLACE_THREAD) {
            deadThreadLeaves.accept(Thread.currentThread().getName());
        }
        return response;
    }

    private StreamThreadExceptionResponse decide(Throwable failure) {
        if (closing.getCount() == 0) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        if (RegistryOutage.causedBy(failure)) {
            count(REGISTRY);
            log.warn("stream thread stopped: the schema registry is unavailable ({}); its records are read again "
                    + "once it answers", failure.toString());
            awaitRegistry();
            return closing.getCount() == 0 ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
                    : StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        if (failedRecords.isRetry(failure)) {
            count(RECORD_RETRY);
            log.warn("stream thread restarted to try a failed record again");
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        count(OTHER);
        int recent = recordDeath();
        if (recent > faults.threadRestarts()) {
            gaveUp = "a stream thread failed " + recent + " times within " + faults.threadRestartWindow()
                    + ", last: " + failure;
            log.error("{}: giving up, the processor stops and exits so that it is restarted", gaveUp, failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("stream thread failed ({} of {} restarts within {}), replacing it", recent,
                faults.threadRestarts(), faults.threadRestartWindow(), failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    private synchronized int recordDeath() {
        Instant now = Instant.now();
        deaths.addLast(now);
        while (deaths.peekFirst().isBefore(now.minus(faults.threadRestartWindow()))) {
            deaths.removeFirst();
        }
        return deaths.size();
    }

    /** Blocks the dying thread (it holds nothing the others need: they cannot decode either) until the registry answers. */
    private void awaitRegistry() {
        registryDownSince = Instant.now();
        Duration backoff = FIRST_BACKOFF;
        try {
            while (!closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    registry.check();
                    log.info("the schema registry answers again after {}",
                            Duration.between(registryDownSince, Instant.now()));
                    return;
                } catch (RuntimeException stillDown) {
                    backoff = backoff.multipliedBy(2).compareTo(faults.registryBackoffMax()) > 0
                            ? faults.registryBackoffMax() : backoff.multipliedBy(2);
                    log.warn("the schema registry is still unavailable ({}); next try in {}", stillDown.toString(),
                            backoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            registryDownSince = null;
        }
    }

    private void count(String cause) {
        metrics.counter("bhxh_processor_stream_thread_failures", "cause", cause).increment();
    }

    @Override
    public void onChange(KafkaStreams.State now, KafkaStreams.State before) {
        log.info("streams {} -> {}", before, now);
        if (now == KafkaStreams.State.ERROR && closing.getCount() > 0) {
            // ERROR is final: nothing will process again in this process. Not on the stream thread: the exit runs
            // the shutdown hook, which waits for the stream threads to stop.
            Thread exit = new Thread(onFailed, "processor-failed");
            exit.start();
        }
    }

    @Override
    public Status check() {
        String failed = gaveUp;
        if (failed != null) {
            return Status.down(failed);
        }
        Instant down = registryDownSince;
        if (down != null) {
            return Status.down("schema registry unavailable since " + down + ", waiting for it");
        }
        return Status.up("stream threads working");
    }

    /** Ends a wait for the registry: the application is shutting down. */
    @Override
    public void close() {
        closing.countDown();
    }
}
