package vn.bhxh.shield.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.base.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    private static final class ManualTicker extends Ticker {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public long read() {
            return nanos.get();
        }

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }
    }

    private final ManualTicker ticker = new ManualTicker();
    private final LoginThrottle throttle = new LoginThrottle(ticker);

    @Test
    void aUserIsRefusedAfterItsFailuresUntilTheWindowEnds() {
        for (int i = 0; i < LoginThrottle.FAILURES_PER_USER; i++) {
            assertThat(throttle.retryAfter("10.0.0." + i, "hanoi1")).as("failure %d", i).isEmpty();
            throttle.failed("10.0.0." + i, "hanoi1");
        }
        ticker.advance(Duration.ofMinutes(5));

        assertThat(throttle.retryAfter("10.0.0.99", "hanoi1")).contains(Duration.ofMinutes(10));
        assertThat(throttle.retryAfter("10.0.0.99", "thanhhoa1")).as("another user").isEmpty();
        ticker.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertThat(throttle.retryAfter("10.0.0.99", "hanoi1")).as("after the window").isEmpty();
    }

    @Test
    void anAddressIsRefusedAfterItsFailuresWhateverTheUser() {
        for (int i = 0; i < LoginThrottle.FAILURES_PER_ADDRESS; i++) {
            assertThat(throttle.retryAfter("10.0.0.1", "user" + i)).isEmpty();
            throttle.failed("10.0.0.1", "user" + i);
        }

        assertThat(throttle.retryAfter("10.0.0.1", "someone-new")).contains(LoginThrottle.WINDOW);
        assertThat(throttle.retryAfter("10.0.0.2", "someone-new")).as("another address").isEmpty();
    }
}
