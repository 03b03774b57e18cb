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
 * The webhook of the official BHXH pages: Messenger messages and the page's {@code feed} (comments under its
 * posts, visitors' posts). GET is Facebook's subscription handshake; POST carries the events, authenticated by
 * {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body with the app secret) rather than a token, because that
 * is what Facebook sends. Each message, and each comment or post {@link PageFeed} finds reportable, becomes a
 * FANPAGE report, once per message, comment or post id: Facebook re-delivers until it gets a 200. A text without
 * identifiers is still recorded.
 * <p>
 * The text is the report: its identifiers become the report's indicators, except a number the writer calls their
 * own ("số của tôi ..."), which is blanked in the notes like every other personal datum. The author (sender or
 * commenter) is pseudonymised; their name is never read. The submitting account is the page
 * ({@code fanpage:<page id>}), so reports to several pages are several accounts.
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
                long timestamp = messaging.path("timestamp").asLong(0);
                byMessageId.put(mid, intake.toEvent(fromText(identifiers, senderId, null,
                        message.path("text").asText(""), timestamp > 0 ? Instant.ofEpochMilli(timestamp) : null, mid),
                        submittedBy, correlationId));
            }
            for (JsonNode change : entry.path("changes")) {
                if ("feed".equals(change.path("field").asText())) {
                    // Comment and post ids never look like message ids; the prefix keeps them apart regardless.
                    PageFeed.reportable(page, change.path("value")).ifPresent(item -> byMessageId.put(
                            "feed:" + item.id(), intake.toEvent(fromText(identifiers, item.authorId(), null,
                                    item.text(), item.writtenAt(), item.id()), "fanpage:" + page, correlationId)));
                }
            }
        }
        List<Report> written = intake.submitEachOnce("fanpage", byMessageId);
        ctx.json(Map.of("received", byMessageId.size(), "recorded", written.size()));
    }

    /**
     * The report of a text a citizen wrote to an office (a message, a comment): its identifiers are the report's
     * indicators, except those the writer calls their own.
     *
     * @param province        the office's province, or null when the channel does not say
     * @param sourceReference the platform's id of the text, never the writer's
     */
    static ValidReport fromText(NoteIdentifiers identifiers, String writerId, String province, String text,
                                Instant writtenAt, String sourceReference) {
        List<Indicator> found = identifiers.read(text, Optional.empty()).stream()
                .filter(identifier -> !identifier.writersOwn()).map(NoteIdentifiers.Found::indicator).toList();
        return new ValidReport(Channel.FANPAGE, writerId, province, null,
                IndicatorLists.phones(found), IndicatorLists.links(found), IndicatorLists.accounts(found),
                List.of(), 0, text.isBlank() ? null : text, writtenAt, sourceReference, found);
    }

}
