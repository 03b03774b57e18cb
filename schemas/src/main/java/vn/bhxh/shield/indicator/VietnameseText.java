package vn.bhxh.shield.indicator;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    /**
     * A regex alternation of folded names, longest first so that "dong nam a" wins over "nam a"; a space inside a
     * name matches a space, '.', '-' or nothing ("mb bank", "mbbank", "mb-bank").
     */
    static String nameAlternation(Stream<String> foldedNames) {
        return foldedNames
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(name -> Pattern.quote(name).replace(" ", "\\E[ .-]?\\Q"))
                .collect(Collectors.joining("|"));
    }

    /** A folded name without its spaces and punctuation: what two spellings of one name share. */
    static String compact(String foldedName) {
        return foldedName.replaceAll("[^a-z0-9]", "");
    }
}
