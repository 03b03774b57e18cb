package vn.bhxh.shield.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks behind a service's probes. {@code GET /health/live} asks the liveness checks: can the process still
 * make progress (its loops alive or being restarted, none wedged)? When not, only a restart helps. {@code GET
 * /health/ready} (and its old alias {@code GET /health}) asks the liveness and the readiness checks: can it serve
 * now (connected, caught up enough, every loop reading)? When not, it is taken out of rotation but not killed: a
 * Kafka or registry outage makes every instance unready, and restarting them would not help.
 *
 * <p>Checks may be added at any time, also after the server started (a component created later registers its own);
 * thread-safe.
 */
public final class Health {

    private final Map<String, HealthCheck> live = new LinkedHashMap<>();
    private final Map<String, HealthCheck> ready = new LinkedHashMap<>();

    /** Only readiness checks, as {@link ServiceHttpServer} took them before liveness was told apart. */
    public static Health readiness(Map<String, HealthCheck> checks) {
        Health health = new Health();
        checks.forEach(health::ready);
        return health;
    }

    /** A check that, when down, means the process must be restarted; it also counts for readiness. */
    public synchronized Health live(String name, HealthCheck check) {
        put(live, name, check);
        return this;
    }

    /** A check that, when down, means the process must not get traffic for now. */
    public synchronized Health ready(String name, HealthCheck check) {
        put(ready, name, check);
        return this;
    }

    private void put(Map<String, HealthCheck> checks, String name, HealthCheck check) {
        if (live.containsKey(name) || ready.containsKey(name)) {
            throw new IllegalArgumentException("a health check named '" + name + "' is already registered");
        }
        checks.put(name, check);
    }

    synchronized Map<String, HealthCheck> livenessChecks() {
        return new LinkedHashMap<>(live);
    }

    synchronized Map<String, HealthCheck> readinessChecks() {
        Map<String, HealthCheck> all = new LinkedHashMap<>(live);
        all.putAll(ready);
        return all;
    }
}
