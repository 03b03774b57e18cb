package vn.bhxh.shield.deploy.bench;

import java.util.List;
import java.util.function.BiFunction;
import org.apache.commons.rng.UniformRandomProvider;

/**
 * Writes a phone number or a domain the way people type them into a form or a chat: spaces, dots, dashes,
 * {@code +84}/{@code 84}/{@code 0084}/{@code 0} prefixes, full-width digits, defanged links ({@code hxxps://},
 * {@code [.]}, {@code [dot]}). Every form here is one the normaliser maps back to the same key (NormaliserTest).
 */
final class MessySpelling {

    private static final List<BiFunction<String, UniformRandomProvider, String>> PHONE_FORMS = List.of(
            (nsn, rng) -> "0" + nsn,
            (nsn, rng) -> "0" + group(nsn, '.'),
            (nsn, rng) -> "0" + group(nsn, ' '),
            (nsn, rng) -> "0" + group(nsn, '-'),
            (nsn, rng) -> "+84 " + group(nsn, ' '),
            (nsn, rng) -> "84" + nsn,
            (nsn, rng) -> "0084 " + group(nsn, ' '),
            (nsn, rng) -> "+84 (0) " + group(nsn, ' '),
            (nsn, rng) -> fullWidth("0" + nsn));

    private static final List<BiFunction<String, UniformRandomProvider, String>> DOMAIN_FORMS = List.of(
            (domain, rng) -> domain,
            (domain, rng) -> "https://www." + domain + "/cap-nhat",
            (domain, rng) -> "hxxps://" + defang(domain, "[.]"),
            (domain, rng) -> "hxxp://" + defang(domain, "[.]") + "/dang-nhap?ref=zalo",
            (domain, rng) -> defang(domain, "(.)"),
            (domain, rng) -> defang(domain, " [dot] "),
            (domain, rng) -> defang(domain, "{.}") + "/otp",
            (domain, rng) -> "HTTPS://WWW." + domain.toUpperCase(java.util.Locale.ROOT) + ".");

    private MessySpelling() {
    }

    /** The first forms of {@link #PHONE_FORMS}: how people write a hotline or landline (never with +84). */
    private static final int DOMESTIC_FORMS = 4;

    /** {@code nsn}: the national significant number, without the leading 0 (e.g. {@code 904038115}). */
    static String phone(String nsn, UniformRandomProvider rng) {
        int forms = nsn.length() == 9 ? PHONE_FORMS.size() : DOMESTIC_FORMS;
        return PHONE_FORMS.get(rng.nextInt(forms)).apply(nsn, rng);
    }

    static String domain(String domain, UniformRandomProvider rng) {
        return DOMAIN_FORMS.get(rng.nextInt(DOMAIN_FORMS.size())).apply(domain, rng);
    }

    /** 904038115 -> 904 038 115; 19009068 -> 1900 9068 (the shapes people group digits in). */
    private static String group(String nsn, char separator) {
        if (nsn.length() == 9) {
            return nsn.substring(0, 3) + separator + nsn.substring(3, 6) + separator + nsn.substring(6);
        }
        return nsn.substring(0, 4) + separator + nsn.substring(4);
    }

    private static String fullWidth(String digits) {
        StringBuilder out = new StringBuilder(digits.length());
        digits.chars().forEach(c -> out.append((char) (c - '0' + '０')));
        return out.toString();
    }

    private static String defang(String domain, String dot) {
        int last = domain.lastIndexOf('.');
        return domain.substring(0, last) + dot + domain.substring(last + 1);
    }
}
