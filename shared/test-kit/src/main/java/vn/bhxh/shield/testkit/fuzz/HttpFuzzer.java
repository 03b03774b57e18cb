package vn.bhxh.shield.testkit.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Sends generated bad requests to a running service, a few at a time, and tallies the answers. Well-formed requests
 * go through the JDK's HTTP client (kept-alive connections); a request the JDK refuses to send (CRLF or bytes that
 * are not a URI, a restricted header such as Content-Length) or that asks for it is written raw on its own socket.
 * Request {@code i} of an endpoint is generated from a {@link Random} seeded by (seed, endpoint, i) alone, so any
 * failure is reproduced by the seed whatever the concurrency.
 *
 * <p>Every answer must be below 500, and there must be one unless the request was raw or larger than any endpoint
 * takes (a server may close on those); the caller's {@link Check} adds what an endpoint's rejections must look like.
 */
public final class HttpFuzzer {

    public static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_000);
    public static final long SEED = Long.getLong("fuzz.seed", 20_260_622L);
    private static final int THREADS = Integer.getInteger("fuzz.threads", 6);
    private static final int NO_RESPONSE = -1;
    /** Bodies larger than this may be cut off by the server with a 413 before it reads them: no answer is fine. */
    private static final int HUGE_BODY = 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /**
     * The one 5xx allowed: a request line whose protocol version is not HTTP/1.x gets "505 HTTP Version Not
     * Supported" from Jetty's parser, the answer RFC 9110 (15.6.6) prescribes, before any application code runs.
     */
    static final String BAD_VERSION = "junk-http-version";

    /** What came back: status (-1 when the connection closed without an answer), Content-Type, body. */
    public record Response(int status, String contentType, String body) {
    }

    /** An endpoint's own rule for a response; empty when it holds. */
    @FunctionalInterface
    public interface Check {
        Optional<String> problem(FuzzRequest request, Response response);

        /** A 5xx the endpoint gives by design (documented, with Retry-After), counted apart; none by default. */
        default boolean designedServerError(Response response) {
            return false;
        }
    }

    /** Counts of one endpoint's run, and the first violations in full. */
    public static final class Tally {
        private final String endpoint;
        private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        private final LongAdder raw = new LongAdder();
        private final LongAdder designedServerErrors = new LongAdder();
        private final LongAdder violationCount = new LongAdder();
        private long staleRetries;
        private long timeoutRetries;
        private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
        private long millis;

        private Tally(String endpoint) {
            this.endpoint = endpoint;
        }

        public long requests() {
            return byStatus.values().stream().mapToLong(LongAdder::sum).sum();
        }

        public long count(int status) {
            LongAdder count = byStatus.get(status);
            return count == null ? 0 : count.sum();
        }

        /** 5xx answers other than designed ones: the endpoint's, and Jetty's 505 to a junk protocol version. */
        public long serverErrors() {
            return byStatus.entrySet().stream().filter(e -> e.getKey() >= 500).mapToLong(e -> e.getValue().sum()).sum()
                    - designedServerErrors.sum();
        }

        public long violations() {
            return violationCount.sum();
        }

        /** The first violations, each with the request that caused it. */
        public List<String> firstViolations() {
            synchronized (violations) {
                return List.copyOf(violations);
            }
        }

        private void record(FuzzRequest request, Response response, boolean designed, Optional<String> problem) {
            byStatus.computeIfAbsent(response.status(), s -> new LongAdder()).increment();
            if (designed) {
                designedServerErrors.increment();
            }
            if (request.raw()) {
                raw.increment();
            }
            problem.ifPresent(why -> {
                violationCount.increment();
                if (violations.size() < 20) {
                    violations.add(why + " <- " + request + " -> " + response.status() + " " + response.contentType()
                            + " " + abbreviate(response.body()));
                }
            });
        }

        @Override
        public String toString() {
            Map<Integer, Long> sorted = new TreeMap<>();
            byStatus.forEach((status, count) -> sorted.put(status, count.sum()));
            StringBuilder codes = new StringBuilder();
            sorted.forEach((status, count) -> codes.append(status == NO_RESPONSE ? "closed" : status).append('=')
                    .append(count).append(' '));
            return String.format(Locale.ROOT, "%-34s %7d requests (%5d raw) in %5.1f s: %s| 5xx=%d (designed %d) "
                    + "violations=%d, sent again on a new connection %d (after no answer in %d s: %d)", endpoint,
                    requests(), raw.sum(), millis / 1000.0, codes, serverErrors(), designedServerErrors.sum(),
                    violations(), staleRetries, TIMEOUT.toSeconds(), timeoutRetries);
        }
    }

    private final int port;
    /**
     * Requests sent again because the kept-alive connection they went on had been closed: a server may close an idle
     * one, and one that closes connections after answers that did not say so (Connection: close) shows here first.
     */
    private final LongAdder staleRetries = new LongAdder();
    /**
     * Requests sent again on a new connection because the first got no answer within {@link #TIMEOUT}. Known and
     * open (docs/reliability.md): about one run in three, one well-formed request among thousands on a kept-alive
     * connection waits as long as Jetty's idle timeout, cause not found yet. Counted and printed so the figure stays
     * visible; a request left unanswered on its new connection too still fails the run.
     */
    private final LongAdder timeoutRetries = new LongAdder();
    private final HttpClient http = newClient();

    public HttpFuzzer(int port) {
        this.port = port;
    }

    /** Sends {@link #REQUESTS} requests made by {@code generator}, checking each answer; prints the tally. */
    public Tally run(String endpoint, Function<Random, FuzzRequest> generator, Check check) {
        Tally tally = new Tally(endpoint);
        AtomicInteger next = new AtomicInteger();
        long started = System.nanoTime();
        long retriedBefore = staleRetries.sum();
        long timedOutBefore = timeoutRetries.sum();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            threads.execute(() -> {
                for (int n = next.getAndIncrement(); n < REQUESTS; n = next.getAndIncrement()) {
                    int i = n;
                    FuzzRequest request = generator.apply(new Random(seedOf(endpoint, i)));
                    Response response = send(request);
                    boolean designed = response.status() >= 500 && (check.designedServerError(response)
                            || response.status() == 505 && request.trick().contains(BAD_VERSION));
                    Optional<String> problem = (designed ? Optional.<String>empty() : commonProblem(request, response))
                            .or(() -> response.status() == NO_RESPONSE ? Optional.empty()
                                    : check.problem(request, response));
                    tally.record(request, response, designed,
                            problem.map(why -> "#" + seedIndex(endpoint, i) + " " + why));
                }
            });
        }
        threads.shutdown();
        try {
            if (!threads.awaitTermination(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException(endpoint + ": fuzzing did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        tally.millis = (System.nanoTime() - started) / 1_000_000;
        tally.staleRetries = staleRetries.sum() - retriedBefore;
        tally.timeoutRetries = timeoutRetries.sum() - timedOutBefore;
        System.out.println("[fuzz seed=" + SEED + "] " + tally);
        return tally;
    }

    private static String seedIndex(String endpoint, int i) {
        return i + " (seed " + SEED + ", endpoint " + endpoint + ")";
    }

    private static long seedOf(String endpoint, int i) {
        return (SEED * 0x9E3779B97F4A7C15L + endpoint.hashCode()) * 0x9E3779B97F4A7C15L + i;
    }

    private static Optional<String> commonProblem(FuzzRequest request, Response response) {
        if (response.status() >= 500) {
            return Optional.of("server error " + response.status());
        }
        if (response.status() == NO_RESPONSE && !request.raw() && request.body().length <= HUGE_BODY) {
            return Optional.of("no answer to a well-formed request");
        }
        return Optional.empty();
    }

    public Response send(FuzzRequest request) {
        if (!request.raw()) {
            Optional<HttpRequest> wellFormed = asJdkRequest(request);
            if (wellFormed.isPresent()) {
                try {
                    HttpResponse<byte[]> response = sendRetryingStaleConnection(wellFormed.get());
                    return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                            new String(response.body(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return new Response(NO_RESPONSE, "", e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        return sendRaw(request);
    }

    /**
     * A server may close a kept-alive connection at any time (RFC 9112 9.3.1), and the JDK retries only GETs on a
     * fresh one: so does this, once, for every method, when the reused connection gave no byte back. The retry goes
     * through a client of its own, so it is sent on a new connection: the shared pool may hold another connection the
     * server has closed, and a request must not fail for the client's bad luck. A request the server leaves
     * unanswered on a new connection still fails.
     */
    private HttpResponse<byte[]> sendRetryingStaleConnection(HttpRequest request) throws IOException,
            InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            timeoutRetries.increment();
            return newClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            staleRetries.increment();
            return newClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** The request as the JDK client would send it; empty when the JDK refuses it (then it goes raw). */
    private Optional<HttpRequest> asJdkRequest(FuzzRequest request) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + request.target()))
                    .timeout(TIMEOUT)
                    .method(request.method(), request.body().length == 0 && !request.method().equals("POST")
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
            request.headers().forEach(h -> builder.header(h.name(), h.value()));
            return Optional.of(builder.build());
        } catch (IllegalArgumentException refused) {
            return Optional.empty();
        }
    }

    /** Writes the request byte for byte (Connection: close), half-closes, reads whatever comes back. */
    private Response sendRaw(FuzzRequest request) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes((request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
        if (request.header("Host") == null) {
            wire.writeBytes(("Host: localhost:" + port + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        request.headers().forEach(h -> wire.writeBytes((h.name() + ": " + h.value() + "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        if (request.header("Content-Length") == null && request.header("Transfer-Encoding") == null) {
            wire.writeBytes(("Content-Length: " + request.body().length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        wire.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(request.body());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            try {
                OutputStream out = socket.getOutputStream();
                out.write(wire.toByteArray());
                out.flush();
                socket.shutdownOutput();
            } catch (IOException closedEarly) {
                // The server may answer and close before reading everything: read what it said.
            }
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            return new Response(NO_RESPONSE, "", e.toString());
        }
    }

    private static byte[] readAll(InputStream in) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (IOException resetAfterAnswer) {
            // A reset after the answer (the server closed with our bytes unread) leaves the answer readable.
        }
        return bytes.toByteArray();
    }

    /** The final (non-1xx) response in {@code bytes}: status, Content-Type, body (de-chunked). */
    private static Response parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        while (true) {
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/") || end < 0) {
                return new Response(NO_RESPONSE, "", text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            String[] statusLine = lines[0].split(" ", 3);
            int status = Integer.parseInt(statusLine[1]);
            String rest = text.substring(end + 4);
            if (status >= 100 && status < 200) {
                text = rest;
                continue;
            }
            String contentType = "";
            boolean chunked = false;
            for (String line : lines) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-type:")) {
                    contentType = line.substring(13).strip();
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            String body = chunked ? dechunk(rest) : rest;
            return new Response(status, contentType, new String(body.getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8));
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
        return body.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
