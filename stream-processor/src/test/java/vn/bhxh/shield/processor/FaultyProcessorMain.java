package vn.bhxh.shield.processor;

/**
 * The processor's production main with the test seam armed, for tests that run it as an OS process: an input
 * whose indicator contains {@code TEST_THREAD_KILLER} makes the "rules" throw an {@link Error}, which no exception
 * handler takes, so the stream thread dies on it every time it is read.
 */
public final class FaultyProcessorMain {

    /** Thrown on the marked indicator. */
    static final class ThreadKiller extends Error {
        ThreadKiller(String indicator) {
            super("test: the stream thread dies on " + indicator);
        }
    }

    private FaultyProcessorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        String marker = System.getenv("TEST_THREAD_KILLER");
        ProcessorService.run((indicator, input) -> {
            if (marker != null && indicator.contains(marker)) {
                throw new ThreadKiller(indicator);
            }
        });
    }
}
