package vn.bhxh.shield.ingest.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normalisation.Rejected;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.province.Province;
import vn.bhxh.shield.province.Provinces;
import vn.bhxh.shield.schema.Channel;
import vn.bhxh.shield.schema.ContactMethod;
import vn.bhxh.shield.schema.ScamRequest;

/**
 * The server's rules for a report, the only ones: the operator form asks {@code POST /api/v1/validate} rather
 * than repeating them in JavaScript. Blank rows of the repeatable lists are ignored (a form leaves them).
 */
public final class ReportValidator {

    static final int MAX_ITEMS = 20;
    static final int MAX_NOTES = 5000;
    static final int MAX_TEXT = 200;
    /** The longest identifier the form looks up while typing: a long link, never a paragraph. */
    public static final int MAX_TYPED = 2048;
    // A clock a little fast on the operator's PC must not reject a call that just happened.
    private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(10);

    private final Normaliser normaliser;
    private final NoteIdentifiers noteIdentifiers;
    private final Clock clock;

    /**
     * @param normaliser for the identifier fields (may remember: scam numbers recur)
     * @param noteIdentifiers for the reporter's number and the notes
     */
    public ReportValidator(Normaliser normaliser, NoteIdentifiers noteIdentifiers, Clock clock) {
        this.normaliser = normaliser;
        this.noteIdentifiers = noteIdentifiers;
        this.clock = clock;
    }

    /**
     * Either the valid report or every error found (never only the first); {@code indicators} are those of the
     * identifier fields; {@code notAdded} what the notes name besides them, offered to the operator, never added.
     */
    public record Result(Optional<ValidReport> report, List<FieldError> errors, List<Indicator> indicators,
                         List<NoteIdentifiers.Found> notAdded) {
    }

    /**
     * One identifier as typed into a field of the form ({@code phoneNumbers}, {@code urls} or {@code accounts}), by
     * that field's rules: what the operator form looks up while the operator types.
     */
    public Optional<Normalisation> typed(String field, String raw) {
        Function<String, Normalisation> rules = switch (field == null ? "" : field) {
            case IndicatorLists.PHONES -> normaliser::phone;
            case IndicatorLists.LINKS -> normaliser::link;
            case IndicatorLists.ACCOUNTS -> normaliser::account;
            default -> null;
        };
        return rules == null || blank(raw) ? Optional.empty() : Optional.of(rules.apply(raw));
    }

    public Result validate(ReportSubmission in) {
        List<FieldError> errors = new ArrayList<>();
        Channel channel = enumValue(in.channel(), "channel", Channel.class, true, errors);
        String reporterId = requiredText(in.reporterId(), "reporterId", errors);
        Province province = null;
        if (blank(in.province())) {
            errors.add(new FieldError("province", "REQUIRED", "Chưa chọn tỉnh, thành phố nơi người dân sinh sống."));
        } else {
            province = Provinces.lookup(in.province()).orElse(null);
            if (province == null) {
                errors.add(new FieldError("province", "UNKNOWN_PROVINCE",
                        "Không tìm thấy tỉnh, thành phố \"" + in.province().strip() + "\"."));
            }
        }
        ContactMethod contactMethod = enumValue(in.contactMethod(), "contactMethod", ContactMethod.class, false, errors);

        // The caller's own number (a hotline reporter id is one) is personal data, never an indicator.
        Optional<Indicator> reporter = noteIdentifiers.reporterNumber(reporterId);
        Map<String, Indicator> indicators = new LinkedHashMap<>();
        List<String> phones = identifiers(IndicatorLists.PHONES, in.phoneNumbers(), normaliser::phone, reporter,
                indicators, errors);
        List<String> urls = identifiers(IndicatorLists.LINKS, in.urls(), normaliser::link, reporter, indicators, errors);
        List<String> accounts = identifiers(IndicatorLists.ACCOUNTS, in.accounts(), normaliser::account, reporter,
                indicators, errors);

        String notes = blank(in.notes()) ? null : in.notes().strip();
        List<NoteIdentifiers.Found> notAdded = List.of();
        if (notes != null && notes.length() > MAX_NOTES) {
            errors.add(new FieldError("notes", "TOO_LONG", "Ghi chú dài quá " + MAX_NOTES + " ký tự."));
        } else if (notes != null) {
            notAdded = noteIdentifiers.read(notes, reporter).stream()
                    .filter(found -> !indicators.containsKey(found.indicator().key())).toList();
        }
        boolean anyTyped = !(phones.isEmpty() && urls.isEmpty() && accounts.isEmpty());
        if (indicators.isEmpty() && !anyTyped) {
            errors.add(new FieldError(IndicatorLists.PHONES, "NO_IDENTIFIER",
                    "Cần ít nhất một số điện thoại, đường link hoặc tài khoản của kẻ gian."
                            + (notAdded.stream().anyMatch(found -> !found.writersOwn())
                            ? " Ghi chú có nhắc đến một số: bấm \"Thêm\" bên dưới ghi chú để đưa vào báo cáo." : "")));
        }

        List<ScamRequest> requested = new ArrayList<>();
        for (int i = 0; i < in.requested().size(); i++) {
            ScamRequest request = enumValue(in.requested().get(i), "requested[" + i + "]", ScamRequest.class, false, errors);
            if (request != null && !requested.contains(request)) {
                requested.add(request);
            }
        }
        long amount = in.amountLostVnd() == null ? 0 : in.amountLostVnd();
        if (amount < 0) {
            errors.add(new FieldError("amountLostVnd", "NEGATIVE_AMOUNT", "Số tiền bị mất không thể là số âm."));
        }
        Instant occurredAt = occurredAt(in.occurredAt(), errors);
        String sourceReference = blank(in.sourceReference()) ? null : in.sourceReference().strip();
        if (sourceReference != null && sourceReference.length() > MAX_TEXT) {
            errors.add(new FieldError("sourceReference", "TOO_LONG", "Mã tham chiếu dài quá " + MAX_TEXT + " ký tự."));
        }

        List<Indicator> found = List.copyOf(indicators.values());
        if (!errors.isEmpty()) {
            return new Result(Optional.empty(), List.copyOf(errors), found, notAdded);
        }
        return new Result(Optional.of(new ValidReport(channel, reporterId, province.slug(), contactMethod, phones, urls,
                accounts, requested, amount, notes, occurredAt, sourceReference, found)), List.of(), found, notAdded);
    }

