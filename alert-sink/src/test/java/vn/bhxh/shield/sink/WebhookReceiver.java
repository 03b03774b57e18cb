package vn.bhxh.shield.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A provincial office's webhook receiver, as an office would write one: verifies the signature, de-duplicates by
 * {@code Idempotency-Key}, and keeps what it accepted in arrival order. It can refuse the first N calls (503) or
 * hold a call until released, to stand for a flaky or hung office server, and run an action right after it answered
 * (to crash the sender between the delivery and its commit).
 */
final class WebhookReceiver implements AutoCloseable {

    record Call(String idempotencyKey, String body, boolean signatureValid) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String secret;
    private final AtomicInteger failuresLeft;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Call> accepted = new LinkedHashMap<>();
    private volatile CountDownLatch hold;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicReference<Consumer<Call>> afterNextAnswer = new AtomicReference<>();

    WebhookReceiver(String secret, int failFirst) throws IOException {
        this.secret = secret;
        this.failuresLeft = new AtomicInteger(failFirst);
        this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.createContext("/alerts", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort() + "/alerts";
    }

    /** Calls from now on are recorded, then answered only once {@link #release()} is called. */
    void holdCalls() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    /** Calls taken in and held, waiting for {@link #release()} right now. */
    int heldCalls() {
        return waiting.get();
    }

    /** Runs {@code action} once, on the receiver's thread, as soon as the next accepted call has been answered. */
    void afterNextAnswer(Consumer<Call> action) {
        afterNextAnswer.set(action);
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Accepted alerts, de-duplicated by Idempotency-Key, in the order they first arrived. */
    synchronized List<Call> accepted() {
        return List.copyOf(accepted.values());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        Call call = new Call(key, body,
                sign(body).equals(exchange.getRequestHeaders().getFirst("X-BHXH-Signature-256")));
        synchronized (this) {
            calls.add(call);
        }
        CountDownLatch held = hold;
        if (held != null && held.getCount() > 0) {
            waiting.incrementAndGet();
            try {
                held.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }
        int status = 200;
        if (failuresLeft.getAndDecrement() > 0) {
            status = 503;
        } else {
            synchronized (this) {
                accepted.putIfAbsent(key, call);
            }
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
        Consumer<Call> action = status == 200 ? afterNextAnswer.getAndSet(null) : null;
        if (action != null) {
            action.accept(call);
        }
    }

    private String sign(String body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + java.util.HexFormat.of().formatHex(hmac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
