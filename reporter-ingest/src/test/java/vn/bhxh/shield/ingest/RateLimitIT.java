package vn.bhxh.shield.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.bhxh.shield.ingest.IngestFixture.OPERATOR;
import static vn.bhxh.shield.ingest.IngestFixture.POLICE;
import static vn.bhxh.shield.ingest.IngestFixture.json;
import static vn.bhxh.shield.ingest.IngestFixture.post;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.testkit.KafkaTestCluster;

/** Each client has its own token bucket of INGEST_RATE_PER_SECOND: one client over it does not slow the others. */
class RateLimitIT {

    private static final String ONE_PER_SECOND = "1";

    @Test
    void aClientOverItsRateGets429WithRetryAfterWhileOthersAreServed() throws Exception {
        var settings = IngestFixture.settings(KafkaTestCluster.shared(), "ingest-it-" + UUID.randomUUID())
                .with(Map.of(IngestSettings.RATE_PER_SECOND, ONE_PER_SECOND));
        try (IngestService ingest = IngestFixture.startHealthy(settings)) {
            String report = ReportsApiIT.report("rate-" + UUID.randomUUID(), "0912345678", "0904038115");
            List<HttpResponse<String>> operator = new ArrayList<>();
            do {
                operator.add(post(ingest.port(), "/api/v1/reports", report, json(OPERATOR)));
            } while (operator.get(operator.size() - 1).statusCode() != 429 && operator.size() < 20);
            var police = post(ingest.port(), "/api/v1/reports", report.replace("HOTLINE", "POLICE"), json(POLICE));

            assertThat(operator.get(0).statusCode()).isEqualTo(202);
            var limited = operator.get(operator.size() - 1);
            assertThat(limited.statusCode()).isEqualTo(429);
            assertThat(limited.body()).contains("TOO_MANY_REQUESTS");
            assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(police.statusCode()).isEqualTo(202);

            // Honouring Retry-After is enough: the bucket has refilled.
            Thread.sleep(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow()) * 1000);
            assertThat(post(ingest.port(), "/api/v1/reports", report, json(OPERATOR)).statusCode()).isEqualTo(202);
        }
    }
}
