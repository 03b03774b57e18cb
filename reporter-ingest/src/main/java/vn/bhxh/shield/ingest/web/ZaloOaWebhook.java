package vn.bhxh.shield.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hashing;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.ingest.ZaloOaSettings;
import vn.bhxh.shield.ingest.intake.FieldError;
import vn.bhxh.shield.ingest.intake.NoteIdentifiers;
import vn.bhxh.shield.ingest.intake.ReportIntake;
import vn.bhxh.shield.ingest.security.Authenticator;
import vn.bhxh.shield.schema.Report;

/**
 * The webhook of the BHXH offices' Zalo Official Accounts. Zalo signs each event in {@code X-ZEvent-Signature}:
 * {@code mac=} and the hex SHA-256 of the app id, the raw body, the event's {@code timestamp} and the OA secret
 * key, concatenated. A text a citizen sends to an OA ({@code user_send_text}) becomes a FANPAGE report, the same
 * weight as a fanpage message, once per {@code msg_id} (Zalo re-sends an event until it gets a 200). The report's
 * province is the OA's; its submitting account is the OA ({@code zalo-oa:<oa id>}); the sender is pseudonymised.
 * Every other event (follows, stickers, the OA's own replies, reads) is answered 200 and records nothing, since
 * Zalo would re-send a refused one for hours.
 */
final class ZaloOaWebhook {

    private static final Logger log = LoggerFactory.getLogger(ZaloOaWebhook.class);
    private static final String PATH = "/api/v1/zalo-oa/webhook";

    private final Endpoints endpoints;
    private final ReportIntake intake;
    private final NoteIdentifiers identifiers;
    private final ZaloOaSettings settings;

    ZaloOaWebhook(Endpoints endpoints, ReportIntake intake, NoteIdentifiers identifiers, ZaloOaSettings settings) {
        this.endpoints = endpoints;
        this.intake = intake;
        this.identifiers = identifiers;
        this.settings = settings;
    }

    void register(JavalinConfig config) {
        config.routes.post(PATH, endpoints.metered("zalo-oa", this::receive));
    }

    private void receive(Context ctx) {
        endpoints.limitByAddress(ctx);
        byte[] raw = ctx.bodyAsBytes();
        // The signature covers a field of the body: the body is read first, but nothing of it is used unsigned.
        JsonNode event = Json.read(raw, JsonNode.class);
        String signature = ctx.header("X-ZEvent-Signature");
        String signedTimestamp = event.path("timestamp").asText("");
        // The OA an event concerns: the recipient of a user's message, the sender of the OA's own, or oa_id.
        boolean signed = signature != null && Stream.of(event.path("recipient").path("id"),
                        event.path("sender").path("id"), event.path("oa_id"))
                .map(id -> id.asText("")).filter(id -> !id.isBlank()).distinct()
                .flatMap(oaId -> settings.oaSecretKey(oaId).stream())
                .anyMatch(key -> Authenticator.equal(signature(raw, signedTimestamp, key),
                        signature.strip().toLowerCase(Locale.ROOT)));
        if (!signed) {
            throw ApiProblem.of(401, "BAD_SIGNATURE", "Chữ ký X-ZEvent-Signature không đúng.");
        }
        if (!"user_send_text".equals(event.path("event_name").asText())) {
            ctx.json(Map.of("received", 1, "recorded", 0));
            return;
        }
        String oaId = required(event, "recipient", "id");
        String msgId = required(event, "message", "msg_id");
        // The app-wide id is the same person whichever province's OA they write to: one reporter, not one per OA.
        String userIdByApp = event.path("user_id_by_app").asText("");
        String senderId = userIdByApp.isBlank() ? required(event, "sender", "id") : userIdByApp;
        String province = settings.provinces().get(oaId);
        if (province == null) {
            log.warn("Zalo OA {} has no province in {}: its report is recorded without one", oaId,
                    ZaloOaSettings.OA_PROVINCES);
        }
        long timestamp = event.path("timestamp").asLong(0);
        // Namespaced so a Zalo user id can never be taken for a Facebook user with the same digits.
        Report report = intake.toEvent(FanpageWebhook.fromText(identifiers, "zalo:" + senderId, province,
                        event.path("message").path("text").asText(""),
                        timestamp > 0 ? Instant.ofEpochMilli(timestamp) : null, msgId),
                "zalo-oa:" + oaId, Endpoints.correlationId(ctx));
        List<Report> written = intake.submitEachOnce("zalo-oa", Map.of(msgId, report));
        ctx.json(Map.of("received", 1, "recorded", written.size()));
    }

    /** What Zalo sends for this body: {@code mac=} + sha256(app id + body + timestamp + OA secret key), hex. */
    private String signature(byte[] raw, String timestamp, String oaSecretKey) {
        return "mac=" + Hashing.sha256().newHasher()
                .putString(settings.appId(), StandardCharsets.UTF_8)
                .putBytes(raw)
                .putString(timestamp, StandardCharsets.UTF_8)
                .putString(oaSecretKey, StandardCharsets.UTF_8)
                .hash();
    }

    private static String required(JsonNode event, String object, String field) {
        String value = event.path(object).path(field).asText("");
        if (value.isBlank()) {
            throw ApiProblem.invalid(List.of(new FieldError(object + "." + field, "REQUIRED",
                    "Sự kiện Zalo thiếu \"" + object + "." + field + "\".")));
        }
        return value;
    }
}
