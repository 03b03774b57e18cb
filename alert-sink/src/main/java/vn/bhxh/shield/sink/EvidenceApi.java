package vn.bhxh.shield.sink;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.lookup.IndicatorEvidence;
import vn.bhxh.shield.sink.DashboardUsers.Session;
import vn.bhxh.shield.sink.EvidenceExport.Format;
import vn.bhxh.shield.sink.ProcessorLookup.IndicatorFacts;

/**
 * {@code GET /api/v1/dashboard/evidence?indicator=&format=csv|json[&campaign=true][&limit=]}: the reports behind an
 * indicator (or behind it and each indicator linked to it), from the processor, as a file for the police. National
 * accounts only: the evidence names every province's reporters' pseudonyms and submitting accounts, and a case goes
 * to the police through the national office. The answer carries {@code Repr-Digest} (RFC 9530, SHA-256 of the exact
 * bytes) for the case file; every export is logged (who, which indicators, how many reports, the digest; never a
 * report's content).
 */
final class EvidenceApi {

    static final String PATH = "/api/v1/dashboard/evidence";
    /** The audit trail of exports, a logger of its own so operators can route it to where audit logs are kept. */
    private static final Logger audit = LoggerFactory.getLogger("vn.bhxh.shield.sink.audit.EvidenceExport");
    private static final Logger log = LoggerFactory.getLogger(EvidenceApi.class);
    /** The processor's own cap per indicator is lower; this bounds what a typing error in the URL can ask for. */
    private static final int MAX_LIMIT = 10_000;

    private final DashboardUsers users;
    private final ProcessorLookup lookup;

    EvidenceApi(DashboardUsers users, ProcessorLookup lookup) {
        this.users = users;
        this.lookup = lookup;
    }

    void register(JavalinConfig config) {
        config.routes.get(PATH, this::export);
    }

    private void export(Context ctx) throws InterruptedException {
        Session session = users.session(ctx.cookie(Dashboard.SESSION_COOKIE)).orElseThrow(SinkProblem::unauthorized);
        if (!session.user().scope().equals(Webhook.NATIONAL)) {
            throw new SinkProblem(403, "NATIONAL_ONLY", "Chỉ tài khoản cấp quốc gia được xuất bằng chứng cho cơ quan"
                    + " công an.");
        }
        Format format = format(ctx.queryParam("format"));
        boolean campaign = "true".equals(ctx.queryParam("campaign"));
        OptionalInt limit = limit(ctx.queryParam("limit"));
        Indicator indicator = indicator(ctx.queryParam("indicator"));
        List<IndicatorEvidence> evidence = new ArrayList<>();
        try {
            evidence.add(lookup.evidence(indicator.key(), limit).orElseThrow(() -> new SinkProblem(404, "NO_REPORTS",
                    "Chưa có báo cáo nào về " + indicator.display() + ".")));
            if (campaign) {
                IndicatorFacts facts = lookup.facts(indicator.key());
                for (String linked : facts.linked()) {
                    evidence.add(lookup.evidence(linked, limit).orElseGet(() -> EvidenceExport.nothingKept(linked)));
                }
            }
        } catch (ProcessorLookup.Unavailable e) {
            log.warn("no evidence of {}: {}", indicator.key(), e.getMessage());
            throw new SinkProblem(503, "LOOKUP_UNAVAILABLE", "Chưa lấy được bằng chứng từ hệ thống xử lý, hãy thử lại"
                    + " sau ít phút.");
        }
        byte[] file = format == Format.CSV ? EvidenceExport.csv(evidence)
                : EvidenceExport.json(indicator.key(), campaign, evidence);
        Instant now = Instant.now();
        String fileName = EvidenceExport.fileName(indicator.key(), campaign, format, now);
        audit.info("evidence export by {} ({}): subject={} campaign={} indicators={} reports={} format={} file={}"
                        + " sha256={}", session.user().name(), session.user().scope(), indicator.key(), campaign,
                evidence.stream().map(IndicatorEvidence::indicator).toList(), EvidenceExport.reports(evidence),
                format.extension, fileName, EvidenceExport.sha256Hex(file));
        ctx.contentType(format.contentType)
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"")
                .header("Repr-Digest", EvidenceExport.reprDigest(file))
                .header("Cache-Control", "no-store")
                .result(file);
    }

    private static Format format(String requested) {
        try {
            return Format.valueOf((requested == null ? "csv" : requested).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SinkProblem(400, "INVALID_FORMAT", "Định dạng phải là csv hoặc json.");
        }
    }

    private static OptionalInt limit(String requested) {
        if (requested == null || requested.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int limit = Integer.parseInt(requested.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return OptionalInt.of(limit);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new SinkProblem(400, "INVALID_LIMIT", "Số báo cáo tối đa phải từ 1 đến " + MAX_LIMIT + ".");
    }

    private static Indicator indicator(String typed) {
        if (typed == null || typed.isBlank()) {
            throw new SinkProblem(400, "INDICATOR_REQUIRED", "Nhập số điện thoại, tên miền hoặc tài khoản.");
        }
        return DecisionsApi.indicator(typed);
    }
}
