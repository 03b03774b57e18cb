package vn.bhxh.shield.deploy.ops;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import vn.bhxh.shield.decision.DecisionAuthority;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.runtime.KafkaSettings;
import vn.bhxh.shield.runtime.Settings;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.topic.Topic;
import vn.bhxh.shield.topic.Topics;

/**
 * An officer's decision on one indicator from a script, written to {@code bhxh.decisions.v1} for the
 * stream-processor to apply, held to the dashboard's rules ({@link DecisionAuthority}): CONFIRM lists a proposal,
 * REJECT closes it, DELIST lifts a listing (an appeal upheld) and keeps crowd reports from re-listing it for
 * {@code PROCESSOR_DELIST_GUARD}, ALLOWLIST declares an official channel that is never blocked and UNALLOWLIST
 * takes that back (both national only). ACKNOWLEDGE is the dashboard's, KEEP the appeals'.
 *
 * <p>{@code bhxh-ops decide [--province <slug>] <CONFIRM|REJECT|DELIST|ALLOWLIST|UNALLOWLIST> <indicator as typed>
 * <actor> <reason>}: without {@code --province} a national decision; with it, the decision of that province's office,
 * which the processor applies only to an indicator reported in that province and never to delist a police-confirmed
 * listing. Connected like every service, by {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL} and
 * {@code KAFKA_CLIENT_*}.
 */
@Command(name = "decide", sortOptions = false,
        description = {
            "Ghi quyết định của cán bộ về một số/đường dẫn vào bhxh.decisions.v1: CONFIRM đưa vào danh sách chặn,"
                    + " REJECT bác đề xuất, DELIST gỡ khỏi danh sách (khiếu nại được chấp nhận), ALLOWLIST/UNALLOWLIST"
                    + " khai báo/bỏ kênh chính thức (chỉ cấp quốc gia).",
            "Writes an officer's decision on one indicator to bhxh.decisions.v1: CONFIRM lists, REJECT closes a"
                    + " proposal, DELIST lifts a listing (appeal upheld), ALLOWLIST/UNALLOWLIST declare or withdraw an"
                    + " official channel (national only).",
            "Kết nối/connects with KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, KAFKA_CLIENT_*."})
public final class Decide implements Callable<Integer> {

    @Option(names = "--province", paramLabel = "<province-slug>",
            description = "Quyết định của sở tỉnh này (mặc định: cấp quốc gia) / this province office's decision"
                    + " (default: national)")
    private String province;

    @Parameters(index = "0", paramLabel = "<CONFIRM|REJECT|DELIST|ALLOWLIST|UNALLOWLIST>",
            description = "Hành động / action")
    private String action;

    @Parameters(index = "1", paramLabel = "<indicator>",
            description = "Số điện thoại, đường dẫn... như đã gõ / phone number, link... as typed")
    private String indicator;

    @Parameters(index = "2", paramLabel = "<actor>", description = "Ai quyết định (vào nhật ký) / who decided (audit)")
    private String actor;

    @Parameters(index = "3", paramLabel = "<reason>", description = "Lý do, tối đa 500 ký tự / reason, at most 500"
            + " characters")
    private String reason;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Decision decision;
        try {
            decision = decision(action, indicator, actor, province, reason, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            RecordMetadata written = write(KafkaSettings.from(Settings.fromEnvironment()), decision);
            System.out.printf("%s %s by %s (%s, \"%s\") written to %s-%d at offset %d, decisionId %s%n",
                    decision.getAction(), decision.getIndicator(), decision.getActor(),
                    decision.getProvince() == null ? "national" : decision.getProvince(), decision.getReason(),
                    written.topic(), written.partition(), written.offset(), decision.getDecisionId());
            return 0;
        } catch (ExecutionException e) {
            System.err.println("not written: " + e.getCause());
            return 1;
        }
    }

    /** A national operator's decision. */
    public static Decision decision(String action, String typed, String actor, String reason, Instant at) {
        return decision(action, typed, actor, null, reason, at);
    }

    /**
     * The decision of a province's office ({@code province} a slug) or a national one (null), keyed by the canonical
     * form of what the operator typed. Refuses here what the processor would refuse or dead-letter: not an officer's
     * action, not an indicator, an unknown province, no actor, a reason missing or over 500 characters, a province
     * changing the allowlist.
     */
    public static Decision decision(String action, String typed, String actor, String province, String reason,
                                    Instant at) {
        DecisionAction decided = DecisionAuthority.OFFICER_ACTIONS.stream()
                .filter(a -> a.name().equals(action.toUpperCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("action must be one of "
                        + DecisionAuthority.OFFICER_ACTIONS + ", not '" + action + "'"));
        Indicator indicator = canonical(typed);
        if (province != null && Provinces.bySlug(province).isEmpty()) {
            throw new IllegalArgumentException("'" + province + "' is not a province slug (provinces.csv)");
        }
        if (actor.isBlank()) {
            throw new IllegalArgumentException("an actor is required: who decided goes into the indicator's audit trail");
        }
        DecisionAuthority.checkRequest(decided, province, reason).ifPresent(refusal -> {
            throw new IllegalArgumentException(refusal.messageVi());
        });
        return Decision.newBuilder()
                .setDecisionId(UUID.randomUUID().toString())
                .setAction(decided)
                .setIndicator(indicator.key())
                .setActor(actor.strip())
                .setProvince(province)
                .setReason(reason.strip())
                .setDecidedAt(at)
                .build();
    }

    private static Indicator canonical(String typed) {
        Normalisation normalised = new Normaliser().keyOrAny(typed);
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
