package vn.bhxh.shield.sink;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import vn.bhxh.shield.runtime.TransactionalProducers;
import vn.bhxh.shield.schema.Decision;

/**
 * Writes the decisions of one campaign decision in one Kafka transaction: the processor and the boards (both
 * read_committed) see all of them or none, and the officer hears 202 only after the commit. A transactional producer
 * runs one transaction at a time, and campaign decisions are rare, so they take turns on one producer, opened at the
 * first campaign (a sink that never decides a campaign needs no transactional id, nor the right to use one).
 *
 * <p>Any failure throws the producer away: the next campaign opens a new one whose {@code initTransactions} fences
 * and aborts whatever the old one left open, as ingest's report publisher does.
 */
final class CampaignWriter implements AutoCloseable {

    /** The setting naming this replica's transactional id; unique per replica, stable across its restarts. */
    static final String TRANSACTIONAL_ID = "SINK_TRANSACTIONAL_ID";
    private static final Logger log = LoggerFactory.getLogger(CampaignWriter.class);

    private final Supplier<Producer<String, Decision>> producers;
    private final String topic;
    private Producer<String, Decision> producer;

    CampaignWriter(Map<String, Object> reliableProducer, String transactionalId, Serializer<String> keys,
                   Serializer<Decision> values, String topic) {
        // An officer waits for the answer: fail within seconds rather than hold the page.
        Map<String, Object> props = TransactionalProducers.failFast(reliableProducer, transactionalId);
        this.producers = () -> TransactionalProducers.open(props, keys, values);
        this.topic = topic;
    }

    /**
     * All the decisions, keyed by indicator, committed together; returns once committed.
     *
     * @throws SinkProblem 503 when Kafka did not commit them (then none is visible to read_committed readers)
     */
    synchronized void write(List<Decision> decisions) {
        try {
            if (producer == null) {
                producer = producers.get();
            }
            producer.beginTransaction();
            for (Decision decision : decisions) {
                producer.send(new ProducerRecord<>(topic, decision.getIndicator(), decision));
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            log.warn("campaign decision of {} ({} decisions) not written: {}", decisions.get(0).getCampaignOf(),
                    decisions.size(), e.toString());
            closeProducer(Duration.ZERO);
            throw new SinkProblem(503, "KAFKA_UNAVAILABLE", "Chưa ghi được quyết định (không chỉ báo nào được ghi),"
                    + " hãy thử lại sau ít giây.");
        }
    }

    private void closeProducer(Duration wait) {
        if (producer != null) {
            producer.close(wait);
            producer = null;
        }
    }

    @Override
    public synchronized void close() {
        closeProducer(Duration.ofSeconds(10));
    }
}
