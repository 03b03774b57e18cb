package vn.bhxh.shield.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RateLimitsTest {

    @Test
    void aNewClientsRequestsInQuickSuccessionAreServedWithinItsRate() {
        RateLimits limits = new RateLimits(20);

        assertThatCode(() -> {
            for (int i = 0; i < 3; i++) {
                limits.acquire("client:operator");
            }
        }).doesNotThrowAnyException();
    }

    @Test
    void aClientOverItsRateIsRefusedWithRetryAfterWhileAnotherIsServed() {
        RateLimits limits = new RateLimits(1);
        limits.acquire("client:operator");

        assertThatThrownBy(() -> limits.acquire("client:operator"))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(429);
                    assertThat(problem.retryAfterSeconds()).isEqualTo(1);
                });
        assertThatCode(() -> limits.acquire("client:police")).doesNotThrowAnyException();
    }
}
