package vn.bhxh.shield.indicator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

/**
 * Pulls phone numbers, links, social accounts, e-wallets and bank accounts out of free Vietnamese text (fanpage messages,
 * hotline notes, press articles). Regexes only propose candidates; {@link Normaliser} decides what is valid.
 * <p>
 * libphonenumber's {@code findNumbers} is not used for phones: it does not know the legacy 11-digit mobile
 * prefixes people still write, and it misses service numbers grouped with a space ("1900 9068").
 * <p>
 * Kinds are extracted in order of specificity (links, handles, wallets and Zalo numbers, bank accounts, phones)
 * and each claimed span is blanked out, so that the digits of a profile id or a bank account are not read again
 * as a phone number.
 */
public final class IdentifierExtractor {

    /** What the text mentions: distinct indicators in order of appearance, and candidates that were invalid. */
    public record Extraction(List<Indicator> indicators, List<Rejected> rejected) {
    }

    /**
     * One span of {@link VietnameseText#compatibilityForm} of the text that was read as an identifier, valid or not:
     * for callers that must know where an identifier was written (what surrounds it, or to blank it out).
     */
    public record Mention(int start, int end, Normalisation result) {
    }

    private static final char CLAIMED = '\u0000';

    /**
     * A link with a real or defanged http(s) scheme, up to whitespace, a quote or ";": legal in URLs but in
     * Vietnamese text it separates list items ("https://hanoi.baohiemxahoi.gov.vn;(2)Fanpage").
     */
    private static final Pattern SCHEME_LINK = Pattern.compile(
            "(?i)\\bh(?:tt|xx)ps?(?::|\\[:]|\\[://])[^\\s<>\"'“”;]+");

    /**
     * A bare host (labels joined by real or defanged dots) with an optional path. The last label must be
     * letters so that amounts and dates ("7.739", "15/5/2024") never qualify; whether it is a real public
     * suffix ("TP.HCM", "v.v" are not) is left to the normaliser. Not preceded by "@": e-mail domains are not
     * indicators.
     */
    private static final String DOT = "(?:\\.|\\s?(?:\\[\\.]|\\(\\.\\)|\\{\\.}|\\[dot]|\\(dot\\))\\s?)";
    private static final Pattern BARE_LINK = Pattern.compile(
            "(?i)(?<![\\p{L}\\p{N}@._-])(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?" + DOT + ")+"
                    + "\\p{L}{2,}(?![\\p{L}\\p{N}@-])(?:/[^\\s<>\"'“”]*)?");

    private static final Pattern HANDLE = Pattern.compile(
            "(?i)\\b(?:tiktok|telegram|facebook|fb|instagram)\\s*:?\\s*@[\\p{L}\\p{N}._]*[\\p{L}\\p{N}_]");

    /**
     * A wallet's or Zalo's name right before a number ("MoMo 0904038115", "zalo: 0904.038.115"), in folded text:
     * an e-wallet or a Zalo account rather than a bare phone number. Group "number" is the digits and what follows.
     */
    private static final Pattern LABELLED_ACCOUNT = Pattern.compile("(?:" + EWallet.MENTION.pattern()
            + "|(?<![a-z0-9])zalo(?: oa)?)[ :.]{0,3}(?<number>\\+?\\d(?:[ .()-]{0,3}\\d)+)");

    /** How far from a bank's name its account number may be written ("Vietcombank, STK: 0123..."). */
    private static final int BANK_WINDOW = 40;

    /**
     * Digits grouped by the separators people use in numbers, with an optional "+", e.g. "+84 (0) 904.038.115".
     * Separator runs may glue unrelated numbers ("năm 2024 0904038115"), which {@link #phones} splits again.
     */
    private static final Pattern PHONE_CANDIDATE = Pattern.compile("(?<![\\p{N}+])\\+?\\d(?:[ .\\-()]{0,3}\\d)+");
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[ .\\-()]+");
    /** Numbers that are phone-like enough to report when invalid; bare amounts like "1.000.000" are not. */
    private static final Pattern PHONE_LIKE = Pattern.compile("(?:\\+|0|1[89]00).*");
    private static final Pattern DATE = Pattern.compile("\\d{1,2}[.\\-/]\\d{1,2}[.\\-/]\\d{2,4}");
    private static final int MIN_REPORTED_DIGITS = 7;
    private static final int MAX_PHONE_DIGITS = 15;
    private static final int MIN_PHONE_DIGITS = 8;

