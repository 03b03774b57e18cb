package vn.bhxh.shield.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
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
 * A provincial office's webhook receiver, as an office would write one from the Standard Webhooks specification:
 * verifies {@code webhook-signature} over {@code webhook-id.webhook-timestamp.body} with its province's secret and
 * refuses timestamps more than 5 minutes away, de-duplicates by {@code Idempotency-Key}, and keeps what it
 * accepted in arrival order. It can answer a script of statuses first (503, 429 with {@code Retry-After}, 404 ...),
 * hold a call until released, to stand for a flaky, busy or hung office server, and run an action right after it
 * answered (to crash the sender between the delivery and its commit).
 */
final class WebhookReceiver implements AutoCloseable {

    static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    /** One call as received; {@code signatureValid}: with this receiver's secret and within the replay window. */
    record Call(String idempotencyKey, String webhookId, String timestamp, String signature, String body,
                Instant at, boolean signatureValid) {
    }

    /** What to answer: a status, and a {@code Retry-After} value or null. */
    record Answer(int status, String retryAfter) {
        static Answer of(int status) {
            return new Answer(status, null);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final byte[] key;
    private final Deque<Answer> script = new ArrayDeque<>();
    private Answer otherwise = Answer.of(200);
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Call> accepted = new LinkedHashMap<>();
    private volatile CountDownLatch hold;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicReference<Consumer<Call>> afterNextAnswer = new AtomicReference<>();

    /** Refuses the first {@code failFirst} calls with 503, then accepts; on any free port. */
    WebhookReceiver(String secret, int failFirst) throws IOException {
        this(secret, 0, failFirst);
    }

    /** Accepts every call until told otherwise, on {@code port}: an office server that comes back there. */
    static WebhookReceiver onPort(String secret, int port) throws IOException {
        return new WebhookReceiver(secret, port, 0);
    }

    private WebhookReceiver(String secret, int port, int failFirst) throws IOException {
        this.key = Webhook.key("receiver secret", secret);
        for (int i = 0; i < failFirst; i++) {
            script.add(Answer.of(503));
        }
        this.server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/alerts", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://localhost:" + server.getAddress().getPort() + "/alerts";
    }

    /** The next calls get these answers, in order; then the usual one. */
    synchronized WebhookReceiver answerFirst(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** Every call not scripted gets {@code status}. */
    synchronized WebhookReceiver answerAlways(int status) {
        otherwise = Answer.of(status);
        return this;
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
        byte[] body = exchange.getRequestBody().readAllBytes();
        var headers = exchange.getRequestHeaders();
        String webhookId = headers.getFirst("webhook-id");
        String timestamp = headers.getFirst("webhook-timestamp");
        String signature = headers.getFirst("webhook-signature");
        Instant now = Instant.now();
        Call call = new Call(headers.getFirst("Idempotency-Key"), webhookId, timestamp, signature,
                new String(body, StandardCharsets.UTF_8), now,
                verifies(key, webhookId, timestamp, signature, body, now));
        Answer answer;
        synchronized (this) {
            calls.add(call);
            answer = script.isEmpty() ? otherwise : script.poll();
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
        boolean accept = answer.status() / 100 == 2;
        if (accept) {
            synchronized (this) {
                accepted.putIfAbsent(call.idempotencyKey(), call);
            }
        }
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        exchange.sendResponseHeaders(answer.status(), -1);
        exchange.close();
        Consumer<Call> action = accept ? afterNextAnswer.getAndSet(null) : null;
        if (action != null) {
            action.accept(call);
        }
    }

    /** Whether {@code call} verifies with the HMAC key {@code key} (e.g. another province's) at {@code now}. */
    static boolean verifies(byte[] key, Call call, Instant now) {
        return verifies(key, call.webhookId(), call.timestamp(), call.signature(),
                call.body().getBytes(StandardCharsets.UTF_8), now);
    }

    /**
     * The Standard Webhooks check: the timestamp within the replay window, and one of the space-separated
     * {@code v1,<base64>} signatures equal (in constant time) to the HMAC-SHA256 of {@code id.timestamp.body}.
     */
    private static boolean verifies(byte[] key, String webhookId, String timestamp, String signatures, byte[] body,
                                    Instant now) {
        if (webhookId == null || timestamp == null || signatures == null || !timestamp.matches("\\d{1,12}")) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp)), now).abs()
                .compareTo(REPLAY_WINDOW) > 0) {
            return false;
        }
        byte[] expected;
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            hmac.update((webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            expected = hmac.doFinal(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        for (String signature : signatures.split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected,
                    Base64.getDecoder().decode(signature.substring(3)))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
