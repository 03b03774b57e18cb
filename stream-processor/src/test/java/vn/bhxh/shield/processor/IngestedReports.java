package vn.bhxh.shield.processor;

import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.topic.ReportRecords;
import vn.bhxh.shield.topic.Topics;

/**
 * Reports as reporter-ingest writes them, through the same {@link ReportRecords} and normaliser: the report on
 * {@code bhxh.reports.v1} and one record per canonical indicator on {@code bhxh.indicator-events.v1}, which is what
 * the processor reads. For tests that produce to Kafka and for those that drive the topology directly.
 */
final class IngestedReports {

    private final ReportRecords records;

    IngestedReports(Topics topics) {
        this.records = new ReportRecords(topics, new Normaliser());
    }

    /** Sends the report and its indicator records, not in a transaction (a test needs no atomicity across them). */
    List<Future<RecordMetadata>> send(Producer<String, byte[]> producer, Report report) {
        return records.of(report).stream().map(producer::send).toList();
    }

    /** Sends the report and its indicator records and waits until every one is acknowledged. */
    void write(Producer<String, byte[]> producer, Report report) throws Exception {
        for (Future<RecordMetadata> ack : send(producer, report)) {
            ack.get();
        }
    }

    /** The indicator records of {@code report}, as ingest stamps them, into the topology under test. */
    void pipe(TestInputTopic<String, byte[]> indicatorEvents, Report report) {
        records.indicatorEvents(report).forEach(record -> indicatorEvents.pipeInput(testRecord(record,
                record.headers())));
    }

    /** The same, with {@code headers} instead of those ingest derives from the report's correlation id. */
    void pipe(TestInputTopic<String, byte[]> indicatorEvents, Report report, Headers headers) {
        records.indicatorEvents(report).forEach(record -> indicatorEvents.pipeInput(testRecord(record, headers)));
    }

    private static TestRecord<String, byte[]> testRecord(ProducerRecord<String, byte[]> record, Headers headers) {
        return new TestRecord<>(record.key(), record.value(), headers, record.timestamp());
    }
}
