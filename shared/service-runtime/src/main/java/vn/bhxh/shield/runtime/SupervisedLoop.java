package vn.bhxh.shield.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one of a service's reading loops on its own thread and keeps it running. A run that throws is logged with
 * its cause, counted in {@code bhxh_loop_failures_total{loop}} and started again after a {@link Backoff} (growing
 * with failures in a row, capped); only {@link #close()} ends it.
 *
 * <p>A run reports how it goes: {@link #progressed()} after every step that read what it had to, {@link
 * #retryLater(String)} when it could not read for a reason outside it (the schema registry not answering): then it
 * waits a backoff and must try the same records again. {@link #readiness()} is down while the loop is starting,
 * restarting or retrying ({@code bhxh_loop_up{loop}} is 0), {@link #liveness()} only when the thread is gone or a
 * step has taken longer than {@code stallAfter} (wedged): a loop being restarted is alive.
 */
public final class SupervisedLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SupervisedLoop.class);
    private static final Duration JOIN = Duration.ofSeconds(15);

    /** One run of the loop: returns once {@link SupervisedLoop#running()} is false, throws when it failed. */
    @FunctionalInterface
    public interface Run {
        void run() throws Exception;
    }

    private final String name;
    private final Run run;
    private final Runnable wakeup;
    private final Backoff backoff;
    private final Duration stallAfter;
    private final Counter failures;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Thread thread;
    private volatile String downBecause = "starting";
    private volatile long lastStepNanos = System.nanoTime();
    // Touched only by the loop's own thread.
    private int retriesInARow;
    private boolean progressedSinceFailure;

    /**
     * @param name       the loop's name in logs, metrics and health
     * @param run        one run; the supervisor calls it again after it threw
     * @param wakeup     makes a blocked run return or throw promptly at {@link #close()} (e.g. a consumer's wakeup)
     * @param stallAfter a step taking longer means the loop is wedged; {@link Duration#ZERO}: steps may take any time
     */
    public SupervisedLoop(String name, Run run, Runnable wakeup, Backoff backoff, Duration stallAfter,
                          MeterRegistry metrics) {
        this.name = name;
        this.run = run;
        this.wakeup = wakeup;
        this.backoff = backoff;
        this.stallAfter = stallAfter;
        this.failures = Counter.builder("bhxh_loop_failures").tag("loop", name)
                .description("Runs of a reading loop that threw and were restarted").register(metrics);
        Gauge.builder("bhxh_loop_up", this, loop -> loop.downBecause == null ? 1 : 0).tag("loop", name)
                .description("1 while the loop reads, 0 while it starts, restarts or waits for the registry")
                .register(metrics);
        this.thread = new Thread(this::supervise, name);
    }

    public SupervisedLoop start() {
        thread.start();
        return this;
    }

    /** False once {@link #close()} was called: the run must return. */
    public boolean running() {
        return stopping.getCount() > 0;
    }

    /** A step read what it had to: the loop is up. */
    public void progressed() {
        lastStepNanos = System.nanoTime();
        retriesInARow = 0;
        progressedSinceFailure = true;
        downBecause = null;
    }

    /**
     * The step could not read for a reason outside the records (the registry did not answer): the loop is down for
     * readiness with {@code why} and waits a backoff; the run then tries the same records again.
     */
    public void retryLater(String why) {
        lastStepNanos = System.nanoTime();
        downBecause = why;
        retriesInARow++;
        Duration wait = backoff.after(retriesInARow);
        log.warn("{}: cannot read now, trying again in {} ms: {}", name, wait.toMillis(), why);
        awaitStop(wait);
        lastStepNanos = System.nanoTime();
    }

    private void supervise() {
        int failuresInARow = 0;
        while (running()) {
            lastStepNanos = System.nanoTime();
            try {
                run.run();
            } catch (Exception e) {
                if (!running()) {
                    break; // the wakeup of close(), or what it broke
                }
                failures.increment();
                failuresInARow = progressedSinceFailure ? 1 : failuresInARow + 1;
                progressedSinceFailure = false;
                Duration wait = backoff.after(failuresInARow);
                downBecause = "failed (" + e + "), restarting in " + wait.toMillis() + " ms";
                log.error("{} failed, restarting it in {} ms", name, wait.toMillis(), e);
                awaitStop(wait);
                downBecause = "restarting after: " + e;
            }
        }
        downBecause = "stopped";
    }

    private void awaitStop(Duration wait) {
        try {
            stopping.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }

    /** Down while the loop is not reading: starting, restarting after a failure, or waiting to retry. */
    public HealthCheck readiness() {
        return () -> {
            String down = downBecause;
            return down == null ? HealthCheck.Status.up("reading") : HealthCheck.Status.down(down);
        };
    }

    /** Down only when the loop can no longer make progress: its thread is gone, or a step is wedged. */
    public HealthCheck liveness() {
        return () -> {
            if (!thread.isAlive() && running()) {
                return HealthCheck.Status.down(thread.getState() == Thread.State.NEW ? "not started" : "thread ended");
            }
            Duration step = Duration.ofNanos(System.nanoTime() - lastStepNanos);
            if (!stallAfter.isZero() && step.compareTo(stallAfter) > 0) {
                return HealthCheck.Status.down("no step finished for " + step.toSeconds() + " s");
            }
            return HealthCheck.Status.up(downBecause == null ? "reading" : downBecause);
        };
    }

    /** Registers the loop's liveness as {@code <name>:live} and its readiness as {@code <name>}. */
    public void registerIn(Health health) {
        health.live(name + ":live", liveness()).ready(name, readiness());
    }

    /** Asks the loop to end without waiting: the run in progress is woken and returns, a backoff wait ends at once. */
    public void stop() {
        stopping.countDown();
        wakeup.run();
    }

    /** Waits for the loop's thread to end after {@link #stop()}, at most {@code within}. */
    public void awaitStopped(Duration within) {
        try {
            thread.join(within.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        awaitStopped(JOIN);
    }
}
