package vn.bhxh.shield.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import vn.bhxh.shield.testkit.Eventually;

class SupervisedLoopTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(300), Duration.ofSeconds(1));

    @Test
    void aRunThatThrowsIsCountedRestartedAndUnreadyMeanwhile() throws Exception {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<SupervisedLoop> self = new AtomicReference<>();
        CountDownLatch failing = new CountDownLatch(1);
        SupervisedLoop loop = new SupervisedLoop("reader", () -> {
            if (runs.incrementAndGet() == 1) {
                self.get().progressed();
                failing.countDown();
                throw new IllegalStateException("a bug in one record");
            }
            while (self.get().running()) {
                self.get().progressed();
                Thread.sleep(10);
            }
        }, () -> { }, BACKOFF, Duration.ofMinutes(1), metrics);
        self.set(loop);
        try (loop) {
            loop.start();
            assertThat(failing.await(5, TimeUnit.SECONDS)).isTrue();
            Eventually.await("unready while waiting to restart", Duration.ofSeconds(5),
                    () -> !loop.readiness().check().up());
            assertThat(loop.readiness().check().detail()).contains("a bug in one record");
            assertThat(loop.liveness().check().up()).as("being restarted is alive").isTrue();

            Eventually.await("ready after the restart", Duration.ofSeconds(5), () -> loop.readiness().check().up());
            assertThat(runs.get()).isEqualTo(2);
            assertThat(metrics.get("bhxh_loop_failures").tag("loop", "reader").counter().count()).isEqualTo(1);
            assertThat(metrics.get("bhxh_loop_up").tag("loop", "reader").gauge().value()).isEqualTo(1);
        }
        assertThat(loop.running()).isFalse();
    }

    @Test
    void retryingLaterIsUnreadyAndCloseEndsTheWaitAtOnce() {
        AtomicReference<SupervisedLoop> self = new AtomicReference<>();
        SupervisedLoop loop = new SupervisedLoop("follower", () -> {
            while (self.get().running()) {
                self.get().retryLater("registry does not answer");
            }
        }, () -> { }, new Backoff(Duration.ofMinutes(1), Duration.ofMinutes(1)), Duration.ofMinutes(5),
                new SimpleMeterRegistry());
        self.set(loop);
        loop.start();
        Eventually.await("unready while retrying", Duration.ofSeconds(5),
                () -> loop.readiness().check().detail().equals("registry does not answer"));
        assertThat(loop.liveness().check().up()).isTrue();

        long begin = System.nanoTime();
        loop.close();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(3));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.after(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(4)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.after(1_000)).isEqualTo(Duration.ofSeconds(3));
    }
}
