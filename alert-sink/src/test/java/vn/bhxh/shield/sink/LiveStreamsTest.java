package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.testkit.Eventually;

/** Live streams on a real Jetty (Javalin on a free port): what reaches whom, and no send that never returns. */
class LiveStreamsTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    private final LiveStreams streams = new LiveStreams();
    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aStreamGetsItsFirstEventThenWhatIsSentToItsScopeOnly() throws Exception {
        start(streams::register);
        List<String> thanhHoa = connect("thanh-hoa");
        List<String> haNoi = connect("ha-noi");
        Eventually.await("both streams open", WITHIN, () -> streams.count() == 2);
        streams.send("thanh-hoa", "alert", "{\"alertId\":\"a1\"}");
        Eventually.await("the scope's stream gets the alert", WITHIN,
                () -> thanhHoa.contains("data: {\"alertId\":\"a1\"}"));
        assertThat(thanhHoa).contains("event: connected").contains("event: alert");
        assertThat(haNoi).contains("event: connected").doesNotContain("event: alert");
    }

    @Test
    void sendingAfterTheServerStoppedReturnsAndLeavesNoStream() throws Exception {
        start(streams::register);
        connect("thanh-hoa");
        Eventually.await("the stream is open", WITHIN, () -> streams.count() == 1);
        server.stop();
        server = null;
        assertSendReturns("thanh-hoa");
        assertThat(streams.count()).isZero();
    }

    @Test
    void aStreamWhoseRequestJettyEndedIsNotWrittenToEvenIfNobodyClosedIt() throws Exception {
        start(config -> { }); // no close before stopping: only the request's own end tells the stream
        connect("thanh-hoa");
        Eventually.await("the stream is open", WITHIN, () -> streams.count() == 1);
        server.stop();
        server = null;
        assertSendReturns("thanh-hoa");
        Eventually.await("the ended stream is dropped", WITHIN, () -> streams.count() == 0);
    }

    @Test
    void aBoardThatWentAwayIsDroppedAtTheNextSend() throws Exception {
        start(streams::register);
        CompletableFuture<HttpResponse<InputStream>> response = http.sendAsync(request("thanh-hoa"),
                HttpResponse.BodyHandlers.ofInputStream());
        Eventually.await("the stream is open", WITHIN, () -> streams.count() == 1);
        response.get(10, TimeUnit.SECONDS).body().close(); // the browser tab closed
        Eventually.await("a send finds the board gone", WITHIN, () -> {
            assertSendReturns("thanh-hoa");
            return streams.count() == 0;
        });
    }

    private void start(Consumer<io.javalin.config.JavalinConfig> more) {
        server = Javalin.create(config -> {
            config.routes.sse("/events/{scope}", client -> streams.open(client.ctx().pathParam("scope"), client,
                    "connected", "{}"));
            more.accept(config);
        }).start(0);
    }

    private HttpRequest request(String scope) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/events/" + scope))
                .header("Accept", "text/event-stream").build();
    }

    private List<String> connect(String scope) {
        List<String> lines = new CopyOnWriteArrayList<>();
        http.sendAsync(request(scope), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().forEach(lines::add));
        return lines;
    }

    /** A send to a dead stream must come back: Javalin's loop on a recycled response never did. */
    private void assertSendReturns(String scope) {
        CompletableFuture<Void> send = CompletableFuture.runAsync(() -> streams.send(scope, "alert", "{}"));
        assertThat(send).as("a send to the scope's streams").succeedsWithin(Duration.ofSeconds(5));
    }
}
