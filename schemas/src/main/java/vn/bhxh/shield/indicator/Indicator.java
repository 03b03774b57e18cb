package vn.bhxh.shield.indicator;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * A canonical scam indicator. Its {@link #key()} is the Kafka key of the blocklist, so two spellings of the
 * same number, domain, page or account must always produce the same value: build instances through
 * {@code Normaliser} (shared/domain) or {@link #parseKey}, never from raw user input.
 */
public record Indicator(IndicatorKind kind, String value) {

    private static final PhoneNumberUtil PHONE_UTIL = PhoneNumberUtil.getInstance();
    // Compiled once: the processor parses the key of every record it handles.
    private static final String REFUSED = "the constructor refuses an UNKNOWN kind";
    private static final Set<IndicatorKind> KNOWN_KINDS = EnumSet.complementOf(EnumSet.of(IndicatorKind.UNKNOWN));
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{5,14}");
    private static final Pattern DOMAIN_VALUE = Pattern.compile("[a-z0-9.-]+\\.[a-z0-9-]+");
    private static final Pattern BANK_ACCOUNT_VALUE = Pattern.compile("[a-z]+:\\d{6,19}");

    public Indicator {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        if (kind == IndicatorKind.UNKNOWN) {
            // A reader's default for a kind a newer producer added: no key, nothing to block or display.
            throw new IllegalArgumentException("an indicator of an UNKNOWN kind");
        }
    }

    public static Indicator phone(String e164) {
        return new Indicator(IndicatorKind.PHONE, e164);
    }

    public static Indicator domain(String registrableDomain) {
        return new Indicator(IndicatorKind.DOMAIN, registrableDomain);
    }

    public static Indicator url(String canonicalUrl) {
        return new Indicator(IndicatorKind.URL, canonicalUrl);
    }

    public static Indicator bankAccount(Bank bank, String digits) {
        return new Indicator(IndicatorKind.BANK_ACCOUNT, bank.code() + ":" + digits);
    }

    /** {@code tel:+84904038115}, {@code domain:example.vn}, {@code url:https://...}, {@code bank:vcb:0123456789}. */
    public String key() {
        return prefix(kind) + value;
    }

    /**
     * The inverse of {@link #key()}. Only well-formed canonical keys are accepted: a key is trusted input from
     * our own topics, so this checks shape rather than re-normalising.
     */
    public static Optional<Indicator> parseKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        for (IndicatorKind kind : KNOWN_KINDS) {
            if (key.startsWith(prefix(kind))) {
                Indicator indicator = new Indicator(kind, key.substring(prefix(kind).length()));
                return indicator.isWellFormed() ? Optional.of(indicator) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** How a hotline operator reads the indicator: {@code 0904 038 115}, {@code Vietcombank 0123456789}. */
    public String display() {
        return switch (kind) {
            case PHONE -> displayPhone();
            case DOMAIN, URL -> value;
            case BANK_ACCOUNT -> {
                String[] codeAndDigits = value.split(":", 2);
                yield Bank.byCode(codeAndDigits[0]).map(Bank::displayName).orElse(codeAndDigits[0])
                        + " " + codeAndDigits[1];
            }
            case UNKNOWN -> throw new IllegalStateException(REFUSED);
        };
    }

    @Override
    public String toString() {
        return key();
    }

    private String displayPhone() {
        try {
            var number = PHONE_UTIL.parse(value, "VN");
            // Vietnamese numbers are shown as dialled at home (0904 038 115); foreign ones need the country code.
            var format = number.getCountryCode() == 84 ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL;
            return PHONE_UTIL.format(number, format);
        } catch (NumberParseException e) {
            return value;
        }
    }

    private boolean isWellFormed() {
        return switch (kind) {
            case PHONE -> E164.matcher(value).matches();
            case DOMAIN -> DOMAIN_VALUE.matcher(value).matches();
            case URL -> value.startsWith("https://") && value.length() > "https://".length();
            case BANK_ACCOUNT -> BANK_ACCOUNT_VALUE.matcher(value).matches()
                    && Bank.byCode(value.substring(0, value.indexOf(':'))).isPresent();
            case UNKNOWN -> throw new IllegalStateException(REFUSED);
        };
    }

    private static String prefix(IndicatorKind kind) {
        return switch (kind) {
            case PHONE -> "tel:";
            case DOMAIN -> "domain:";
            case URL -> "url:";
            case BANK_ACCOUNT -> "bank:";
            case UNKNOWN -> throw new IllegalStateException(REFUSED);
        };
    }
}
