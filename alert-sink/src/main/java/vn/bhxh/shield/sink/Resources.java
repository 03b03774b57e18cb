package vn.bhxh.shield.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/** The sink's pages and scripts, read once from the jar at start. */
final class Resources {

    private Resources() {
    }

    static String text(String name) {
        URL resource = Resources.class.getResource(name);
        if (resource == null) {
            throw new IllegalStateException("missing resource " + name);
        }
        try {
            return com.google.common.io.Resources.toString(resource, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
