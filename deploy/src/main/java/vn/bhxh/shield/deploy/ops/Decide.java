package vn.bhxh.shield.deploy.ops;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * A national operator's decision on one indicator, written to {@code bhxh.decisions.v1} for the stream-processor
 * to apply: DELIST lifts a listing (an appeal upheld) and keeps crowd reports from re-listing it for
 * {@code PROCESSOR_DELIST_GUARD}; CONFIRM lists it as confirmed; ALLOWLIST declares it an official channel that
 * is never blocked. ACKNOWLEDGE is the province dashboard's, not an operator's.
 *
 * <p>{@code Decide <DELIST|CONFIRM|ALLOWLIST> <indicator as typed> <actor> <reason>}; connected like every
 * service, by {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL} and {@code KAFKA_CLIENT_*}.
 */
public final class Decide {

    static final Set<DecisionAction> ACTIONS = EnumSet.of(DecisionAction.DELIST, DecisionAction.CONFIRM,
            DecisionAction.ALLOWLIST);
    private static final String USAGE = "usage: Decide <DELIST|CONFIRM|ALLOWLIST> <indicator> <actor> <reason>";

    private Decide() {
    }

    public static void main(String[] args) throws InterruptedException {
        Decision decision;
        try {
            if (args.length != 4) {
                throw new IllegalArgumentException(USAGE);
            }
            decision = decision(args[0], args[1], args[2], args[3], Instant.now());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            RecordMetadata written = write(KafkaSettings.from(Settings.fromEnvironment()), decision);
            System.out.printf("%s %s by %s (\"%s\") written to %s-%d at offset %d, decisionId %s%n",
                    decision.getAction(), decision.getIndicator(), decision.getActor(), decision.getReason(),
                    written.topic(), written.partition(), written.offset(), decision.getDecisionId());
        } catch (ExecutionException e) {
            System.err.println("not written: " + e.getCause());
            System.exit(1);
        }
    }

    /**
     * The decision, keyed by the canonical form of what the operator typed (the processor would dead-letter one
     * that is no indicator: better to refuse it here, with the reason).
     */
    public static Decision decision(String action, String typed, String actor, String reason, Instant at) {
        DecisionAction decided = ACTIONS.stream().filter(a -> a.name().equals(action.toUpperCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "action must be one of " + ACTIONS + ", not '" + action + "'"));
        Indicator indicator = Indicator.parseKey(typed).orElseGet(() -> canonical(typed));
        if (actor.isBlank() || reason.isBlank()) {
            throw new IllegalArgumentException("actor and reason are required: who decided and why (the appeal or"
                    + " case reference) go into the indicator's audit trail");
        }
        return Decision.newBuilder()
                .setDecisionId(UUID.randomUUID().toString())
                .setAction(decided)
                .setIndicator(indicator.key())
                .setActor(actor.strip())
                .setReason(reason.strip())
                .setDecidedAt(at)
                .build();
    }

    private static Indicator canonical(String typed) {
        Normalisation normalised = new Normaliser().any(typed);
        if (normalised instanceof Normalisation.Rejected rejected) {
            throw new IllegalArgumentException("'" + typed + "' is not an indicator: " + rejected.messageVi());
        }
        return normalised.accepted().orElseThrow();
    }

    /** Writes it with acks from all in-sync replicas; returns where it landed. */
    public static RecordMetadata write(KafkaSettings kafka, Decision decision) throws ExecutionException,
            InterruptedException {
        Topic<String, Decision> topic = new Topics(kafka.schemaRegistry()).decisions();
        try (var producer = new KafkaProducer<>(kafka.reliableProducer("bhxh-ops-decide"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            return producer.send(new ProducerRecord<>(topic.name(), decision.getIndicator(), decision)).get();
        }
    }
}
