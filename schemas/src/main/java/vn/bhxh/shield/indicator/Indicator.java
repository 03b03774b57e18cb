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

    /** @param account in the network's canonical form ({@link SocialNetwork#isCanonicalAccount}) */
    public static Indicator socialAccount(SocialNetwork network, String account) {
        return new Indicator(IndicatorKind.SOCIAL_ACCOUNT, network.code() + ":" + account);
    }

    public static Indicator eWallet(EWallet wallet, String e164) {
        return new Indicator(IndicatorKind.E_WALLET, wallet.code() + ":" + e164);
    }

    /**
     * {@code tel:+84904038115}, {@code domain:example.vn}, {@code url:https://...}, {@code bank:vcb:0123456789},
     * {@code social:tiktok:@handle}, {@code wallet:momo:+84904038115}.
     */
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

    /**
     * How a hotline operator reads the indicator: {@code 0904 038 115}, {@code Vietcombank 0123456789},
     * {@code TikTok @vssid.hotro}, {@code MoMo 0904 038 115}.
     */
    public String display() {
        return switch (kind) {
            case PHONE -> displayPhone(value);
            case DOMAIN, URL -> value;
            case BANK_ACCOUNT -> Bank.byCode(code()).map(Bank::displayName).orElse(code()) + " " + account();
            // "TikTok @vssid.hotro", "Zalo 0904 038 115", "MoMo 0904 038 115": what a person writes, and what the
            // account normaliser reads back to this key.
            case SOCIAL_ACCOUNT -> SocialNetwork.byCode(code()).map(SocialNetwork::displayName).orElse(code()) + " "
                    + (account().startsWith("+") ? displayPhone(account()) : account());
            case E_WALLET -> EWallet.byCode(code()).map(EWallet::displayName).orElse(code()) + " "
                    + displayPhone(account());
            case UNKNOWN -> throw new IllegalStateException(REFUSED);
        };
    }

    /**
     * The phone number (E.164) this indicator reaches someone by: a phone's own, a wallet's, or a Zalo account's
     * when it is found by number. A person's own number is personal data in any of these forms.
     */
    public Optional<String> phoneNumber() {
        return switch (kind) {
            case PHONE -> Optional.of(value);
            case E_WALLET -> Optional.of(account());
            case SOCIAL_ACCOUNT -> Optional.of(account()).filter(account -> account.startsWith("+"));
            case DOMAIN, URL, BANK_ACCOUNT -> Optional.empty();
            case UNKNOWN -> throw new IllegalStateException(REFUSED);
        };
    }

    @Override
    public String toString() {
        return key();
    }

    /** Whether both name the same phone number in any form: "0904038115" and "zalo 0904038115" do. */
    public boolean sharesPhoneNumberWith(Indicator other) {
        return phoneNumber().isPresent() && phoneNumber().equals(other.phoneNumber());
    }

    /** The bank, network or wallet code of a {@code <code>:<account>} value. */
    private String code() {
        return value.substring(0, value.indexOf(':'));
    }

    private String account() {
        return value.substring(value.indexOf(':') + 1);
    }

    private static String displayPhone(String e164) {
        try {
            var number = PHONE_UTIL.parse(e164, "VN");
            // Vietnamese numbers are shown as dialled at home (0904 038 115); foreign ones need the country code.
            var format = number.getCountryCode() == 84 ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL;
            return PHONE_UTIL.format(number, format);
        } catch (NumberParseException e) {
            return e164;
        }
    }

    private boolean isWellFormed() {
        return switch (kind) {
            case PHONE -> E164.matcher(value).matches();
            case DOMAIN -> DOMAIN_VALUE.matcher(value).matches();
            case URL -> value.startsWith("https://") && value.length() > "https://".length();
            case BANK_ACCOUNT -> BANK_ACCOUNT_VALUE.matcher(value).matches() && Bank.byCode(code()).isPresent();
            case SOCIAL_ACCOUNT -> value.indexOf(':') > 0 && SocialNetwork.byCode(code())
                    .filter(network -> network.isCanonicalAccount(account())).isPresent();
            case E_WALLET -> value.indexOf(':') > 0 && EWallet.byCode(code()).isPresent()
                    && E164.matcher(account()).matches();
            case UNKNOWN -> throw new IllegalStateException(REFUSED);
        };
    }

    private static String prefix(IndicatorKind kind) {
        return switch (kind) {
            case PHONE -> "tel:";
            case DOMAIN -> "domain:";
            case URL -> "url:";
            case BANK_ACCOUNT -> "bank:";
            case SOCIAL_ACCOUNT -> "social:";
            case E_WALLET -> "wallet:";
            case UNKNOWN -> throw new IllegalStateException(REFUSED);
        };
    }
}
