package vn.bhxh.shield.indicator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Vietnamese bank scammers ask victims to transfer to, from the data file {@code banks.csv} next to this class
 * (every bank of the NAPAS/VietQR directory; its header names the source). The code is part of the blocklist key,
 * so an existing code never changes.
 *
 * @param names           folded brand names and codes that identify the bank on their own ("vietcombank", "vcb")
 * @param vietnameseNames ordinary words ("quan doi", "quoc te") that only name a bank after "ngân hàng" or "NH"
 */
public record Bank(String code, String bin, String displayName, String fullName, List<String> names,
        List<String> vietnameseNames) {

    public static final String RESOURCE = "banks.csv";
    private static final Pattern CODE = Pattern.compile("[a-z]+");
    private static final Pattern BIN = Pattern.compile("\\d{6}");
    private static final int COLUMNS = 6;

    private static final List<Bank> ALL = load();
    private static final Map<String, Bank> BY_CODE = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Bank::code, Function.identity()));
    /** Every name, spaces and punctuation removed, to the bank it names. */
    private static final Map<String, Bank> BY_COMPACT_NAME = byCompactName(ALL);

    /**
     * A bank mentioned in diacritic-folded text ({@link VietnameseText#fold}); group "name" or "vnname" is what
     * named it. Spaces inside a name are optional ("mbbank", "mb bank", "mb-bank"), and a brand may follow
     * "ngân hàng".
     */
    static final Pattern MENTION = Pattern.compile(
            "(?<![a-z0-9])(?:(?:ngan hang|nh)[ .:]*)?(?<name>" + alternation(bank -> bank.names.stream()) + ")"
                    + "(?![a-z0-9])"
                    + "|(?<![a-z0-9])(?:ngan hang|nh) (?<vnname>" + alternation(bank -> bank.vietnameseNames.stream())
                    + ")(?![a-z0-9])");

    public Bank {
        names = List.copyOf(names);
        vietnameseNames = List.copyOf(vietnameseNames);
    }

    /** Every bank of the data file, in file order. */
    public static List<Bank> all() {
        return ALL;
    }

    public static Optional<Bank> byCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The bank named by a {@link #MENTION} match. */
    static Bank of(Matcher mention) {
        String named = mention.group("name") != null ? mention.group("name") : mention.group("vnname");
        return BY_COMPACT_NAME.get(VietnameseText.compact(named));
    }

    /**
     * Reads the lines of the data file: {@code code,bin,short_name,full_name,names,vietnamese_names}, names
     * separated by {@code ;}, {@code #} starting a comment and the first other line being the header.
     *
     * @throws IllegalArgumentException naming the first bad line: a wrong column count, a code that is not
     *                                  lower-case letters, a BIN that is not 6 digits, or a code, BIN or name
     *                                  that another bank already has
     */
    static List<Bank> parse(List<String> lines) {
        List<Bank> banks = new ArrayList<>();
        boolean header = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            banks.add(bank(line, i + 1));
            try {
                uniqueOrThrow(banks);
            } catch (IllegalArgumentException duplicate) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + duplicate.getMessage(), duplicate);
            }
        }
        return List.copyOf(banks);
    }

    private static Bank bank(String line, int number) {
        String[] fields = line.split(",", -1);
        if (fields.length != COLUMNS) {
            throw new IllegalArgumentException("line " + number + ": expected " + COLUMNS + " columns but got '"
                    + line + "'");
        }
        String code = fields[0].strip();
        String bin = fields[1].strip();
        if (!CODE.matcher(code).matches() || !BIN.matcher(bin).matches()) {
            throw new IllegalArgumentException("line " + number + ": code '" + code + "' must be lower-case letters"
                    + " and BIN '" + bin + "' 6 digits");
        }
        return new Bank(code, bin, fields[2].strip(), fields[3].strip(), aliases(fields[4]), aliases(fields[5]));
    }

    private static List<String> aliases(String field) {
        return Arrays.stream(field.split(";")).map(String::strip).filter(alias -> !alias.isEmpty())
                .map(alias -> VietnameseText.fold(VietnameseText.compatibilityForm(alias))).toList();
    }

    private static void uniqueOrThrow(List<Bank> banks) {
        Bank last = banks.get(banks.size() - 1);
        for (Bank other : banks.subList(0, banks.size() - 1)) {
            if (other.code.equals(last.code) || other.bin.equals(last.bin)) {
                throw new IllegalArgumentException(last.code + " has the code or BIN of " + other.code);
            }
        }
        byCompactName(banks);
    }

    private static Map<String, Bank> byCompactName(List<Bank> banks) {
        Map<String, Bank> byName = new HashMap<>();
        for (Bank bank : banks) {
            Stream.concat(bank.names.stream(), bank.vietnameseNames.stream()).map(VietnameseText::compact)
                    .forEach(name -> {
                        Bank before = byName.putIfAbsent(name, bank);
                        if (before != null && before != bank) {
                            throw new IllegalArgumentException(bank.code + " and " + before.code
                                    + " are both named '" + name + "'");
                        }
                    });
        }
        return Map.copyOf(byName);
    }

    private static List<Bank> load() {
        try (InputStream in = Bank.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bank list " + RESOURCE + " is missing from the classpath"
                        + " (expected next to " + Bank.class.getName() + ")");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read bank list " + RESOURCE, unreadable);
        } catch (IllegalArgumentException malformed) {
            throw new IllegalStateException("bank list " + RESOURCE + " is malformed: " + malformed.getMessage(),
                    malformed);
        }
    }

    private static String alternation(Function<Bank, Stream<String>> aliases) {
        return VietnameseText.nameAlternation(ALL.stream().flatMap(aliases));
    }
}
