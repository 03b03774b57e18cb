package vn.bhxh.shield.sink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * What /metrics says about each of the sink's readers, tagged {@code reader} (alerts, webhook, blocklist, board):
 * its consumer's client metrics, lag among them ({@code kafka_consumer_fetch_manager_records_lag*}, also tagged
 * with the consumer's own {@code client_id}), and the records it could not decode.
 */
final class ConsumerMetrics {

    private ConsumerMetrics() {
    }

    /** Close it after the consumer. */
    static KafkaClientMetrics bind(Consumer<?, ?> consumer, String reader, MeterRegistry metrics) {
        KafkaClientMetrics bound = new KafkaClientMetrics(consumer, Tags.of("reader", reader));
        bound.bindTo(metrics);
        return bound;
    }

    /**
     * A record this reader skipped because it could not decode it, counted in
     * {@code bhxh_sink_undecodable_records{reader,topic}} whether or not this reader is the one that dead-letters it.
     */
    static void undecodable(MeterRegistry metrics, String reader, String topic) {
        metrics.counter("bhxh_sink_undecodable_records", "reader", reader, "topic", topic).increment();
    }
}
