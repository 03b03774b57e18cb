package vn.bhxh.shield.ingest.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code ingest_requests_total{endpoint, outcome}}: accepted (2xx), rejected (4xx, the caller's fault), failed (5xx).
 * Each endpoint's three counters are registered once, when its route is, so a request only increments one (and a
 * dashboard's rate() sees every outcome from zero).
 */
final class RequestMetrics {

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The counters of one endpoint. */
    Outcomes of(String endpoint) {
        return new Outcomes(counter(endpoint, "accepted"), counter(endpoint, "rejected"), counter(endpoint, "failed"));
    }

    private Counter counter(String endpoint, String outcome) {
        return Counter.builder("ingest_requests")
                .description("HTTP requests to reporter-ingest's intake endpoints by outcome")
                .tags("endpoint", endpoint, "outcome", outcome)
                .register(registry);
    }

    record Outcomes(Counter accepted, Counter rejected, Counter failed) {

        void count(int status) {
            (status < 400 ? accepted : status < 500 ? rejected : failed).increment();
        }
    }
}