    private final Normaliser normaliser;

    public IdentifierExtractor(Normaliser normaliser) {
        this.normaliser = normaliser;
    }

    public IdentifierExtractor() {
        this(new Normaliser());
    }

    public Extraction extract(String text) {
        return scan(text).result();
    }

    /** Every span read as an identifier, in order of position in {@code compatibilityForm(text)}. */
    public List<Mention> mentions(String text) {
        return scan(text).mentions();
    }

    private Scan scan(String text) {
        var scan = new Scan(VietnameseText.compatibilityForm(text == null ? "" : text));
        // Each pass only where its patterns can match at all: most notes hold no link, handle or number, and
        // the regexes cost more than these scans.
        if (mayHoldLink(scan.text)) {
            links(scan);
        }
        if (scan.text.indexOf('@') >= 0) {
            handles(scan);
        }
        if (hasAsciiDigit(scan.text)) {
            labelledAccounts(scan);
            bankAccounts(scan);
            phones(scan);
        }
        return scan;
    }

    /** A scheme link has a ':', a bare one a dot: '.' or a defanged "[dot]" / "(dot)". */
    private static boolean mayHoldLink(String text) {
        return text.indexOf('.') >= 0 || text.indexOf(':') >= 0 || text.toLowerCase(Locale.ROOT).contains("dot");
    }

