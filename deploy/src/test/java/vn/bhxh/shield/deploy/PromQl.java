package vn.bhxh.shield.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL to say which metric names an expression reads: what is left of it once strings, label
 * matchers, grouping label lists, ranges and Grafana variables are taken out is functions (a name followed by
 * {@code (}), keywords, numbers and metric names.
 */
final class PromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern GRAFANA_VARIABLES = Pattern.compile("\\$\\{[^}]*}|\\$\\w+");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** The metric names {@code expression} selects, e.g. {@code x_total} in {@code sum by (a) (rate(x_total[5m]))}. */
    static Set<String> metricNames(String expression) {
        String rest = GRAFANA_VARIABLES.matcher(expression).replaceAll(" ");
        rest = STRINGS.matcher(rest).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = LABEL_LISTS.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            if (identifier.start() > 0 && Character.isDigit(rest.charAt(identifier.start() - 1))) {
                continue; // the exponent or unit of a number: 1e3, 5m
            }
            String name = identifier.group();
            String after = rest.substring(identifier.end()).stripLeading();
            if (!after.startsWith("(") && !KEYWORDS.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }
}
