package vn.bhxh.shield.processor;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.Topics;

/**
 * Validates each decoded report and explodes it into one {@link IndicatorInput.ReportSeen} per canonical
 * indicator it names, keyed by the indicator (not yet repartitioned: the caller merges the decisions first).
 * A report with no valid indicator at all, or an unknown province slug, is a VALIDATION dead letter; invalid raw
 * identifiers next to valid ones are dropped and the report counts for the valid ones.
 * <p>
 * Indicators come only from the report's lists, never from its notes: a number in the notes may be the citizen's
 * own ("số của tôi ..."), and ingest, which alone sees the notes unredacted, already moved what a fanpage message
 * names into the lists and lets a hotline operator add what the notes mention.
 */
public final class ReportExplosionFlow {

    /**
     * Recent identifiers remembered per kind (about 300 bytes each): hot numbers are reported over and over in
     * the same few spellings, and parsing one with libphonenumber was a tenth of the processor's time.
     */
    private static final long NORMALISATION_MEMO = 20_000;

    private ReportExplosionFlow() {
    }

    static KStream<String, IndicatorInput> buildTopology(KStream<String, Report> reports, Topics topics,
                                                         ProcessorMetrics metrics) {
        Normaliser normaliser = Normaliser.memoising(NORMALISATION_MEMO);
        KStream<String, Decoded<List<IndicatorInput.Routed>>> checked = reports.processValues(
                () -> new ValidateProcessor<>(topics.reports(), report -> explode(report, normaliser)),
                Named.as("validate-reports"));
        return Intake.usable(checked, "invalid-reports", topics, metrics)
                .process(FanOutProcessor::new, Named.as("explode-by-indicator"));
    }

    static Verdict<List<IndicatorInput.Routed>> explode(Report report, Normaliser normaliser) {
        if (report.getProvince() != null && Provinces.bySlug(report.getProvince()).isEmpty()) {
            return Verdict.invalid("unknown province slug '" + report.getProvince() + "'");
        }
        Set<String> keys = new LinkedHashSet<>();
        List<String> rejected = new ArrayList<>();
        collect(report.getPhoneNumbers(), normaliser::phone, keys, rejected);
        collect(report.getUrls(), normaliser::link, keys, rejected);
        collect(report.getAccounts(), normaliser::account, keys, rejected);
        if (keys.isEmpty()) {
            return Verdict.invalid("no valid indicator in phoneNumbers, urls or accounts"
                    + (rejected.isEmpty() ? "" : ": " + String.join("; ", rejected)));
        }
        // A contact can not happen after ingest received its report: clamping keeps a mistyped future
        // occurredAt from pushing stream time ahead and making every later report of the partition late.
        long received = report.getReceivedAt().toEpochMilli();
        long eventTime = report.getOccurredAt() == null ? received
                : Math.min(report.getOccurredAt().toEpochMilli(), received);
        var seen = new IndicatorInput.ReportSeen(report);
        return Verdict.valid(keys.stream().map(key -> new IndicatorInput.Routed(key, seen, eventTime)).toList());
    }

    private static void collect(List<String> raw, Function<String, Normalisation> normalise, Set<String> keys,
                                List<String> rejected) {
        for (String identifier : raw) {
            Normalisation result = normalise.apply(identifier);
            if (result instanceof Normalisation.Accepted accepted) {
                keys.add(accepted.indicator().key());
            } else {
                rejected.add(((Normalisation.Rejected) result).messageVi());
            }
        }
    }
}
