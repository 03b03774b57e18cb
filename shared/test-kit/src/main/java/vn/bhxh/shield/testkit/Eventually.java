package vn.bhxh.shield.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something asynchronous (a consumer, a stream thread) instead of sleeping a guessed time. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + within + ": " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
