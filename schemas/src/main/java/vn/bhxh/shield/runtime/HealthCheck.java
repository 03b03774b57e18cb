package vn.bhxh.shield.runtime;

/** One thing a service needs to do its job; {@code /health} is 200 only when every check is up. */
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
