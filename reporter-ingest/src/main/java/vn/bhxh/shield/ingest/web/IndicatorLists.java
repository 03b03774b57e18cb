package vn.bhxh.shield.ingest.web;

import java.util.List;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * Puts canonical indicators found by ingest (in a fanpage message, a police row) into the Report's lists, in a
 * spelling the shared normaliser reads back to the same key: the processor normalises every list entry again.
 */
final class IndicatorLists {

    private IndicatorLists() {
    }

    static List<String> phones(List<Indicator> indicators) {
        return indicators.stream().filter(i -> i.kind() == IndicatorKind.PHONE).map(Indicator::value).toList();
    }

    static List<String> links(List<Indicator> indicators) {
        return indicators.stream().filter(i -> i.kind() == IndicatorKind.DOMAIN || i.kind() == IndicatorKind.URL)
                .map(Indicator::value).toList();
    }

    static List<String> accounts(List<Indicator> indicators) {
        return indicators.stream().filter(i -> i.kind() == IndicatorKind.BANK_ACCOUNT).map(Indicator::display).toList();
    }
}
