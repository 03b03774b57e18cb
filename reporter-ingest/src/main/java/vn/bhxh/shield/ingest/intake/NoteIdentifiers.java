package vn.bhxh.shield.ingest.intake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.bhxh.shield.indicator.IdentifierExtractor;
import vn.bhxh.shield.indicator.IdentifierExtractor.Mention;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.indicator.VietnameseText;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * The identifiers a free text names (a fanpage message, a hotline operator's notes), each marked when it is the
 * writer's own: the text says so ("số của tôi 0981...", "liên hệ tôi qua số ...", "0981... là số của em"), it
 * is part of an identity number ("CCCD 038 190 012 345") or it is the reporter's own number as the channel gives it. A writer's own number is personal data and never an
 * indicator (Decree 13/2023): a citizen who leaves a number to be called back must not get it blocked.
 */
public final class NoteIdentifiers {

    /** One distinct indicator of the text; {@code writersOwn} when any of its mentions is marked as the writer's. */
    public record Found(Indicator indicator, boolean writersOwn) {
    }

    /** Labels of a person's identity and insurance numbers, folded: CCCD, CMND, căn cước, mã số BHXH, thẻ BHYT. */
    static final String IDENTITY_LABEL = "(?:cccd|cmnd|cmt|can cuoc(?: cong dan)?|chung minh (?:nhan dan|thu)"
            + "|(?:so )?dinh danh(?: ca nhan)?|ma (?:so )?(?:bhxh|bao hiem xa hoi|bhyt|bao hiem y te|the)"
            + "|so so (?:bhxh|bao hiem xa hoi)|(?:so )?the (?:bhyt|bao hiem y te))";
    /**
     * Digits after such a label are the person's, also when the extractor reads a phone number into part of them
     * ("CCCD 038 190 012 345" holds the valid "190 012 345"): the label, a short gap, then the run up to the mention.
     */
    private static final Pattern IDENTITY_NUMBER_BEFORE = Pattern.compile("(?<![a-z0-9])" + IDENTITY_LABEL
            + "(?![a-z0-9])[^0-9\\n.;!?]{0,30}(?:\\d[ .-]?)*$");

    /** How far before a number its cue may start ("số điện thoại của mình là: " is 28 characters). */
    private static final int CUE_WINDOW = 48;
    /** The writer, as Vietnamese speakers refer to themselves, folded ("mình" -> "minh"). */
    private static final String SELF = "(?:toi|tui|em|minh|chau|con)";
    private static final String NUMBER_WORD = "(?:so|sdt|so dt|so dien thoai|dien thoai|dt|zalo)";
    /**
     * A cue right before the number, then only filler ("là", "qua số", ":"). "gọi cho tôi" alone is no cue:
     * "kẻ gian gọi cho tôi 0904..." names the scammer's number.
     */
    private static final Pattern CUE_BEFORE = Pattern.compile("(?<![a-z0-9])(?:" + NUMBER_WORD + " (?:cua )?" + SELF
            + "|lien he (?:lai )?(?:voi |cho )?" + SELF + "|goi lai (?:cho |voi )?" + SELF + ")"
            + "(?:[ :,()-]|(?<![a-z])(?:la|qua|theo|bang|so|sdt|so dien thoai|dt)(?![a-z]))*$");
    /**
     * A cue right after the number: "0981112223 (số của tôi)", "0981112223 là sđt của em"; not one that introduces
     * the next number ("0904038115, sđt của tôi: 0981112223").
     */
    private static final Pattern CUE_AFTER = Pattern.compile("^[ :,()-]*(?:(?:la|chinh la|day la) )?" + NUMBER_WORD
            + " (?:cua )?" + SELF + "(?![a-z])(?![ :-]*(?:la )?[ :-]*[+0-9])");

    /**
     * The same for a bank account, whose bank may stand between the cue and the digits: "STK của em ở Techcombank:
     * 1903...", "tài khoản Vietcombank của tôi 0071...", "1903... Techcombank của em".
     */
    private static final Pattern ACCOUNT_CUE_BEFORE = Pattern.compile("(?<![a-z0-9])(?:stk|so tk|so tai khoan|tai khoan|tk)"
            + "(?: [a-z]+){0,3}? (?:cua )?" + SELF + "(?: (?:o|tai|la|ngan hang|nh))*(?: [a-z]+){0,2}[ :,()-]*$");
    private static final Pattern ACCOUNT_CUE_AFTER = Pattern.compile("^[ :,()-]*(?:[a-z]+ ){0,3}(?:la )?(?:cua|stk cua|"
            + "tai khoan cua) " + SELF + "(?![a-z])");

    private final Normaliser normaliser;
    private final IdentifierExtractor extractor;

    /** @param normaliser one that remembers nothing: these texts and numbers are personal data */
    public NoteIdentifiers(Normaliser normaliser) {
        this.normaliser = normaliser;
        this.extractor = new IdentifierExtractor(normaliser);
    }

    /** The reporter's own number, when their id is one (a hotline caller's). */
    public Optional<Indicator> reporterNumber(String reporterId) {
        return reporterId == null ? Optional.empty() : normaliser.phone(reporterId).accepted();
    }

    /**
     * Every valid identifier of {@code text} in order of appearance.
     *
     * @param reporter the reporter's own number when the channel gives it (a hotline caller's number)
     */
    public List<Found> read(String text, Optional<Indicator> reporter) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        String folded = VietnameseText.fold(VietnameseText.compatibilityForm(text));
        Map<Indicator, Boolean> own = new LinkedHashMap<>();
        for (Mention mention : extractor.mentions(text)) {
            mention.result().accepted().ifPresent(indicator -> own.merge(indicator,
                    isReporters(indicator, reporter) || markedAsOwn(folded, mention),
                    Boolean::logicalOr));
        }
        List<Found> found = new ArrayList<>();
        own.forEach((indicator, writers) -> found.add(new Found(indicator, writers)));
        return found;
    }

    /** The reporter's number named as such, or as the Zalo account or e-wallet registered to it. */
    static boolean isReporters(Indicator indicator, Optional<Indicator> reporter) {
        return reporter.filter(indicator::sharesPhoneNumberWith).isPresent();
    }

    static boolean markedAsOwn(String folded, Mention mention) {
        String before = folded.substring(Math.max(0, mention.start() - CUE_WINDOW), mention.start());
        String after = folded.substring(mention.end(), Math.min(folded.length(), mention.end() + CUE_WINDOW));
        // "STK của em ở Techcombank: 1903...", "tài khoản MoMo của tôi 0981...": a bank account's or a wallet's cues.
        boolean account = mention.result().accepted()
                .filter(i -> i.kind() == IndicatorKind.BANK_ACCOUNT || i.kind() == IndicatorKind.E_WALLET).isPresent();
        if (IDENTITY_NUMBER_BEFORE.matcher(before).find()) {
            return true;
        }
        return account ? ACCOUNT_CUE_BEFORE.matcher(before).find() || ACCOUNT_CUE_AFTER.matcher(after).find()
                : CUE_BEFORE.matcher(before).find() || CUE_AFTER.matcher(after).find();
    }
}
