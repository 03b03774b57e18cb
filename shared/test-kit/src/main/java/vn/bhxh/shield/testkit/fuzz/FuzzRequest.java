package vn.bhxh.shield.testkit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One generated request, as it should go on the wire. {@code trick} names what is wrong with it, for the tally
 * and for a failure message; {@code raw} asks for it to be written byte for byte on a socket (a request the JDK's
 * client would refuse or repair: CRLF in a header, a lying Content-Length, bytes that are not a URI).
 */
public record FuzzRequest(String trick, String method, String target, List<Header> headers, byte[] body, boolean raw) {

    public record Header(String name, String value) {
    }

    public static Builder of(String method, String target) {
        return new Builder(method, target);
    }

    public String header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst()
                .orElse(null);
    }

    @Override
    public String toString() {
        return trick + ": " + method + " " + (target.length() > 120 ? target.substring(0, 120) + "…" : target)
                + " headers=" + headers.stream().map(h -> h.name() + ": " + abbreviate(h.value())).toList()
                + " body(" + body.length + ")=" + abbreviate(new String(body, StandardCharsets.UTF_8));
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    public static final class Builder {
        private final List<String> tricks = new ArrayList<>();
        private String method;
        private String target;
        private final List<Header> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean raw;

        private Builder(String method, String target) {
            this.method = method;
            this.target = target;
        }

        public Builder trick(String name) {
            tricks.add(name);
            return this;
        }

        public Builder method(String value) {
            method = value;
            return this;
        }

        public Builder target(String value) {
            target = value;
            return this;
        }

        public String target() {
            return target;
        }

        public Builder header(String name, String value) {
            headers.add(new Header(name, value));
            return this;
        }

        public Builder removeHeader(String name) {
            headers.removeIf(h -> h.name().equalsIgnoreCase(name));
            return this;
        }

        public Builder body(byte[] value) {
            body = value;
            return this;
        }

        public Builder body(String value) {
            return body(value.getBytes(StandardCharsets.UTF_8));
        }

        public byte[] body() {
            return body;
        }

        public Builder raw() {
            raw = true;
            return this;
        }

        public FuzzRequest build() {
            return new FuzzRequest(tricks.isEmpty() ? "plain" : String.join("+", tricks), method, target,
                    List.copyOf(headers), body, raw);
        }
    }
}
