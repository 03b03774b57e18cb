package vn.bhxh.shield.ingest.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vn.bhxh.shield.allowlist.OfficialChannels;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.ingest.intake.FieldError;
import vn.bhxh.shield.ingest.intake.IndicatorLists;
import vn.bhxh.shield.ingest.intake.NoteIdentifiers;
import vn.bhxh.shield.ingest.intake.ReportIntake;
import vn.bhxh.shield.ingest.intake.ReportIntake.Outcome;
import vn.bhxh.shield.ingest.intake.ReportSubmission;
import vn.bhxh.shield.ingest.intake.ReportValidator;
import vn.bhxh.shield.ingest.intake.ValidReport;
import vn.bhxh.shield.ingest.security.ApiClient;
import vn.bhxh.shield.ingest.security.Role;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.Report;

/**
 * {@code POST /api/v1/reports} (202 only after Kafka committed the event; no server thread waits for it), {@code POST /api/v1/validate} (the
 * same rules, nothing written: the form's inline validation, and the identifiers of the notes it may add), {@code GET /api/v1/provinces?q=} (type-ahead) and
 * {@code GET /api/v1/indicators/{key}} (the processor's knowledge, for the receipt).
 */
final class ReportsApi {

    /** A report is a few hundred bytes; 64 KiB leaves room for long notes and refuses anything else early. */
    static final int MAX_REPORT_BYTES = 64 * 1024;
    private static final Set<Role> REPORTERS = Set.of(Role.OPERATOR, Role.POLICE);

    private final Endpoints endpoints;
    private final ReportValidator validator;
    private final ReportIntake intake;
    private final ProcessorLookup processor;

    ReportsApi(Endpoints endpoints, ReportValidator validator, ReportIntake intake, ProcessorLookup processor) {
        this.endpoints = endpoints;
        this.validator = validator;
        this.intake = intake;
        this.processor = processor;
    }

    void register(JavalinConfig config) {
        config.routes.post("/api/v1/reports", endpoints.metered("reports", this::submit));
        config.routes.post("/api/v1/validate", endpoints.metered("validate", this::validate));
        config.routes.get("/api/v1/provinces", endpoints.metered("provinces", this::provinces));
        config.routes.get("/api/v1/indicators", endpoints.metered("indicators-typed", this::typedIndicator));
        config.routes.get("/api/v1/indicators/{key}", endpoints.metered("indicators", this::indicator));
    }

    private void submit(Context ctx) {
        ApiClient client = endpoints.authorise(ctx, REPORTERS);
        byte[] body = boundedBody(ctx, MAX_REPORT_BYTES);
        String correlationId = Endpoints.correlationId(ctx);
        Endpoints.answerWhenDone(ctx, intake.submit(client.name() + " reports", ctx.header("Idempotency-Key"), body,
                () -> accept(client, body, correlationId)));
    }

    private Outcome accept(ApiClient client, byte[] body, String correlationId) {
        ReportSubmission submission = Json.read(body, ReportSubmission.class);
        ReportValidator.Result result = validator.validate(submission);
        ValidReport valid = result.report().orElseThrow(() -> ApiProblem.invalid(result.errors()));
        if (valid.channel() != client.role().channel()) {
            throw new ApiProblem(403, "CHANNEL_NOT_ALLOWED", "Tài khoản này chỉ được gửi báo cáo qua kênh "
                    + client.role().channel() + ".", List.of(new FieldError("channel", "CHANNEL_NOT_ALLOWED",
                    "Kênh " + valid.channel() + " không dành cho tài khoản này.")), null);
        }
        Report event = intake.toEvent(valid, client.name(), correlationId);
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("reportId", event.getReportId());
        receipt.put("indicators", valid.indicators().stream().map(Indicator::key).toList());
        receipt.put("identifiers", valid.indicators().stream().map(ReportsApi::describe).toList());
        // The receipt is kept on the idempotency topic for retries: the kinds only, never the numbers themselves,
        // which may be the citizen's (validate, which stores nothing, names them).
        receipt.put("notAddedFromNotes", result.notAdded().stream()
                .map(found -> new NotAdded(found.indicator().kind().name(), found.writersOwn())).toList());
        return new Outcome(List.of(event), 202, Json.write(receipt));
    }

    /** An identifier of the notes left out of the report, as the receipt names it. */
    record NotAdded(String kind, boolean writersOwn) {
    }

