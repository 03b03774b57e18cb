package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import vn.bhxh.shield.testkit.OpenApiContract;

/** A browser's view of one sink instance: requests, a signed-in session, a live stream. */
record SinkHttp(int port) {

    /** Every answer, whatever the test expects of it, must keep the sink's OpenAPI document. */
    static final OpenApiContract CONTRACT = OpenApiContract.of(AlertSinkService.NAME);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ExecutorService STREAM_READERS = Executors.newCachedThreadPool(reader -> {
        Thread thread = new Thread(reader, "sse-reader");
        thread.setDaemon(true);
        return thread;
    });

    /** A signed-in dashboard session: its cookie and the CSRF token its page carries. */
    record Session(String cookie, String csrf) {
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    HttpRequest.Builder request(String path, Session session) {
        return requestWithCookie(path, session == null ? null : session.cookie());
    }

    /** For a caller that keeps only the session's cookie (or null: not signed in). */
    HttpRequest.Builder requestWithCookie(String path, String cookie) {
        return cookie == null ? request(path) : request(path).header("Cookie", cookie);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CONTRACT.check(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> postJson(String path, String json, Session session, String... headers) {
        HttpRequest.Builder request = request(path, session).header("Content-Type", "application/json");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Session signIn(String user, String password) {
        HttpResponse<String> response = send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8))));
        assertThat(response.statusCode()).as("sign-in of %s", user).isEqualTo(303);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Matcher token = Pattern.compile("name=\"csrf-token\" content=\"([0-9a-f]+)\"")
                .matcher(send(request("/").header("Cookie", cookie).GET()).body());
        assertThat(token.find()).isTrue();
        return new Session(cookie, token.group(1));
    }

    /** Opens a live stream as EventSource does; its lines arrive in the returned list (synchronized on it). */
    List<String> stream(String path, Session session) {
        return streamWithCookie(path, session == null ? null : session.cookie());
    }

    List<String> streamWithCookie(String path, String cookie) {
        List<String> lines = new ArrayList<>();
        HTTP.sendAsync(requestWithCookie(path, cookie).header("Accept", "text/event-stream")
                        .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofLines())
                // Async on a thread of its own: reading a live stream never ends, and a plain thenAccept runs on
                // the caller's thread whenever the response is already there.
                .thenAcceptAsync(response -> {
                    try (Stream<String> body = response.body()) {
                        body.forEach(line -> {
                            synchronized (lines) {
                                lines.add(line);
                            }
                        });
                    } catch (RuntimeException closed) {
                        // the sink stopped
                    }
                }, STREAM_READERS);
        return lines;
    }

    static String joined(List<String> lines) {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }
}
