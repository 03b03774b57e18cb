package vn.bhxh.shield.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

@SuppressWarnings("try") // MDC scopes are used by being open
class CorrelationIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"req-42", "0f8fad5b-d9cb-469f-a165-70867728950e", "Root=1-67891233-abcdef012345678912345678",
            "a.b_c:d", "base64+/="})
    void aCallersSafeIdIsKept(String offered) {
        assertThat(CorrelationId.acceptOrCreate(offered)).isEqualTo(offered);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "two words", "line\nbreak", "<script>", "{\"json\":1}", "Nguyễn",
            "a;b", "12345678901234567890123456789012345678901234567890123456789012345"})
    void anythingElseIsReplacedByARandomUuid(String offered) {
        String id = CorrelationId.acceptOrCreate(offered);
        assertThat(id).isNotEqualTo(offered);
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    }

    @Test
    void theFirstValidOfSeveralHeadersWinsAndNoneMeansANewOne() {
        assertThat(CorrelationId.acceptOrCreate(null, "bad id", "good-id")).isEqualTo("good-id");
        assertThat(CorrelationId.acceptOrCreate(null, null)).isNotEqualTo(CorrelationId.acceptOrCreate(null, null));
    }

    @Test
    void aRecordsIdIsItsHeaderElseItsFieldIfEitherIsValid() {
        var headers = CorrelationId.headers("from-header");
        assertThat(CorrelationId.of(headers, "from-field")).contains("from-header");
        assertThat(CorrelationId.of(new RecordHeaders(), "from-field")).contains("from-field");
        assertThat(CorrelationId.of(CorrelationId.headers(null), null)).isEmpty();
        var forged = new RecordHeaders().add(CorrelationId.KAFKA_HEADER, "x\ny".getBytes(StandardCharsets.UTF_8));
        assertThat(CorrelationId.of(forged, "bad field")).isEmpty();
    }

    @Test
    void theMdcHoldsTheIdOnlyInsideTheScope() {
        try (var ignored = CorrelationId.inLogs("req-42")) {
            assertThat(MDC.get(CorrelationId.MDC_KEY)).isEqualTo("req-42");
        }
        assertThat(MDC.get(CorrelationId.MDC_KEY)).isNull();
        try (var ignored = CorrelationId.inLogs(null)) {
            assertThat(MDC.get(CorrelationId.MDC_KEY)).isNull();
        }
    }
}
