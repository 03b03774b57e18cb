package vn.bhxh.shield.indicator;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

/**
 * Accounts a scammer used: a social account ("tiktok @handle", "zalo 0904 038 115", a profile link), an e-wallet
 * named with the number it is registered to ("MoMo 0904038115"), a bank account named with its bank
 * ("STK Vietcombank 0123456789"), a phone number, or a page link.
 */
final class AccountNormaliser {

    /** Labels people put before a phone number; the folded text is matched. */
    private static final Pattern PHONE_LABEL = Pattern.compile(
            "^(?:sdt|so dien thoai|dien thoai|dt|hotline|tel|phone)\\s*[:.]?\\s*");
    /** "Zalo 0904 038 115", "zalo: 0904038115", "Zalo OA 4318591432958396440": a Zalo account by number or id. */
    private static final Pattern ZALO_LABEL = Pattern.compile("^zalo(?: oa)?\\s*[:.]?\\s*(?=[+0-9])");
    /** The number a wallet is registered to, next to the wallet's name. */
    private static final Pattern WALLET_NUMBER = Pattern.compile("\\+?\\d(?:[ .()-]{0,3}\\d)+");

    private static final String PLATFORM = "(?<platform>tiktok|tik tok|telegram|tele|facebook|fb|instagram|ig)";
    private static final String HANDLE_CHARS = "[\\p{L}\\p{N}._-]+";
    /** "tiktok @handle", "Telegram: @handle", "fb: handle"; "@handle on TikTok", "@handle trên TikTok". */
    private static final List<Pattern> HANDLES = List.of(
            Pattern.compile("(?i)^" + PLATFORM + "\\s*[:：]?\\s*@?(?<handle>" + HANDLE_CHARS + ")$"),
            Pattern.compile("(?i)^@(?<handle>" + HANDLE_CHARS + ")\\s*[(,-]?\\s*(?:(?:on|trên|tren|ở|o)\\s+)?"
                    + PLATFORM + "\\)?$"));

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
        for (Pattern handles : HANDLES) {
            Matcher handle = handles.matcher(text);
            if (handle.matches()) {
                String platform = handle.group("platform").toLowerCase(java.util.Locale.ROOT);
                return links.normalise(HANDLE_PAGES.get(platform) + handle.group("handle"));
            }
        }
        if (text.chars().noneMatch(Character::isWhitespace)) {
            // A link is a link even where a wallet's or a bank's name is part of its host (me.momo.vn/...).
            Normalisation link = links.normalise(text);
            if (link.isAccepted()) {
                return link;
            }
        }
        Matcher wallet = EWallet.MENTION.matcher(folded);
        if (wallet.find()) {
            return wallet(raw, EWallet.of(wallet),
                    text.substring(0, wallet.start()) + " " + text.substring(wallet.end()));
        }
        Matcher bank = Bank.MENTION.matcher(folded);
        if (bank.find()) {
            return bankAccount(raw, Bank.of(bank), folded.substring(0, bank.start()) + folded.substring(bank.end()));
        }
        Matcher zalo = ZALO_LABEL.matcher(folded);
        if (zalo.lookingAt()) {
            String number = text.substring(zalo.end());
            // Not a Zalo id either: the phone normaliser says what is wrong with the number.
            return SocialProfiles.zaloAccount(number, phones).<Normalisation>map(Accepted::new)
                    .orElseGet(() -> phones.normalise(number));
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

    /** The number next to the wallet's name, e.g. "ví MoMo: 0904.038.115" -> wallet:momo:+84904038115. */
    private Normalisation wallet(String raw, EWallet wallet, String textAroundWalletName) {
        Matcher number = WALLET_NUMBER.matcher(textAroundWalletName);
        if (!number.find()) {
            return Rejected.of(raw, RejectReason.WALLET_WITHOUT_NUMBER, wallet.displayName());
        }
        return phones.normalise(number.group()).accepted()
                .<Normalisation>map(phone -> new Accepted(Indicator.eWallet(wallet, phone.value())))
                .orElseGet(() -> Rejected.of(raw, RejectReason.WALLET_WITHOUT_NUMBER, wallet.displayName()));
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