    /** The rules without writing; {@code notAdded} is what the form offers to add from the notes. */
    private void validate(Context ctx) {
        endpoints.authorise(ctx, REPORTERS);
        ReportValidator.Result result = validator.validate(Json.read(boundedBody(ctx, MAX_REPORT_BYTES),
                ReportSubmission.class));
        ctx.json(Map.of("valid", result.errors().isEmpty(), "errors", result.errors(),
                "identifiers", result.indicators().stream().map(ReportsApi::describe).toList(),
                "notAdded", result.notAdded().stream().map(ReportsApi::offer).toList()));
    }

    /** An identifier of the notes as the form offers it: the field and the entry that adds it there. */
    private static Map<String, Object> offer(NoteIdentifiers.Found found) {
        Map<String, Object> offer = new LinkedHashMap<>(describe(found.indicator()));
        offer.put("field", IndicatorLists.field(found.indicator()));
        offer.put("entry", IndicatorLists.entry(found.indicator()));
        offer.put("writersOwn", found.writersOwn());
        return offer;
    }

    private void provinces(Context ctx) {
        endpoints.authorise(ctx, Set.of(Role.values()));
        String q = ctx.queryParam("q");
        var found = q == null || q.isBlank() ? Provinces.all() : Provinces.search(q);
        ctx.json(found.stream().map(p -> Map.of("slug", p.slug(), "name", p.name(), "formerNames", p.formerNames()))
                .toList());
    }

    private void indicator(Context ctx) {
        endpoints.authorise(ctx, REPORTERS);
        Indicator indicator = Indicator.parseKey(ctx.pathParam("key"))
                .orElseThrow(() -> ApiProblem.of(400, "INVALID_INDICATOR", "Mã định danh không hợp lệ."));
        ctx.json(known(indicator));
    }

    /**
     * What is known of an identifier as the operator types it ({@code ?field=phoneNumbers&q=0904 038 115}): the
     * field's rules first, so a typing mistake is said next to the field before anyone asks the processor.
     */
    private void typedIndicator(Context ctx) {
        endpoints.authorise(ctx, REPORTERS);
        String field = ctx.queryParam("field");
        String typed = ctx.queryParam("q");
        if (typed != null && typed.length() > ReportValidator.MAX_TYPED) {
            throw ApiProblem.of(400, "INVALID_INDICATOR", "Nội dung tra cứu quá dài.");
        }
        Normalisation normalised = validator.typed(field, typed).orElseThrow(() -> ApiProblem.of(400,
                "INVALID_LOOKUP", "Cần tham số field (phoneNumbers, urls hoặc accounts) và q (nội dung đã gõ)."));
        if (normalised instanceof Normalisation.Rejected rejected) {
            ctx.json(Map.of("accepted", false, "message", rejected.messageVi()));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", true);
        body.putAll(known(normalised.accepted().orElseThrow()));
        ctx.json(body);
    }

    /** The processor's answer for one indicator with its Vietnamese explanation. */
    private Map<String, Object> known(Indicator indicator) {
        ProcessorLookup.Answer answer = processor.lookup(indicator.key());
        Map<String, Object> body = new LinkedHashMap<>(describe(indicator));
        body.put("availability", answer.availability());
        body.put("status", answer.status());
        body.put("explanation", explain(indicator, answer));
        return body;
    }

    static LookupExplanation explain(Indicator indicator, ProcessorLookup.Answer answer) {
        // The official channels are known here too: the words for the caller must not depend on the processor.
        if (OfficialChannels.isOfficial(indicator)) {
            return LookupExplanation.official();
        }
        return switch (answer.availability()) {
            case KNOWN -> LookupExplanation.of(answer.status());
            case UNKNOWN -> LookupExplanation.unreported();
            case UNAVAILABLE -> LookupExplanation.unavailable();
        };
    }

    static Map<String, String> describe(Indicator indicator) {
        return Map.of("key", indicator.key(), "display", indicator.display(), "kind", indicator.kind().name());
    }

    static byte[] boundedBody(Context ctx, int maxBytes) {
        byte[] body = ctx.bodyAsBytes();
        if (body.length > maxBytes) {
            throw ApiProblem.of(413, "BODY_TOO_LARGE", "Nội dung gửi lên quá lớn (tối đa " + maxBytes / 1024 + " KB).");
        }
        return body;
    }
}
