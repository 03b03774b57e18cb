package vn.bhxh.shield.runtime;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a service's {@code main} alive until SIGTERM or Ctrl-C, then closes it exactly once. With
 * {@code BHXH_STOP_WITH_PARENT=true} (set by the local stack for its children) it also stops when the process
 * that started it exits, so that killing the launcher never leaves orphans holding the ports.
 */
public final class ServiceLifecycle {

    public static final String STOP_WITH_PARENT = "BHXH_STOP_WITH_PARENT";
    private static final Logger log = LoggerFactory.getLogger(ServiceLifecycle.class);

    private ServiceLifecycle() {
    }

    /** Something that starts slowly and can be interrupted by a shutdown half-way. */
    @FunctionalInterface
    public interface Startup {
        void start() throws Exception;
    }

    public static void runUntilShutdown(String serviceName, AutoCloseable service) throws InterruptedException {
        runUntilShutdown(serviceName, service, () -> { });
    }

    /**
     * Runs {@code startup} with the shutdown hook already in place, so a SIGTERM during a long start-up still
     * closes what was started; a failed start-up closes it too and exits with status 1.
     */
    public static void runUntilShutdown(String serviceName, AutoCloseable service, Startup startup)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("{} shutting down", serviceName);
            try {
                service.close();
            } catch (Exception e) {
                log.warn("{} did not close cleanly", serviceName, e);
            } finally {
                closed.countDown();
            }
        }, serviceName + "-shutdown"));
        if (Boolean.parseBoolean(System.getenv(STOP_WITH_PARENT))) {
            ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
                log.info("{}: the process that started it exited", serviceName);
                System.exit(0); // runs the shutdown hook above
            }));
        }
        try {
            startup.start();
        } catch (Exception e) {
            log.error("{} did not start: {}", serviceName, e.getMessage(), e);
            System.exit(1); // runs the shutdown hook, which closes what did start
        }
        log.info("{} started", serviceName);
        closed.await();
    }
}
