package vn.bhxh.shield.indicator;

import java.util.Map;
import java.util.Optional;

/**
 * The 11-digit mobile prefixes retired in 2018 and the 10-digit prefixes that replaced them. Hand-written
 * because libphonenumber dropped the old ranges from its metadata, yet people still write and save them.
 * Keys and values are national significant numbers' prefixes (without the trunk 0).
 */
final class LegacyMobilePrefixes {

    private static final Map<String, String> OLD_TO_NEW = Map.ofEntries(
            Map.entry("162", "32"), Map.entry("163", "33"), Map.entry("164", "34"), Map.entry("165", "35"),
            Map.entry("166", "36"), Map.entry("167", "37"), Map.entry("168", "38"), Map.entry("169", "39"),
            Map.entry("120", "70"), Map.entry("121", "79"), Map.entry("122", "77"), Map.entry("126", "76"),
            Map.entry("128", "78"),
            Map.entry("123", "83"), Map.entry("124", "84"), Map.entry("125", "85"), Map.entry("127", "81"),
            Map.entry("129", "82"),
            Map.entry("186", "56"), Map.entry("188", "58"),
            Map.entry("199", "59"));

    /** The legacy subscriber part was 7 digits after the 3-digit prefix. */
    private static final int LEGACY_LENGTH = 10;

    private LegacyMobilePrefixes() {
    }

    /** The current national number for a legacy one ("1623456789" -> "323456789"), if it is legacy. */
    static Optional<String> modernise(String nationalNumber) {
        if (nationalNumber.length() != LEGACY_LENGTH) {
            return Optional.empty();
        }
        return Optional.ofNullable(OLD_TO_NEW.get(nationalNumber.substring(0, 3)))
                .map(newPrefix -> newPrefix + nationalNumber.substring(3));
    }
}
