package vn.bhxh.shield.indicator;

import java.util.Locale;
import java.util.Set;

/** Query parameters that say how a link was shared, not what it points to; dropping them merges duplicates. */
final class TrackingParameters {

    private static final Set<String> NAMES = Set.of(
            "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "igsh", "si", "_t", "_r",
            "mibextid", "ref", "refsrc", "ref_src", "ref_url", "hc_ref", "fref", "rdid", "share_url",
            "sfnsn", "extid", "is_from_webapp", "sender_device", "is_copy_url", "feature", "zarsrc", "gidzl");

    /** Prefixes cover families such as utm_source and Facebook's __cft__[0] / __tn__ / __xts__[0]. */
    private static final Set<String> PREFIXES = Set.of("utm_", "__cft__", "__tn__", "__xts__", "__eep__");

    private TrackingParameters() {
    }

    static boolean isTracking(String decodedName) {
        String name = decodedName.toLowerCase(Locale.ROOT);
        return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
    }
}
