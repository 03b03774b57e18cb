package vn.bhxh.shield.indicator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * Turns what a person typed into a canonical {@link Indicator}, or says in Vietnamese why it cannot.
 * Thread-safe: share one instance.
 */
public final class Normaliser {

    private final PhoneNormaliser phones;
    private final LinkNormaliser links;
    private final AccountNormaliser accounts;

    /** Null, or the results of recent inputs: the same few spellings of a hot number recur all day. */
    private final Memo memo;

    public Normaliser() {
        this(0);
    }

    private Normaliser(long memoEntries) {
        this.phones = new PhoneNormaliser(PhoneNumberUtil.getInstance());
        this.links = new LinkNormaliser(phones);
        this.accounts = new AccountNormaliser(phones, links);
        this.memo = memoEntries > 0 ? new Memo(memoEntries) : null;
    }

    /**
     * A normaliser that remembers the results of up to {@code entries} recent inputs of each kind (least recently
     * used go first): libphonenumber's parse and validation cost microseconds per call and, in a stream of
     * reports, most calls repeat an earlier input. Results are values, so a remembered one is the same answer.
     */
    public static Normaliser memoising(long entries) {
        return new Normaliser(entries);
    }

    /** A phone number in any usual Vietnamese spelling, or a foreign one written with +, to E.164. */
    public Normalisation phone(String raw) {
        return memo == null || raw == null ? phones.normalise(raw) : memo.phones.get(raw, phones::normalise);
    }

    /** A link or bare domain, possibly obfuscated, to a {@code domain:}, {@code social:} or {@code url:} indicator. */
    public Normalisation link(String raw) {
        return memo == null || raw == null ? links.normalise(raw) : memo.links.get(raw, links::normalise);
    }

    /**
     * An account the scammer used: a social account (handle, Zalo number or profile link), an e-wallet
     * ("MoMo 0904038115"), a bank account named with its bank, a phone number, or a page link.
     */
    public Normalisation account(String raw) {
        return memo == null || raw == null ? accounts.normalise(raw) : memo.accounts.get(raw, accounts::normalise);
    }

    /**
     * Any identifier. Text that is only digits and separators is judged as a phone number, which gives the most
     * specific reason (too short, too long) when it is wrong; anything else is an account or a link.
     */
    public Normalisation any(String raw) {
        return PhoneNormaliser.looksLikePhone(raw == null ? "" : raw) ? phones.normalise(raw) : accounts.normalise(raw);
    }

    /**
     * A canonical key as is ({@code tel:+84904038115}, as a page or script copied it from an alert or a lookup), or
     * else whatever a person typed, as {@link #any}.
     */
    public Normalisation keyOrAny(String raw) {
        return Indicator.parseKey(raw == null ? "" : raw.strip()).map(key -> key.kind() == IndicatorKind.DOMAIN
                        // A domain key typed by hand is held to the link rules: domain:facebook.com would list a
                        // whole shared platform, which no normalised link can become.
                        ? link(key.value())
                        : (Normalisation) new Normalisation.Accepted(key))
                .orElseGet(() -> any(raw));
    }

    private static final class Memo {
        private final Cache<String, Normalisation> phones;
        private final Cache<String, Normalisation> links;
        private final Cache<String, Normalisation> accounts;

        Memo(long entries) {
            this.phones = Caffeine.newBuilder().maximumSize(entries).build();
            this.links = Caffeine.newBuilder().maximumSize(entries).build();
            this.accounts = Caffeine.newBuilder().maximumSize(entries).build();
        }
    }
}
