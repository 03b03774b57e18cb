package vn.bhxh.shield.indicator;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.bhxh.shield.indicator.Normalisation.Accepted;
import vn.bhxh.shield.indicator.Normalisation.Rejected;

/** Phone numbers to E.164, Vietnam by default; libphonenumber decides validity, we never guess. */
final class PhoneNormaliser {

    private static final String VIETNAM = "VN";
    private static final String VIETNAM_CODE = "84";

    /** Digits with the separators people type: spaces, dots, dashes, slashes and parentheses. */
    private static final Pattern PHONE_SHAPE = Pattern.compile("\\+?[\\d\\s.\\-/()]+");
    private static final String MAX_LENGTH_HINT_VI = "số điện thoại có tối đa 15 chữ số";
    private static final Pattern SEPARATORS = Pattern.compile("[^\\d+]");

    private final PhoneNumberUtil util;

    PhoneNormaliser(PhoneNumberUtil util) {
        this.util = util;
    }

    /** Whether the text is only digits and separators, i.e. meant as a phone number if anything. */
    static boolean looksLikePhone(String text) {
        String compatible = VietnameseText.compatibilityForm(text).strip();
        return PHONE_SHAPE.matcher(compatible).matches() && compatible.chars().anyMatch(Character::isDigit);
    }

    Normalisation normalise(String raw) {
        if (raw == null || raw.isBlank()) {
            return Rejected.of(raw, RejectReason.EMPTY);
        }
        if (!looksLikePhone(raw)) {
            return Rejected.of(raw, RejectReason.NOT_A_PHONE_NUMBER);
        }
        String digits = SEPARATORS.matcher(VietnameseText.compatibilityForm(raw)).replaceAll("");
        if (digits.lastIndexOf('+') > 0) {
            return Rejected.of(raw, RejectReason.NOT_A_PHONE_NUMBER);
        }
        String international = internationalForm(digits);
        PhoneNumber number;
        try {
            number = util.parse(international, VIETNAM);
        } catch (NumberParseException e) {
            return switch (e.getErrorType()) {
                case TOO_LONG -> Rejected.of(raw, RejectReason.TOO_LONG, MAX_LENGTH_HINT_VI);
                case TOO_SHORT_NSN, TOO_SHORT_AFTER_IDD -> Rejected.of(raw, RejectReason.TOO_SHORT, MAX_LENGTH_HINT_VI);
                default -> Rejected.of(raw, RejectReason.NOT_A_PHONE_NUMBER);
            };
        }
        if (util.isValidNumber(number)) {
            return new Accepted(Indicator.phone(util.format(number, PhoneNumberFormat.E164)));
        }
        return rejectInvalid(raw, number);
    }

    /**
     * "+84…", "0084…", "84…" and "0…" all become "+84…" with the trunk 0 dropped, including the "+84 (0) 904…"
     * habit, and legacy 11-digit mobiles are modernised first: libphonenumber no longer knows them.
     * Foreign numbers keep their "+" (or "00" international prefix) and are left to libphonenumber.
     */
    private static String internationalForm(String digits) {
        String national;
        if (digits.startsWith("+" + VIETNAM_CODE)) {
            national = digits.substring(3);
        } else if (digits.startsWith("00" + VIETNAM_CODE)) {
            national = digits.substring(4);
        } else if (digits.startsWith("+")) {
            return digits;
        } else if (digits.startsWith("00")) {
            return "+" + digits.substring(2);
        } else if (digits.startsWith(VIETNAM_CODE) && digits.length() >= 11) {
            // 84 + 9 or 10 national digits; no Vietnamese national number starts with 84 without its trunk 0.
            national = digits.substring(2);
        } else {
            national = digits;
        }
        national = national.startsWith("0") ? national.substring(1) : national;
        return "+" + VIETNAM_CODE + LegacyMobilePrefixes.modernise(national).orElse(national);
    }

    /** Explain the failure by the number's shape; the lengths are only used for the message. */
    private Rejected rejectInvalid(String raw, PhoneNumber number) {
        if (number.getCountryCode() != 84) {
            return Rejected.of(raw, RejectReason.INVALID_PHONE_NUMBER);
        }
        String national = util.getNationalSignificantNumber(number);
        return NumberShape.of(national)
                .map(shape -> rejectByLength(raw, national, shape))
                .orElseGet(() -> Rejected.of(raw, RejectReason.INVALID_PHONE_NUMBER));
    }

    private static Rejected rejectByLength(String raw, String national, NumberShape shape) {
        if (national.length() < shape.minNationalDigits) {
            return Rejected.of(raw, RejectReason.TOO_SHORT, shape.hintVi);
        }
        if (national.length() > shape.maxNationalDigits) {
            return Rejected.of(raw, RejectReason.TOO_LONG, shape.hintVi);
        }
        return Rejected.of(raw, RejectReason.INVALID_PHONE_NUMBER);
    }

    /** The kinds of Vietnamese number, recognised by their first national digits. */
    private enum NumberShape {
        MOBILE("[35789]", 9, 9, "số di động có 10 chữ số"),
        LANDLINE("2", 10, 10, "số cố định có 11 chữ số, gồm mã vùng"),
        SERVICE("1[89]00", 8, 10, "số tổng đài 1900/1800 có 8 hoặc 10 chữ số");

        private final Pattern start;
        private final int minNationalDigits;
        private final int maxNationalDigits;
        private final String hintVi;

        NumberShape(String start, int minNationalDigits, int maxNationalDigits, String hintVi) {
            this.start = Pattern.compile(start + ".*");
            this.minNationalDigits = minNationalDigits;
            this.maxNationalDigits = maxNationalDigits;
            this.hintVi = hintVi;
        }

        static Optional<NumberShape> of(String national) {
            return Arrays.stream(values()).filter(shape -> shape.start.matcher(national).matches()).findFirst();
        }
    }
}
