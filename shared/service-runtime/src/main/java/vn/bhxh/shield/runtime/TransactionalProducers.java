package vn.bhxh.shield.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Transactional producers for writes a person waits on (ingest's reports, an officer's campaign decision): the
 * same fail-fast timeouts and the same "a producer that did not initialise is closed, never half-used" in one place.
 */
public final class TransactionalProducers {

    private TransactionalProducers() {
    }

    /**
     * {@code reliableProducer} with the transactional id and timeouts that fail within seconds rather than hold a
     * person (a request waits at most about max.block.ms for its turn, then the commit's own timeouts); explicit
     * {@code KAFKA_CLIENT_*} settings in {@code reliableProducer} still win.
     */
    public static Map<String, Object> failFast(Map<String, Object> reliableProducer, String transactionalId) {
        Map<String, Object> props = new HashMap<>(reliableProducer);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
        props.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        return props;
    }

    /** A producer with {@code initTransactions} done (which fences what an earlier one with its id left open). */
    public static <K, V> Producer<K, V> open(Map<String, Object> props, Serializer<K> keys, Serializer<V> values) {
        KafkaProducer<K, V> created = new KafkaProducer<>(props, keys, values);
        try {
            created.initTransactions();
            return created;
        } catch (RuntimeException e) {
            created.close(Duration.ZERO);
            throw e;
        }
    }
}
