package vn.bhxh.shield.indicator;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

/**
 * Accounts a scammer used: a phone number (Zalo accounts are phone numbers), a social handle
 * ("tiktok @handle"), a page link, or a bank account named with its bank ("STK Vietcombank 0123456789").
 */
final class AccountNormaliser {

    /** Labels people put before a phone number; the folded text is matched. */
    private static final Pattern PHONE_LABEL = Pattern.compile(
            "^(?:zalo|sdt|so dien thoai|dien thoai|dt|hotline|tel|phone)\\s*[:.]?\\s*");

    /** "tiktok @handle", "Telegram: @handle", "fb: handle". */
    private static final Pattern HANDLE = Pattern.compile(
            "(?i)^(?<platform>tiktok|tik tok|telegram|tele|facebook|fb|instagram|ig)\\s*[:：]?\\s*@?(?<handle>[\\p{L}\\p{N}._-]+)$");

    /** Where each platform serves a handle's page; the link is then normalised like any other. */
    private static final Map<String, String> HANDLE_PAGES = Map.of(
            "tiktok", "https://www.tiktok.com/@", "tik tok", "https://www.tiktok.com/@",
            "telegram", "https://t.me/", "tele", "https://t.me/",
            "facebook", "https://www.facebook.com/", "fb", "https://www.facebook.com/",
            "instagram", "https://www.instagram.com/", "ig", "https://www.instagram.com/");

    /** Account digits may be grouped with spaces, dots or dashes. */
    static final Pattern ACCOUNT_DIGITS = Pattern.compile("\\d(?:[ .-]?\\d)*");
    static final int MIN_ACCOUNT_DIGITS = 6;
    static final int MAX_ACCOUNT_DIGITS = 19;

    private final PhoneNormaliser phones;
    private final LinkNormaliser links;

    AccountNormaliser(PhoneNormaliser phones, LinkNormaliser links) {
        this.phones = phones;
        this.links = links;
    }

    Normalisation normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            return Rejected.of(raw, RejectReason.EMPTY);
        }
        String text = VietnameseText.compatibilityForm(raw).strip();
        String folded = VietnameseText.fold(text);
        Matcher handle = HANDLE.matcher(text);
        if (handle.matches()) {
            String platform = handle.group("platform").toLowerCase(java.util.Locale.ROOT);
            return links.normalise(HANDLE_PAGES.get(platform) + handle.group("handle"));
        }
        Matcher bank = Bank.MENTION.matcher(folded);
        if (bank.find()) {
            return bankAccount(raw, Bank.of(bank), folded.substring(0, bank.start()) + folded.substring(bank.end()));
        }
        String unlabelled = text.substring(labelLength(folded));
        if (PhoneNormaliser.looksLikePhone(unlabelled)) {
            Normalisation phone = phones.normalise(unlabelled);
            return phone.isAccepted() ? phone : Rejected.of(raw, RejectReason.UNKNOWN_BANK);
        }
        Normalisation link = links.normalise(text);
        return link.isAccepted() || text.contains(".") || text.contains("/")
                ? link
                : Rejected.of(raw, RejectReason.NOT_AN_ACCOUNT);
    }

    /** The digits next to the bank's name, e.g. "STK 0123 456 789" -> 0123456789. */
    static Normalisation bankAccount(String raw, Bank bank, String textAroundBankName) {
        Matcher digits = ACCOUNT_DIGITS.matcher(textAroundBankName);
        if (!digits.find()) {
            return Rejected.of(raw, RejectReason.INVALID_ACCOUNT_NUMBER);
        }
        String account = digits.group().replaceAll("\\D", "");
        if (account.length() < MIN_ACCOUNT_DIGITS || account.length() > MAX_ACCOUNT_DIGITS) {
            return Rejected.of(raw, RejectReason.INVALID_ACCOUNT_NUMBER);
        }
        return new Accepted(Indicator.bankAccount(bank, account));
    }

    private static int labelLength(String folded) {
        Matcher label = PHONE_LABEL.matcher(folded);
        return label.lookingAt() ? label.end() : 0;
    }
}