    /** Phone and account candidates start with {@code \d}, which is ASCII only (NFKC already mapped full-width). */
    private static boolean hasAsciiDigit(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                return true;
            }
        }
        return false;
    }

    private void links(Scan scan) {
        for (Pattern pattern : List.of(SCHEME_LINK, BARE_LINK)) {
            Matcher link = pattern.matcher(scan.text);
            while (link.find()) {
                String candidate = trimTrailingPunctuation(link.group());
                boolean obviousLink = pattern == SCHEME_LINK || candidate.matches("(?s).*[\\[({].*");
                Normalisation result = normaliser.link(candidate);
                // A bare word pair like "TP.HCM" is prose, not a broken link: only report links that were meant.
                if (result.isAccepted() || obviousLink) {
                    scan.record(link.start(), link.start() + candidate.length(), result);
                }
            }
        }
    }

    private void handles(Scan scan) {
        Matcher handle = HANDLE.matcher(scan.text);
        while (handle.find()) {
            scan.record(handle.start(), handle.end(), normaliser.account(handle.group()));
        }
    }

    /**
     * A wallet or Zalo account, its number the longest run of digit groups after the name that the normaliser
     * accepts ("MoMo 0904 038 115 hoặc 0912..." stops before the second number). Nothing valid: left to the phones.
     */
    private void labelledAccounts(Scan scan) {
        Matcher labelled = LABELLED_ACCOUNT.matcher(VietnameseText.fold(scan.text));
        while (labelled.find()) {
            Matcher number = PHONE_CANDIDATE.matcher(scan.text).region(labelled.start("number"), labelled.end());
            if (!number.find()) {
                continue;
            }
            List<int[]> groups = digitGroups(number);
            for (int to = groups.size() - 1; to >= 0; to--) {
                int end = groups.get(to)[1];
                Normalisation account = normaliser.account(scan.text.substring(labelled.start(), end));
                if (account.isAccepted()) {
                    scan.record(labelled.start(), end, account);
                    break;
                }
            }
        }
    }

    /** An account number is the digit group nearest after the bank's name, or else just before it. */
    private void bankAccounts(Scan scan) {
        String folded = VietnameseText.fold(scan.text);
        Matcher mention = Bank.MENTION.matcher(folded);
        while (mention.find()) {
            Bank bank = Bank.of(mention);
            accountDigitsNear(scan.text, mention.start(), mention.end()).ifPresent(digits -> scan.record(
                    digits.start(), digits.end(),
                    AccountNormaliser.bankAccount(digits.group(), bank, digits.group())));
        }
    }

    private static Optional<MatchResult> accountDigitsNear(String text, int nameStart, int nameEnd) {
        Matcher after = AccountNormaliser.ACCOUNT_DIGITS.matcher(text);
        if (after.find(nameEnd) && after.start() - nameEnd <= BANK_WINDOW
                && text.substring(nameEnd, after.start()).indexOf('\n') < 0
                && digitCount(after.group()) >= AccountNormaliser.MIN_ACCOUNT_DIGITS) {
            return Optional.of(new MatchResult(after.start(), after.end(), after.group()));
        }
        Matcher before = AccountNormaliser.ACCOUNT_DIGITS.matcher(text)
                .region(Math.max(0, nameStart - BANK_WINDOW), nameStart);
        MatchResult last = null;
        while (before.find()) {
            last = new MatchResult(before.start(), before.end(), before.group());
        }
        return Optional.ofNullable(last)
                .filter(digits -> digitCount(digits.group()) >= AccountNormaliser.MIN_ACCOUNT_DIGITS)
                .filter(digits -> text.substring(digits.end(), nameStart).indexOf('\n') < 0);
    }

    private record MatchResult(int start, int end, String group) {
    }

    /**
     * Each candidate is split at its separators and the longest valid run of groups is taken from the left,
     * so "năm 2024 0904038115" yields the phone and "1900 9068" stays whole. A phone-like candidate with no
     * valid run is reported with the normaliser's reason.
     */
    private void phones(Scan scan) {
        Matcher candidate = PHONE_CANDIDATE.matcher(scan.text);
        while (candidate.find()) {
            if (DATE.matcher(candidate.group()).matches()) {
                continue;
            }
            List<int[]> groups = digitGroups(candidate);
            boolean found = false;
            for (int i = 0; i < groups.size(); ) {
                int consumed = longestValidRun(scan, groups, i);
                found |= consumed > 0;
                i += Math.max(consumed, 1);
            }
            String whole = candidate.group();
            if (!found && PHONE_LIKE.matcher(whole).matches() && digitCount(whole) >= MIN_REPORTED_DIGITS) {
                scan.record(candidate.start(), candidate.end(), normaliser.phone(whole));
            }
        }
    }

    /** Records the longest valid phone starting at group {@code from}; returns how many groups it spans. */
    private int longestValidRun(Scan scan, List<int[]> groups, int from) {
        for (int to = groups.size() - 1; to >= from; to--) {
            int start = groups.get(from)[0];
            int end = groups.get(to)[1];
            String run = scan.text.substring(start, end);
            int digits = digitCount(run);
            if (digits < MIN_PHONE_DIGITS || digits > MAX_PHONE_DIGITS) {
                continue;
            }
            Normalisation phone = normaliser.phone(run);
            if (phone.isAccepted()) {
                scan.record(start, end, phone);
                return to - from + 1;
            }
        }
        return 0;
    }

    /** [start, end) of each separator-delimited group, the "+" staying with the first. */
    private static List<int[]> digitGroups(Matcher candidate) {
        List<int[]> groups = new ArrayList<>();
        Matcher separator = PHONE_SEPARATORS.matcher(candidate.group());
        int groupStart = 0;
        while (separator.find()) {
            groups.add(new int[] {candidate.start() + groupStart, candidate.start() + separator.start()});
            groupStart = separator.end();
        }
        groups.add(new int[] {candidate.start() + groupStart, candidate.end()});
        return groups;
    }

    private static int digitCount(String text) {
        return (int) text.chars().filter(Character::isDigit).count();
    }

    private static String trimTrailingPunctuation(String link) {
        return link.replaceAll("[.,;:!?)\\]}>…]+$", "");
    }

    /** The text being scanned, with the spans already claimed blanked out, and what was found so far. */
    private static final class Scan {
        private final StringBuilder remaining;
        private String text;
        private final List<Mention> mentions = new ArrayList<>();

        Scan(String text) {
            this.text = text;
            this.remaining = new StringBuilder(text);
        }

        void record(int start, int end, Normalisation result) {
            mentions.add(new Mention(start, end, result));
            for (int i = start; i < end; i++) {
                remaining.setCharAt(i, CLAIMED);
            }
            text = remaining.toString();
        }

        List<Mention> mentions() {
            return mentions.stream().sorted(Comparator.comparingInt(Mention::start)).toList();
        }

        Extraction result() {
            List<Mention> inOrder = mentions();
            return new Extraction(
                    inOrder.stream().flatMap(m -> m.result().accepted().stream()).distinct().toList(),
                    inOrder.stream().map(Mention::result).filter(Rejected.class::isInstance).map(Rejected.class::cast)
                            .distinct().toList());
        }
    }
}
