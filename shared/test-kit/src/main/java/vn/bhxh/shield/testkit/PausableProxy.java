package vn.bhxh.shield.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a service (the schema registry) that can be paused: while paused it still accepts
 * connections and reads what clients send, but forwards nothing either way, so clients see a service that is up
 * and never answers (a hung process, a SIGSTOPped one, a saturated network path) rather than a refused connection.
 * Connections opened before the pause hang too. {@link #resume()} lets the held bytes through.
 */
public final class PausableProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean paused;
    private volatile boolean closed;

    private PausableProxy(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        daemon(this::acceptLoop, "pausable-proxy-accept").start();
    }

    /** A proxy to the host and port of {@code url} (e.g. the registry's {@code http://localhost:8081}). */
    public static PausableProxy to(String url) {
        URI target = URI.create(url);
        try {
            return new PausableProxy(target.getHost(), target.getPort());
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port", e);
        }
    }

    /** The proxy's own URL, to give to a client instead of the target's. */
    public String url() {
        return "http://localhost:" + server.getLocalPort();
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                daemon(() -> pump(client, upstream), "pausable-proxy-up").start();
                daemon(() -> pump(upstream, client), "pausable-proxy-down").start();
            } catch (IOException e) {
                if (!closed) {
                    continue; // the target refused one connection: the client sees it closed
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                awaitResumed();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // One side closed: close both below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitResumed() throws InterruptedException {
        synchronized (gate) {
            while (paused && !closed) {
                gate.wait();
            }
        }
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        resume();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        sockets.forEach(PausableProxy::closeQuietly);
    }
}
