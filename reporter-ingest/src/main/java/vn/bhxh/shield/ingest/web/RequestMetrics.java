package vn.bhxh.shield.ingest.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code ingest_requests_total{endpoint, outcome}}: accepted (2xx), rejected (4xx, the caller's fault), failed (5xx). */
final class RequestMetrics {

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String endpoint, int status) {
        String outcome = status < 400 ? "accepted" : status < 500 ? "rejected" : "failed";
        Counter.builder("ingest_requests")
                .description("HTTP requests to reporter-ingest's intake endpoints by outcome")
                .tags("endpoint", endpoint, "outcome", outcome)
                .register(registry)
                .increment();
    }
}
