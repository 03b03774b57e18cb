package vn.bhxh.shield.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.runtime.Settings;

class LocalStackBannerTest {

    @Test
    void thePagesFollowTheConfiguredPortsWithTheirLogins() {
        LocalStackConfig config = LocalStackConfig.from(Settings.of(Map.of(
                "INGEST_HTTP_PORT", "18080", "SINK_HTTP_PORT", "18082", "PROCESSOR_HTTP_PORT", "18083")));

        String banner = LocalStack.banner(config, 14, 1180, 5);

        assertThat(banner).contains("BHXH Shield is up in 14 s",
                "http://localhost:18080/\n", "sign in with the operator token dev-operator-token",
                "http://localhost:18082/\n", "user thanhhoa, password thanhhoa-dev (thanh-hoa)",
                "user hanoi, password hanoi-dev (ha-noi)", "user quocgia, password quocgia-dev (national)",
                "http://localhost:18082/khieu-nai", "http://localhost:18082/kiem-tra", "http://localhost:18083/docs",
                "Bearer dev-police-token", "Bearer viettel-dev-key or vnpt-dev-key",
                "http://localhost:18080/api/v1/fanpage/webhook, signed with dev-fanpage-app-secret",
                "1180 MiB in 5 processes")
                .doesNotContain(":8080", ":8082", ":8083");
    }
}