    private List<String> identifiers(String field, List<String> typed, Function<String, Normalisation> normalise,
                                     Optional<Indicator> reporter, Map<String, Indicator> indicators,
                                     List<FieldError> errors) {
        if (typed.size() > MAX_ITEMS) {
            errors.add(new FieldError(field, "TOO_MANY_ITEMS", "Tối đa " + MAX_ITEMS + " mục mỗi loại."));
            return List.of();
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < typed.size(); i++) {
            String raw = typed.get(i);
            if (blank(raw)) {
                continue;
            }
            Normalisation result = normalise.apply(raw);
            if (result instanceof Rejected rejected) {
                errors.add(FieldError.of(field + "[" + i + "]", rejected));
            } else if (result.accepted().filter(indicator -> NoteIdentifiers.isReporters(indicator, reporter))
                    .isPresent()) {
                errors.add(new FieldError(field + "[" + i + "]", "REPORTERS_OWN_NUMBER",
                        "Đây là số của người báo, không phải của kẻ gian: số của người báo không được đưa vào báo cáo."));
            } else {
                result.accepted().ifPresent(indicator -> indicators.putIfAbsent(indicator.key(), indicator));
                kept.add(raw.strip());
            }
        }
        return kept;
    }

    private Instant occurredAt(String text, List<FieldError> errors) {
        if (blank(text)) {
            return null;
        }
        try {
            Instant at = OffsetDateTime.parse(text.strip()).toInstant();
            if (at.isAfter(clock.instant().plus(FUTURE_TOLERANCE))) {
                errors.add(new FieldError("occurredAt", "IN_THE_FUTURE", "Thời điểm xảy ra không thể ở tương lai."));
            }
            return at;
        } catch (DateTimeParseException e) {
            errors.add(new FieldError("occurredAt", "INVALID_DATE",
                    "Thời điểm xảy ra không hợp lệ (ví dụ 2026-11-20T09:15:00+07:00)."));
            return null;
        }
    }

    private static String requiredText(String text, String field, List<FieldError> errors) {
        if (blank(text)) {
            errors.add(new FieldError(field, "REQUIRED", "Chưa nhập " + label(field) + "."));
            return null;
        }
        if (text.strip().length() > MAX_TEXT) {
            errors.add(new FieldError(field, "TOO_LONG", label(field) + " dài quá " + MAX_TEXT + " ký tự."));
        }
        return text.strip();
    }

    private static <E extends Enum<E>> E enumValue(String text, String field, Class<E> type, boolean required,
                                                   List<FieldError> errors) {
        if (blank(text)) {
            if (required) {
                errors.add(new FieldError(field, "REQUIRED", "Chưa nhập " + label(field) + "."));
            }
            return null;
        }
        try {
            return Enum.valueOf(type, text.strip());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, "INVALID_VALUE", "Giá trị \"" + text.strip() + "\" không hợp lệ cho "
                    + label(field) + "."));
            return null;
        }
    }

    private static String label(String field) {
        return switch (field.replaceAll("\\[\\d+]", "")) {
            case "channel" -> "kênh tiếp nhận";
            case "reporterId" -> "số điện thoại hoặc mã người báo";
            case "contactMethod" -> "cách kẻ gian liên lạc";
            case "requested" -> "điều kẻ gian yêu cầu";
            default -> field;
        };
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
