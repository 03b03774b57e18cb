package vn.bhxh.shield.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import me.tongfei.progressbar.ProgressBar;
import org.HdrHistogram.Histogram;

/**
 * Sends reports to {@code POST /api/v1/reports} from concurrent keep-alive clients (one HTTP/1.1 connection
 * each), every request with its own Idempotency-Key. Closed loop: each client sends as fast as it is answered.
 * Open loop: request {@code i} is due at {@code start + i / rate}; its latency counts from when it was due, so a
 * server that falls behind is charged for the queue it causes (no coordinated omission).
 */
final class HttpLoad {

    /** One request: who sends it, the body, and a callback for the answer (the 202 time and body). */
    record Call(String authorization, String body, String idempotencyKey, Answered onAnswer) {
    }

    @FunctionalInterface
    interface Answered {
        void answered(int status, long answeredAtNanos, String body);
    }

    /** Latencies in microseconds. */
    record Result(long accepted, long refused, long failed, Histogram latencyMicros, Duration took) {
        double acceptedPerSecond() {
            return accepted / (took.toNanos() / 1e9);
        }
    }

    private final URI uri;
    private final int clients;

    HttpLoad(int port, int clients) {
        this.uri = URI.create("http://localhost:" + port + "/api/v1/reports");
        this.clients = clients;
    }

    Result closedLoop(Duration duration, LongFunction<Call> calls, ProgressBar progress) throws Exception {
        return run(duration, 0, calls, progress);
    }

    Result openLoop(double perSecond, Duration duration, LongFunction<Call> calls, ProgressBar progress)
            throws Exception {
        return run(duration, perSecond, calls, progress);
    }

    private Result run(Duration duration, double perSecond, LongFunction<Call> calls, ProgressBar progress)
            throws Exception {
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        AtomicLong tickets = new AtomicLong();
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Histogram>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10)).build();
                    Histogram latencies = new Histogram(Duration.ofMinutes(10).toNanos() / 1000, 3);
                    while (true) {
                        long ticket = tickets.getAndIncrement();
                        long due = perSecond > 0 ? start + (long) (ticket * 1e9 / perSecond) : System.nanoTime();
                        // A server that cannot keep up leaves requests due but unsent at the end: they are not
                        // sent late (the level then achieves less than offered), or a level offered 5x what is
                        // served would run 5x its length.
                        if (due >= end || System.nanoTime() >= end) {
                            return latencies;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        Call call = calls.apply(ticket);
                        try {
                            HttpResponse<String> response = http.send(request(call), HttpResponse.BodyHandlers.ofString());
                            long answered = System.nanoTime();
                            latencies.recordValue(Math.max(1, (answered - due) / 1000));
                            (response.statusCode() == 202 ? accepted : refused).incrementAndGet();
                            call.onAnswer().answered(response.statusCode(), answered, response.body());
                        } catch (IOException e) {
                            failed.incrementAndGet();
                        }
                        progress.stepTo(Math.min(progress.getMax(), (System.nanoTime() - start) / 1_000_000_000L));
                    }
                }));
            }
            Histogram all = new Histogram(Duration.ofMinutes(10).toNanos() / 1000, 3);
            for (Future<Histogram> result : results) {
                all.add(result.get());
            }
            return new Result(accepted.get(), refused.get(), failed.get(), all,
                    Duration.ofNanos(Math.max(System.nanoTime(), end) - start));
        } finally {
            pool.shutdownNow();
        }
    }

    private HttpRequest request(Call call) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", call.authorization())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", call.idempotencyKey())
                .POST(HttpRequest.BodyPublishers.ofString(call.body(), StandardCharsets.UTF_8))
                .build();
    }
}
