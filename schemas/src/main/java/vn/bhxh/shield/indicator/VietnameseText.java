package vn.bhxh.shield.indicator;

import java.text.Normalizer;

/** Text helpers for matching what people type in Vietnamese against canonical names. */
public final class VietnameseText {

    private VietnameseText() {
    }

    /** NFKC turns full-width digits and letters (０９０４, ＋８４) into ASCII and composes decomposed accents. */
    public static String compatibilityForm(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC);
    }

    /**
     * Lower-case without diacritics ("Đắk Lắk" -> "dak lak"), one char per char of the NFC/NFKC input, so match
     * positions in the folded text are positions in the original. {@code đ} has no decomposition in Unicode
     * (it is a letter, not d + mark), hence the explicit mapping.
     */
    public static String fold(String composedText) {
        var folded = new StringBuilder(composedText.length());
        for (int i = 0; i < composedText.length(); i++) {
            char c = composedText.charAt(i);
            if (c == 'đ' || c == 'Đ') {
                folded.append('d');
            } else {
                char base = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).charAt(0);
                folded.append(Character.toLowerCase(base));
            }
        }
        return folded.toString();
    }
}
