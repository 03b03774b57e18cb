package vn.bhxh.shield.processor;

import java.util.List;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.Report;
import vn.bhxh.shield.schema.ScamRequest;

/** One report of an indicator, reduced to what the windows count; the reporter only as its pseudonym. */
record Sighting(long at, String reporter, Channel channel, String province, List<ScamRequest> requested,
                long amountLostVnd) {

    static Sighting of(Report report, long eventTime) {
        return new Sighting(eventTime, report.getReporterPseudonym(), report.getChannel(), report.getProvince(),
                List.copyOf(report.getRequested()), report.getAmountLostVnd());
    }
}
