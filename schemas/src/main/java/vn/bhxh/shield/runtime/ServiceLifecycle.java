package vn.bhxh.shield.runtime;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a service's {@code main} alive until SIGTERM or Ctrl-C, then closes it exactly once. */
public final class ServiceLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServiceLifecycle.class);

    private ServiceLifecycle() {
    }

    public static void runUntilShutdown(String serviceName, AutoCloseable service) throws InterruptedException {
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
        log.info("{} started", serviceName);
        closed.await();
    }
}
