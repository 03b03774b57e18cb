package vn.bhxh.shield.ingest.intake;

import java.util.List;
import vn.bhxh.shield.indicator.Indicator;

/**
 * Puts canonical indicators found by ingest (in a fanpage message, a police row, a note the operator took from)
 * into the Report's lists, in a spelling the shared normaliser reads back to the same key: the processor
 * normalises every list entry again.
 */
public final class IndicatorLists {

    public static final String PHONES = "phoneNumbers";
    public static final String LINKS = "urls";
    public static final String ACCOUNTS = "accounts";

    private IndicatorLists() {
    }

    /** The report field an indicator of this kind goes into. */
    public static String field(Indicator indicator) {
        return switch (indicator.kind()) {
            case PHONE -> PHONES;
            case DOMAIN, URL -> LINKS;
            case BANK_ACCOUNT, SOCIAL_ACCOUNT, E_WALLET -> ACCOUNTS;
            // Indicator refuses the UNKNOWN kind (the default a newer writer's kind reads as): never one here.
            case UNKNOWN -> throw new IllegalArgumentException("no report field for an indicator of unknown kind");
        };
    }

    /**
     * Its spelling in that field: an account needs its bank's, network's or wallet's name beside it
     * ("Vietcombank 0123456789", "TikTok @handle", "MoMo 0904 038 115"), which is how it displays.
     */
    public static String entry(Indicator indicator) {
        return field(indicator).equals(ACCOUNTS) ? indicator.display() : indicator.value();
    }

    public static List<String> phones(List<Indicator> indicators) {
        return in(PHONES, indicators);
    }

    public static List<String> links(List<Indicator> indicators) {
        return in(LINKS, indicators);
    }

    public static List<String> accounts(List<Indicator> indicators) {
        return in(ACCOUNTS, indicators);
    }

    private static List<String> in(String field, List<Indicator> indicators) {
        return indicators.stream().filter(i -> field(i).equals(field)).map(IndicatorLists::entry).toList();
    }
}
