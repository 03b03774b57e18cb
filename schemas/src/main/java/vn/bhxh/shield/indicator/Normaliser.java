package vn.bhxh.shield.indicator;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * Turns what a person typed into a canonical {@link Indicator}, or says in Vietnamese why it cannot.
 * Stateless and thread-safe: share one instance.
 */
public final class Normaliser {

    private final PhoneNormaliser phones;
    private final LinkNormaliser links;
    private final AccountNormaliser accounts;

    public Normaliser() {
        this.phones = new PhoneNormaliser(PhoneNumberUtil.getInstance());
        this.links = new LinkNormaliser();
        this.accounts = new AccountNormaliser(phones, links);
    }

    /** A phone number in any usual Vietnamese spelling, or a foreign one written with +, to E.164. */
    public Normalisation phone(String raw) {
        return phones.normalise(raw);
    }

    /** A link or bare domain, possibly obfuscated, to a {@code domain:} or {@code url:} indicator. */
    public Normalisation link(String raw) {
        return links.normalise(raw);
    }

    /** An account the scammer used: phone/Zalo number, social handle or page link, or bank account. */
    public Normalisation account(String raw) {
        return accounts.normalise(raw);
    }

    /**
     * Any identifier. Text that is only digits and separators is judged as a phone number, which gives the most
     * specific reason (too short, too long) when it is wrong; anything else is an account or a link.
     */
    public Normalisation any(String raw) {
        return PhoneNormaliser.looksLikePhone(raw == null ? "" : raw) ? phones.normalise(raw) : accounts.normalise(raw);
    }
}
