package vn.bhxh.shield.deploy.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import me.tongfei.progressbar.ProgressBar;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Open-loop load for the fixed-rate levels: request {@code i} is due at {@code start + i / rate} whatever the
 * server does, and its latency counts from when it was due, so a server that falls behind is charged for the queue
 * it causes (no coordinated omission). Cheap enough not to take the cores it measures: the requests are built
 * before the run, one pacing thread hands each to Jetty's asynchronous client when due, and answers come back on
 * one selector. Its own CPU is the CPU time of its threads (all named {@value #THREADS}), read from the JVM.
 */
final class OpenLoopLoad {

    static final String THREADS = "bench-load";

    /** One request: who sends it, the body, and a callback for the answer (its status and time). */
    record Call(String authorization, byte[] body, String idempotencyKey, Answered onAnswer) {
        Call(String authorization, String body, String idempotencyKey, Answered onAnswer) {
            this(authorization, body.getBytes(StandardCharsets.UTF_8), idempotencyKey, onAnswer);
        }
    }

    @FunctionalInterface
    interface Answered {
        void answered(int status, long answeredAtNanos);
    }

    /** Latencies in microseconds from when each request was due; {@code generatorCores}: this client's own CPU. */
    record Result(long accepted, long refused, long failed, long unanswered, Histogram latencyMicros, Duration took,
                  double generatorCores) {
        double acceptedPerSecond() {
            return accepted / (took.toNanos() / 1e9);
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final ThreadMXBean JVM_THREADS = ManagementFactory.getThreadMXBean();

    private final URI uri;
    private final int connections;
    private final Duration answerGrace;

    /** {@code answerGrace}: how long answers are awaited after the last request was due. */
    OpenLoopLoad(int port, int connections, Duration answerGrace) {
        this.uri = URI.create("http://localhost:" + port + "/api/v1/reports");
        this.connections = connections;
        this.answerGrace = answerGrace;
    }

    /** Sends {@code calls} at {@code perSecond}, the i-th due at {@code i / perSecond} after the start. */
    Result run(double perSecond, List<Call> calls, ProgressBar progress) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(16, 2, (int) Duration.ofMinutes(30).toMillis());
        pool.setName(THREADS);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(1));
        client.setExecutor(pool);
        client.setScheduler(new ScheduledExecutorScheduler(THREADS + "-scheduler", true));
        client.setMaxConnectionsPerDestination(connections);
        client.setMaxRequestsQueuedPerDestination(Math.max(1024, calls.size()));
        client.setUserAgentField(null);
        client.start();
        try {
            return send(client, perSecond, calls, progress);
        } finally {
            client.stop();
        }
    }

    private Result send(HttpClient client, double perSecond, List<Call> calls, ProgressBar progress)
            throws InterruptedException {
        Histogram latencies = new ConcurrentHistogram(Duration.ofMinutes(10).toNanos() / 1000, 3);
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch answered = new CountDownLatch(calls.size());
        Map<Long, Long> cpuBefore = generatorCpuNanos();
        long start = System.nanoTime();
        long end = start + (long) (calls.size() * 1e9 / perSecond);
        Thread pacer = Thread.currentThread();
        String pacerName = pacer.getName();
        pacer.setName(THREADS + "-pacer");
        long pacerCpuBefore = JVM_THREADS.getCurrentThreadCpuTime();
        try {
            for (int i = 0; i < calls.size(); i++) {
                long due = start + (long) (i * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                Call call = calls.get(i);
                client.newRequest(uri).method(HttpMethod.POST)
                        .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, call.authorization())
                                .put("Idempotency-Key", call.idempotencyKey()))
                        .body(new BytesRequestContent("application/json", call.body()))
                        .timeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .send(result -> {
                            long at = System.nanoTime();
                            if (result.isFailed()) {
                                failed.incrementAndGet();
                            } else {
                                int status = result.getResponse().getStatus();
                                latencies.recordValue(Math.max(1, (at - due) / 1000));
                                (status == 202 ? accepted : refused).incrementAndGet();
                                call.onAnswer().answered(status, at);
                            }
                            answered.countDown();
                        });
                if ((i & 63) == 0) {
                    progress.stepTo(Math.min(progress.getMax(), (System.nanoTime() - start) / 1_000_000_000L));
                }
            }
            long pacerCpu = JVM_THREADS.getCurrentThreadCpuTime() - pacerCpuBefore;
            // A server that cannot keep up leaves answers outstanding: they are awaited a while (and counted late),
            // then given up as failed, or a level offered 5x what is served would run 5x its length.
            answered.await(Math.max(0, end + answerGrace.toNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
            long took = System.nanoTime() - start;
            double cores = (pacerCpu + sinceNanos(cpuBefore)) / (double) took;
            return new Result(accepted.get(), refused.get(), failed.get(), answered.getCount(), latencies, Duration.ofNanos(took),
                    cores);
        } finally {
            pacer.setName(pacerName);
        }
    }

    /** CPU time of the client's own threads (pool, selector, scheduler) by thread id. */
    private static Map<Long, Long> generatorCpuNanos() {
        Map<Long, Long> cpu = new HashMap<>();
        for (var info : JVM_THREADS.getThreadInfo(JVM_THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(THREADS + "-")
                    && !info.getThreadName().equals(THREADS + "-pacer")) {
                long nanos = JVM_THREADS.getThreadCpuTime(info.getThreadId());
                if (nanos >= 0) {
                    cpu.put(info.getThreadId(), nanos);
                }
            }
        }
        return cpu;
    }

    private static long sinceNanos(Map<Long, Long> before) {
        long total = 0;
        for (var now : generatorCpuNanos().entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }
}
