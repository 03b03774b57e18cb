package vn.bhxh.shield.topic;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import vn.bhxh.shield.indicator.IndicatorEvents;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.runtime.CorrelationId;
import vn.bhxh.shield.schema.IndicatorEvent;
import vn.bhxh.shield.schema.Report;

/**
 * The records one accepted report becomes, as reporter-ingest writes them in one transaction: the report on
 * {@link Topics#REPORTS} (key: report id) and one {@link IndicatorEvent} per canonical indicator on
 * {@link Topics#INDICATOR_EVENTS} (key: the indicator; timestamp: the report's event time, at most
 * {@link IndicatorEvents#MAX_RECORD_AGE} before receipt), every one with the
 * request's correlation id as a header. The reprocessing tool and the tests write through here too, so what the
 * processor reads is the same whoever wrote it. Values are encoded here, on the caller's thread: a value that does
 * not encode (the registry unreachable) fails its own report before anything is sent.
 */
public final class ReportRecords {

    private final Topic<String, Report> reports;
    private final Topic<String, IndicatorEvent> indicatorEvents;
    private final Normaliser normaliser;

    /** @param normaliser the one ingest validates identifiers with (a memoising one is fine: results are values) */
    public ReportRecords(Topics topics, Normaliser normaliser) {
        this.reports = topics.reports();
        this.indicatorEvents = topics.indicatorEvents();
        this.normaliser = normaliser;
    }

    /** The report's record followed by its indicator records. */
    public List<ProducerRecord<String, byte[]>> of(Report report) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(indicatorEvents(report));
        records.add(0, new ProducerRecord<>(reports.name(), null, report.getReportId(),
                reports.valueSerde().serializer().serialize(reports.name(), report),
                CorrelationId.headers(report.getCorrelationId())));
        return records;
    }

    /** Only the indicator records: what the reprocessing tool re-derives from a stored report. */
    public List<ProducerRecord<String, byte[]>> indicatorEvents(Report report) {
        Serializer<IndicatorEvent> values = indicatorEvents.valueSerde().serializer();
        return IndicatorEvents.of(report, normaliser).stream()
                .map(event -> new ProducerRecord<>(indicatorEvents.name(), null, IndicatorEvents.recordTimestamp(event),
                        event.getIndicator(), values.serialize(indicatorEvents.name(), event),
                        CorrelationId.headers(report.getCorrelationId())))
                .toList();
    }
}
