package vn.bhxh.shield.runtime;

/** One thing a service needs to do its job; registered in {@link Health} as a liveness or a readiness check. */
@FunctionalInterface
public interface HealthCheck {

    Status check();

    record Status(boolean up, String detail) {
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        public static Status down(String detail) {
            return new Status(false, detail);
        }
    }
}
