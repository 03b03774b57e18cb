package vn.bhxh.shield.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hashing;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.ingest.intake.IndicatorLists;
import vn.bhxh.shield.ingest.intake.NoteIdentifiers;
import vn.bhxh.shield.ingest.intake.ReportIntake;
import vn.bhxh.shield.ingest.intake.ValidReport;
import vn.bhxh.shield.ingest.security.Authenticator;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;

/**
 * The Messenger Platform webhook of the official BHXH pages. GET is Facebook's subscription handshake; POST
 * carries messages, authenticated by {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body with the app secret)
 * rather than a token, because that is what Facebook sends. Each message becomes a FANPAGE report, once per
 * message id: Facebook re-delivers until it gets a 200. A message without identifiers is still recorded.
 * <p>
 * The message is the report: the identifiers of its text become the report's indicators, except a number the
 * writer calls their own ("số của tôi ..."), which is blanked in the notes like every other personal datum. The
 * submitting account is the page ({@code fanpage:<page id>}), so messages to several pages are several accounts.
 */
final class FanpageWebhook {

    private final Endpoints endpoints;
    private final ReportIntake intake;
    private final NoteIdentifiers identifiers;
    private final String appSecret;
    private final String verifyToken;

    FanpageWebhook(Endpoints endpoints, ReportIntake intake, NoteIdentifiers identifiers, String appSecret,
                   String verifyToken) {
        this.endpoints = endpoints;
        this.intake = intake;
        this.identifiers = identifiers;
        this.appSecret = appSecret;
        this.verifyToken = verifyToken;
    }

    void register(JavalinConfig config) {
        config.routes.get("/api/v1/fanpage/webhook", endpoints.metered("fanpage", this::handshake));
        config.routes.post("/api/v1/fanpage/webhook", endpoints.metered("fanpage", this::receive));
    }

    private void handshake(Context ctx) {
        endpoints.limitByAddress(ctx);
        String token = ctx.queryParam("hub.verify_token");
        String challenge = ctx.queryParam("hub.challenge");
        if (!"subscribe".equals(ctx.queryParam("hub.mode")) || token == null || challenge == null
                || !Authenticator.equal(verifyToken, token)) {
            throw ApiProblem.of(403, "VERIFICATION_FAILED", "Mã xác minh webhook không đúng.");
        }
        // Echoed as plain text, never HTML, so a crafted challenge cannot become script.
        ctx.header("X-Content-Type-Options", "nosniff").contentType("text/plain; charset=utf-8").result(challenge);
    }

    private void receive(Context ctx) {
        endpoints.limitByAddress(ctx);
        byte[] raw = ctx.bodyAsBytes();
        String expected = "sha256=" + Hashing.hmacSha256(appSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hashBytes(raw);
        String signature = ctx.header("X-Hub-Signature-256");
        if (signature == null || !Authenticator.equal(expected, signature.strip().toLowerCase(java.util.Locale.ROOT))) {
            throw ApiProblem.of(401, "BAD_SIGNATURE", "Chữ ký X-Hub-Signature-256 không đúng.");
        }
        JsonNode payload = Json.read(raw, JsonNode.class);
        if (!"page".equals(payload.path("object").asText())) {
            throw ApiProblem.of(400, "NOT_A_PAGE_EVENT", "Chỉ nhận sự kiện của trang (object = page).");
        }
        String correlationId = Endpoints.correlationId(ctx);
        Map<String, Report> byMessageId = new LinkedHashMap<>();
        for (JsonNode entry : payload.path("entry")) {
            String page = entry.path("id").asText("");
            for (JsonNode messaging : entry.path("messaging")) {
                JsonNode message = messaging.path("message");
                String senderId = messaging.path("sender").path("id").asText("");
                if (message.isMissingNode() || message.path("is_echo").asBoolean(false) || senderId.isEmpty()) {
                    continue; // delivery receipts, reads and the page's own replies are not reports
                }
                // Without a message id, the sender's pseudonym and the time stand for it: the id becomes the
                // report's sourceReference, where the sender id itself must never go.
                String mid = message.path("mid").asText(intake.pseudonym(Channel.FANPAGE, senderId) + ":"
                        + messaging.path("timestamp").asLong());
                // The entry's id is the page's; its recipient is the same page, should an entry come without one.
                String submittedBy = "fanpage:" + (page.isEmpty() ? messaging.path("recipient").path("id").asText("")
                        : page);
                byMessageId.put(mid, intake.toEvent(toReport(senderId, messaging, message, mid), submittedBy,
                        correlationId));
            }
        }
        List<Report> written = intake.submitEachOnce("fanpage", byMessageId);
        ctx.json(Map.of("received", byMessageId.size(), "recorded", written.size()));
    }

    private ValidReport toReport(String senderId, JsonNode messaging, JsonNode message, String mid) {
        String text = message.path("text").asText("");
        List<Indicator> found = identifiers.read(text, Optional.empty()).stream()
                .filter(identifier -> !identifier.writersOwn()).map(NoteIdentifiers.Found::indicator).toList();
        long timestamp = messaging.path("timestamp").asLong(0);
        return new ValidReport(Channel.FANPAGE, senderId, null, null,
                IndicatorLists.phones(found), IndicatorLists.links(found), IndicatorLists.accounts(found),
                List.of(), 0, text.isBlank() ? null : text, timestamp > 0 ? Instant.ofEpochMilli(timestamp) : null,
                mid, found);
    }

}
