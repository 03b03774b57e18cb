package vn.bhxh.shield.ingest.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.bhxh.shield.indicator.IdentifierExtractor;
import vn.bhxh.shield.indicator.IdentifierExtractor.Mention;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.indicator.VietnameseText;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * Blanks out a citizen's personal data in a report's notes before the report leaves ingest (Decree 13/2023): the
 * notes reach the processor, the province dashboards and their sample notes. Replaced by {@value #MASK}:
 * e-mail addresses; phone numbers (also as a Zalo account or an e-wallet) and bank accounts that are not among the
 * report's indicators; the digits after
 * an identity or account label (CCCD, CMND, căn cước, mã số BHXH, thẻ BHYT, STK, số tài khoản); any other run of
 * 9 or more digits (citizen-id numbers have 12, old identity cards 9, social-insurance codes 10), unless it is
 * written as an amount ("150.000.000", "150000000 đồng"); and a name the writer introduces ("tôi tên là X",
 * "họ tên: X", "tôi là X" followed by a capitalised name) or a police summary names as the victim ("bị hại X").
 * The report's own indicators stay as written: the scammer's number is the point of the report.
 * <p>
 * It errs on the side of hiding: a long reference number is blanked too. The text is returned in NFKC
 * ({@link VietnameseText#compatibilityForm}), the form the extractor reads.
 */
public final class NoteRedaction {

    public static final String MASK = "[đã ẩn]";
    private static final String REPLACEMENT = Matcher.quoteReplacement(MASK);

    /**
     * The indicators kept while the rest is searched stand in as one private-use character each (the notes' own
     * are removed first); past the range's 6,400, further ones are searched like the rest.
     */
    private static final char KEPT = '\uE000';
    private static final int MAX_KEPT = '\uF8FF' - KEPT + 1;
    private static final Pattern PRIVATE_USE = Pattern.compile("[\\uE000-\\uF8FF]");

    private static final Pattern EMAIL = Pattern.compile(
            "[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+");

    /** Labels of identity, insurance and bank account numbers, in folded text, then up to a short gap. */
    private static final Pattern NUMBER_LABEL = Pattern.compile("(?<![a-z0-9])(?:" + NoteIdentifiers.IDENTITY_LABEL
            + "|stk|so tk|so tai khoan|tai khoan(?: ngan hang)?|tk)(?![a-z0-9])"
            + "[^0-9\\n.;!?\\uE000-\\uF8FF]{0,30}?(?<digits>\\d(?:[ .-]?\\d)*)");
    private static final int MIN_LABELLED_DIGITS = 6;

    /** Digits grouped by the separators people type; "+" for a phone in international form. */
    private static final Pattern DIGIT_RUN = Pattern.compile("(?<!\\p{N})\\+?\\d(?:[ .-]?\\d)*");
    private static final int MIN_PERSONAL_DIGITS = 9;
    /** "150.000.000" or "1,500,000": thousands separated consistently, never a leading 0 as in a phone. */
    private static final Pattern AMOUNT = Pattern.compile("[1-9]\\d{0,2}([.,])\\d{3}(?:\\1\\d{3})*");
    private static final Pattern CURRENCY_AFTER = Pattern.compile(
            "\\s?(?:đ|đồng|dong|vnd|vnđ|k|tr|triệu|trieu|nghìn|nghin|ngàn|ngan|tỷ|ty)(?!\\p{L})",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    /**
     * "tôi tên là", "tên em là", "họ và tên:", "tôi là (bà)", and the victim of a police summary ("bị hại ông",
     * "nạn nhân là"): in folded text, up to where the name starts.
     */
    private static final Pattern NAME_LABEL = Pattern.compile("(?<![a-z])(?:(?:toi|tui|em|minh|chau) ten(?: la)?"
            + "|ten (?:toi|tui|em|minh|chau|cua (?:toi|em|minh))(?: la)?"
            + "|ho (?:va )?ten(?: nguoi (?:bao|goi|dan))?(?: la)?|(?:toi|tui|em|minh|chau) la"
            + "|(?:nguoi )?bi hai(?: la)?|nan nhan(?: la)?)"
            + "(?: (?:ong|ba|anh|chi|co|chu|bac))?[ :]+");
    /** A Vietnamese name: up to six capitalised words ("Nguyễn Văn An", "NGUYỄN THỊ LAN"). */
    private static final Pattern NAME = Pattern.compile("\\p{Lu}\\p{L}*(?: \\p{Lu}\\p{L}*){0,5}");

    private final IdentifierExtractor extractor;

    /** @param normaliser one that remembers nothing: notes are personal data */
    public NoteRedaction(Normaliser normaliser) {
        this.extractor = new IdentifierExtractor(normaliser);
    }

    /**
     * @param indicatorKeys the canonical keys of the report's indicators, which stay readable
     * @return the notes with personal data replaced by {@value #MASK}; null for null
     */
    public String redact(String notes, Set<String> indicatorKeys) {
        if (notes == null) {
            return null;
        }
        String text = PRIVATE_USE.matcher(VietnameseText.compatibilityForm(notes)).replaceAll("");
        text = EMAIL.matcher(text).replaceAll(REPLACEMENT);
        List<String> kept = new ArrayList<>();
        text = keepIndicators(text, indicatorKeys, kept);
        text = introducedNames(text);
        text = labelledNumbers(text);
        text = longDigitRuns(text);
        text = otherPhonesAndAccounts(text, indicatorKeys);
        return restore(text, kept);
    }

    /** Sets the report's indicators aside, each as one private-use character, remembered in {@code kept}. */
    private String keepIndicators(String text, Set<String> indicatorKeys, List<String> kept) {
        return replaceMentions(text, (indicator, mention) -> {
            if (!indicatorKeys.contains(indicator.key()) || kept.size() == MAX_KEPT) {
                return Optional.empty();
            }
            kept.add(text.substring(mention.start(), mention.end()));
            return Optional.of(String.valueOf((char) (KEPT + kept.size() - 1)));
        });
    }

    /**
     * Short phone numbers (1900 9068), Zalo and wallet numbers and bank accounts the digit rules left, none of them
     * an indicator; not an
     * amount a bank's name happens to stand next to ("chuyển 5.000.000 đồng vào Vietcombank").
     */
    private String otherPhonesAndAccounts(String text, Set<String> indicatorKeys) {
        return replaceMentions(text, (indicator, mention) -> indicatorKeys.contains(indicator.key())
                || !(indicator.phoneNumber().isPresent() || indicator.kind() == IndicatorKind.BANK_ACCOUNT)
                || isAmount(text, mention.start(), mention.end()) ? Optional.empty() : Optional.of(MASK));
    }

    /** Replaces each valid identifier the extractor finds by what {@code replacement} says, if anything. */
    private String replaceMentions(String text, BiFunction<Indicator, Mention, Optional<String>> replacement) {
        List<Mention> mentions = extractor.mentions(text);
        StringBuilder out = new StringBuilder(text);
        for (int i = mentions.size() - 1; i >= 0; i--) {
            Mention mention = mentions.get(i);
            Optional<Indicator> indicator = mention.result().accepted();
            if (indicator.isPresent()) {
                replacement.apply(indicator.get(), mention)
                        .ifPresent(with -> out.replace(mention.start(), mention.end(), with));
            }
        }
        return out.toString();
    }

    private static String introducedNames(String text) {
        return mask(text, NAME_LABEL.matcher(VietnameseText.fold(text)), label -> {
            Matcher name = NAME.matcher(text).region(label.end(), text.length());
            return name.lookingAt() ? Optional.of(new Span(name.start(), name.end())) : Optional.empty();
        });
    }

    private static String labelledNumbers(String text) {
        return mask(text, NUMBER_LABEL.matcher(VietnameseText.fold(text)),
                label -> digitCount(label.group("digits")) >= MIN_LABELLED_DIGITS
                        ? Optional.of(new Span(label.start("digits"), label.end("digits"))) : Optional.empty());
    }

    private static String longDigitRuns(String text) {
        return mask(text, DIGIT_RUN.matcher(text),
                run -> digitCount(run.group()) >= MIN_PERSONAL_DIGITS && !isAmount(text, run.start(), run.end())
                        ? Optional.of(new Span(run.start(), run.end())) : Optional.empty());
    }

    private static boolean isAmount(String text, int start, int end) {
        return AMOUNT.matcher(text).region(start, end).matches()
                || CURRENCY_AFTER.matcher(text).region(end, text.length()).lookingAt();
    }

    private record Span(int start, int end) {
    }

    /**
     * For each match of {@code finder} (over the text or its folded form: the same positions), blanks the span
     * {@code toMask} picks in the text, if any.
     */
    private static String mask(String text, Matcher finder, Function<Matcher, Optional<Span>> toMask) {
        StringBuilder out = new StringBuilder();
        int copied = 0;
        while (finder.find()) {
            Optional<Span> span = toMask.apply(finder);
            if (span.isPresent() && span.get().start() >= copied) {
                out.append(text, copied, span.get().start()).append(MASK);
                copied = span.get().end();
            }
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static String restore(String text, List<String> kept) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int index = c - KEPT;
            out.append(index >= 0 && index < kept.size() ? kept.get(index) : String.valueOf(c));
        }
        return out.toString();
    }

    private static int digitCount(String text) {
        return (int) text.chars().filter(Character::isDigit).count();
    }
}
