package vn.bhxh.shield.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OneWritePerKeyTest {

    private final OneWritePerKey writes = new OneWritePerKey();

    @Test
    void aSecondAttemptForAKeyStartsOnlyWhenTheFirstHasEnded() throws Exception {
        CompletableFuture<String> firstCommit = new CompletableFuture<>();
        List<String> started = new CopyOnWriteArrayList<>();

        CompletableFuture<String> first = writes.run("k", () -> {
            started.add("first");
            return firstCommit;
        });
        CompletableFuture<String> second = writes.run("k", () -> {
            started.add("second");
            return CompletableFuture.completedFuture("second");
        });

        Thread.sleep(50);
        assertThat(started).containsExactly("first");
        assertThat(second).isNotDone();
        firstCommit.complete("first");
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(started).containsExactly("first", "second");
    }

    @Test
    void otherKeysDoNotWait() throws Exception {
        CompletableFuture<String> pending = new CompletableFuture<>();
        writes.run("k", () -> pending);

        assertThat(writes.run("other", () -> CompletableFuture.completedFuture("now"))
                .get(1, TimeUnit.SECONDS)).isEqualTo("now");
    }

    @Test
    void aFailedOrThrowingAttemptFreesTheKey() throws Exception {
        CompletableFuture<String> failing = new CompletableFuture<>();
        CompletableFuture<String> first = writes.run("k", () -> failing);
        CompletableFuture<String> second = writes.run("k", () -> {
            throw new KafkaUnavailableException("down", null);
        });
        failing.completeExceptionally(new KafkaUnavailableException("commit failed", null));

        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(KafkaUnavailableException.class);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("down");
        // Nothing in flight any more: the next attempt runs at once, on this thread.
        assertThat(writes.run("k", () -> CompletableFuture.completedFuture("third")).getNow(null)).isEqualTo("third");
    }

    @Test
    void manyConcurrentAttemptsForOneKeyNeverOverlap() throws Exception {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int attempt = i;
            results.add(CompletableFuture.supplyAsync(() -> writes.run("k", () -> {
                mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                // Each write ends a little later, on another thread, as a Kafka commit does.
                return CompletableFuture.supplyAsync(() -> {
                    inFlight.decrementAndGet();
                    return attempt;
                }, CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
            })).thenCompose(result -> result));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(Duration.ofSeconds(30).toSeconds(),
                TimeUnit.SECONDS);
        assertThat(mostAtOnce.get()).isEqualTo(1);
        assertThat(results).allMatch(result -> result.isDone() && !result.isCompletedExceptionally());
    }
}
