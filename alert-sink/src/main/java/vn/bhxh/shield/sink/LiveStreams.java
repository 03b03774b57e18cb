package vn.bhxh.shield.sink;

import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The boards' open live streams (server-sent events), by scope, and the one way to write to them.
 *
 * <p>Why not {@link SseClient} alone: once Jetty has recycled a stream's response (the server stopped, or the request
 * ended in an error), sending to the client closes it, closing completes the request's future, and Javalin 7.2
 * then runs its error handling on the recycled response on the sending thread, where it loops without end, logging
 * each turn. A board follower that broadcast to such a stream never came back, and its logs grew the test outputs
 * by gigabytes until a CI run's test JVM died (in a test where a second sink ran beside the first). So a stream is
 * written only while its request is alive, as the request's {@link AsyncListener} tells and the response itself
 * confirms before each write, under the lock that listener takes too; and every stream is closed, while its response
 * is still there, before the server stops.
 */
final class LiveStreams {

    private static final Logger log = LoggerFactory.getLogger(LiveStreams.class);

    private final Map<String, Set<Stream>> byScope = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Closes every stream when the server starts stopping, while their responses still exist. */
    void register(JavalinConfig config) {
        config.events.serverStopping(this::closeAll);
    }

    /** Keeps the client's request open as a stream of the scope and sends it its first event. */
    void open(String scope, SseClient client, String firstEvent, String firstData) {
        client.keepAlive();
        Set<Stream> streams = byScope.computeIfAbsent(scope, s -> new CopyOnWriteArraySet<>());
        Stream stream = new Stream(scope, client, streams);
        client.ctx().req().getAsyncContext().addListener(stream);
        client.onClose(() -> streams.remove(stream));
        streams.add(stream);
        if (closed) { // the server began stopping while this one connected
            stream.close();
            return;
        }
        stream.send(firstEvent, firstData);
    }

    void send(String scope, String event, String data) {
        for (Stream stream : byScope.getOrDefault(scope, Set.of())) {
            stream.send(event, data);
        }
    }

    /** How many streams are open, of every scope. */
    int count() {
        return byScope.values().stream().mapToInt(Set::size).sum();
    }

    void closeAll() {
        closed = true;
        byScope.values().forEach(streams -> streams.forEach(Stream::close));
    }

    /** One client's stream: alive until its request ends or it is closed, whichever comes first. */
    private static final class Stream implements AsyncListener {
        private final String scope;
        private final SseClient client;
        private final Set<Stream> streams;
        private boolean alive = true; // guarded by this

        Stream(String scope, SseClient client, Set<Stream> streams) {
            this.scope = scope;
            this.client = client;
            this.streams = streams;
        }

        synchronized void send(String event, String data) {
            if (alive && !client.terminated() && responseExists()) {
                client.sendEvent(event, data); // a failed write closes the client, its response still there
            }
        }

        /**
         * Whether Jetty still holds the response: a recycled one throws on any use. The listener should have said
         * so already; this also covers an end Jetty did not report to listeners (a CI run showed a stream recycled
         * while its server ran, cause not found), at the cost of one field read per send.
         */
        private boolean responseExists() {
            try {
                client.ctx().res().getStatus();
                return true;
            } catch (IllegalStateException | NullPointerException recycled) {
                // Said, because the request's end was not: the case whose cause is not known yet.
                log.warn("a live stream of {} ended without its request saying so (response recycled); dropped",
                        scope);
                ended();
                return false;
            }
        }

        synchronized void close() {
            if (alive) {
                alive = false;
                client.close();
            }
        }

        /** Jetty calls these before it recycles the response; from then on nothing may touch the client. */
        private void ended() {
            synchronized (this) {
                alive = false;
            }
            streams.remove(this);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            ended();
        }

        @Override
        public void onError(AsyncEvent event) {
            ended();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            ended();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // A stream's request is made asynchronous once, by Javalin, before it reaches this listener.
        }
    }
}
