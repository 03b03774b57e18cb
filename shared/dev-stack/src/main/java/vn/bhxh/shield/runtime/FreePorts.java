package vn.bhxh.shield.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Loopback ports for processes started on ports of their own choosing: the benchmark's, and the tests'. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port free now; the process that is given it binds it moments later, a race one machine accepts. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
