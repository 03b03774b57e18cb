package vn.bhxh.shield.ingest.web;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.ingest.intake.FieldError;
import vn.bhxh.shield.ingest.intake.IndicatorLists;
import vn.bhxh.shield.ingest.intake.ReportIntake;
import vn.bhxh.shield.ingest.intake.ReportIntake.Outcome;
import vn.bhxh.shield.ingest.intake.ValidReport;
import vn.bhxh.shield.ingest.security.ApiClient;
import vn.bhxh.shield.ingest.security.Role;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.HttpProblem;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;

/**
 * {@code POST /api/v1/police/referrals}: a batch of confirmed identifiers from a cyber-crime unit, as UTF-8 CSV
 * with a header row ({@code identifier,caseReference,unit,province[,notes]}) or a JSON array of the same fields.
 * Every row gets a result; the accepted ones are written in one transaction as POLICE reports (202), and a batch
 * with no acceptable row writes nothing (400). An Idempotency-Key makes a re-sent batch harmless.
 */
final class PoliceReferrals {

    static final String PATH = "/api/v1/police/referrals";
    static final int MAX_ROWS = 5000;
    private static final CsvMapper CSV = new CsvMapper();

    private final Endpoints endpoints;
    private final ReportIntake intake;
    private final Normaliser normaliser;

    PoliceReferrals(Endpoints endpoints, ReportIntake intake, Normaliser normaliser) {
        this.endpoints = endpoints;
        this.intake = intake;
        this.normaliser = normaliser;
    }

    void register(JavalinConfig config) {
        config.routes.post(PATH, endpoints.metered("police", this::receive));
    }

    private void receive(Context ctx) {
        ApiClient client = endpoints.authorise(ctx, Set.of(Role.POLICE));
        byte[] body = ctx.bodyAsBytes();
        String correlationId = Endpoints.correlationId(ctx);
        String key = ctx.header("Idempotency-Key");
        boolean csv = String.valueOf(ctx.contentType()).toLowerCase(java.util.Locale.ROOT).startsWith("text/csv");
        Endpoints.answerWhenDone(ctx, intake.submit(client.name() + " police", key, body,
                () -> batch(client, rows(body, csv), correlationId)));
    }

    private Outcome batch(ApiClient client, List<Map<String, String>> rows, String correlationId) {
        List<Report> reports = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            List<FieldError> errors = new ArrayList<>();
            String unit = required(row, "unit", "đơn vị", errors);
            String caseReference = required(row, "caseReference", "số hồ sơ vụ việc", errors);
            Province province = province(row.get("province"), errors);
            Indicator indicator = null;
            Normalisation normalised = normaliser.any(row.get("identifier"));
            if (normalised instanceof Normalisation.Rejected rejected) {
                errors.add(FieldError.of("identifier", rejected));
            } else {
                indicator = normalised.accepted().orElseThrow();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("row", i + 1);
            if (errors.isEmpty()) {
                List<Indicator> found = List.of(indicator);
                Report report = intake.toEvent(new ValidReport(Channel.POLICE, unit, province.slug(), null,
                        IndicatorLists.phones(found), IndicatorLists.links(found), IndicatorLists.accounts(found),
                        List.of(), 0, blankToNull(row.get("notes")), null, caseReference, found), client.name(), correlationId);
                reports.add(report);
                result.put("status", "ACCEPTED");
                result.put("reportId", report.getReportId());
                result.put("indicator", ReportsApi.describe(indicator));
            } else {
                result.put("status", "REJECTED");
                result.put("errors", errors);
            }
            results.add(result);
        }
        if (reports.isEmpty()) { // a problem like every other rejection, with each row's reasons
            return new Outcome(reports, 400, HttpProblem.of(400, "NO_ROW_ACCEPTED",
                            "Không có dòng nào hợp lệ, xem lỗi của từng dòng.")
                    .with("accepted", 0).with("rejected", rows.size()).with("rows", results).json(PATH));
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("accepted", reports.size());
        reply.put("rejected", rows.size() - reports.size());
        reply.put("rows", results);
        return new Outcome(reports, 202, Json.write(reply));
    }

    private static List<Map<String, String>> rows(byte[] body, boolean csv) {
        List<Map<String, String>> rows;
        if (csv) {
            try (MappingIterator<Map<String, String>> it = CSV.readerFor(Map.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(new String(body, StandardCharsets.UTF_8))) {
                rows = it.readAll();
            } catch (IOException | RuntimeException e) {
                throw ApiProblem.invalid(List.of(new FieldError("body", "MALFORMED_CSV",
                        "Tệp CSV không đọc được: cần dòng tiêu đề identifier,caseReference,unit,province.")));
            }
        } else {
            Referral[] referrals = Json.read(body, Referral[].class);
            for (int i = 0; i < referrals.length; i++) {
                if (referrals[i] == null) {
                    throw Json.wrongType("[" + i + "]");
                }
            }
            rows = Arrays.stream(referrals).map(Referral::asRow).toList();
        }
        if (rows.isEmpty() || rows.size() > MAX_ROWS) {
            throw ApiProblem.invalid(List.of(new FieldError("body", "BATCH_SIZE",
                    "Mỗi lần gửi từ 1 đến " + MAX_ROWS + " dòng.")));
        }
        return rows;
    }

    /** One referral as JSON: the same fields as the CSV columns. */
    record Referral(String identifier, String caseReference, String unit, String province, String notes) {
        Map<String, String> asRow() {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("identifier", identifier);
            row.put("caseReference", caseReference);
            row.put("unit", unit);
            row.put("province", province);
            row.put("notes", notes);
            return row;
        }
    }

    private static Province province(String typed, List<FieldError> errors) {
        if (typed == null || typed.isBlank()) {
            errors.add(new FieldError("province", "REQUIRED", "Chưa có tỉnh, thành phố."));
            return null;
        }
        return Provinces.lookup(typed).orElseGet(() -> {
            errors.add(new FieldError("province", "UNKNOWN_PROVINCE",
                    "Không tìm thấy tỉnh, thành phố \"" + typed.strip() + "\"."));
            return null;
        });
    }

    private static String required(Map<String, String> row, String field, String label, List<FieldError> errors) {
        String value = blankToNull(row.get(field));
        if (value == null) {
            errors.add(new FieldError(field, "REQUIRED", "Chưa có " + label + "."));
        }
        return value;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
