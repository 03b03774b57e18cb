package vn.bhxh.shield.sink;

import com.google.common.net.InternetDomainName;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import vn.bhxh.shield.indicator.Indicator;
import vn.bhxh.shield.indicator.Normalisation;
import vn.bhxh.shield.indicator.Normaliser;
import vn.bhxh.shield.schema.Appeal;
import vn.bhxh.shield.schema.AppealStatus;
import vn.bhxh.shield.schema.Decision;
import vn.bhxh.shield.schema.DecisionAction;
import vn.bhxh.shield.schema.IndicatorKind;

/**
 * The rules of owners' appeals as pure functions over plain data (no Kafka, no HTTP): what a valid appeal is, the
 * receipt id, how an officer's decision changes an appeal and which {@link Decision} it writes, and how a newer
 * record of an appeal replaces the one held.
 */
final class Appeals {

    static final int MAX_INDICATOR = 300;
    static final int MAX_CONTACT = 254;
    static final int MIN_EXPLANATION = 20;
    static final int MAX_EXPLANATION = 2_000;
    static final int MIN_REASON = 5;
    static final int MAX_REASON = 1_000;
    static final String CONTACT = "contact";
    static final String EXPLANATION = "explanation";

    /** Said of every indicator that is not listed now, whatever else is known of it (proposed, rejected, official). */
    static final String NOT_LISTED = "Không nhận được yêu cầu xem xét cho mục này: yêu cầu chỉ được nhận cho số điện "
            + "thoại, tên miền hoặc trang đang có trong danh sách chặn. Nếu bạn vẫn bị chặn, hãy kiểm tra lại cách "
            + "viết hoặc gọi tổng đài 1900 9068.";

    private static final int ID_BYTES = 16;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    // RFC 5321's dot-atom local part, the common subset mail providers accept.
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");

    private Appeals() {
    }

    /** What the owner asked, checked: the canonical indicator, the contact (E.164 or e-mail), the explanation. */
    record Request(Indicator indicator, String contact, String explanation) {
    }

    record FieldError(String field, String message) {
    }

    sealed interface Checked permits Valid, Invalid {
    }

    record Valid(Request request) implements Checked {
    }

    record Invalid(List<FieldError> errors) implements Checked {
    }

    static Checked check(Normaliser normaliser, String indicator, String contact, String explanation) {
        List<FieldError> errors = new ArrayList<>();
        Indicator parsed = null;
        if (indicator == null || indicator.isBlank()) {
            errors.add(new FieldError("indicator", "Nhập số điện thoại, tên miền hoặc đường link bị chặn."));
        } else if (indicator.length() > MAX_INDICATOR) {
            errors.add(new FieldError("indicator", "Quá dài: tối đa " + MAX_INDICATOR + " ký tự."));
        } else {
            Normalisation normalised = normaliser.any(indicator);
            if (normalised instanceof Normalisation.Rejected rejected) {
                errors.add(new FieldError("indicator", rejected.messageVi()));
            } else {
                parsed = normalised.accepted().orElseThrow();
            }
        }
        Optional<String> reachable = contact == null ? Optional.empty() : contact(normaliser, contact.strip());
        if (reachable.isEmpty()) {
            errors.add(new FieldError(CONTACT, "Nhập số điện thoại hoặc địa chỉ email để nhận kết quả, ví dụ "
                    + "0912 345 678 hoặc ten@example.com."));
        }
        String told = explanation == null ? "" : explanation.strip();
        if (told.length() < MIN_EXPLANATION || told.length() > MAX_EXPLANATION) {
            errors.add(new FieldError(EXPLANATION, "Trình bày lý do từ " + MIN_EXPLANATION + " đến " + MAX_EXPLANATION
                    + " ký tự: bạn là ai với số/trang này và vì sao nó không phải lừa đảo."));
        }
        return errors.isEmpty() ? new Valid(new Request(parsed, reachable.orElseThrow(), told)) : new Invalid(errors);
    }

    /** A phone number in E.164, or an e-mail address with a registrable domain, lower-cased. */
    static Optional<String> contact(Normaliser normaliser, String contact) {
        if (contact.isEmpty() || contact.length() > MAX_CONTACT) {
            return Optional.empty();
        }
        int at = contact.lastIndexOf('@');
        if (at < 0) {
            return normaliser.phone(contact).accepted().filter(i -> i.kind() == IndicatorKind.PHONE)
                    .map(Indicator::value);
        }
        String local = contact.substring(0, at);
        String domain = contact.substring(at + 1).toLowerCase(Locale.ROOT);
        boolean valid = local.length() <= 64 && LOCAL_PART.matcher(local).matches()
                && InternetDomainName.isValid(domain) && InternetDomainName.from(domain).hasPublicSuffix();
        return valid ? Optional.of(local + "@" + domain) : Optional.empty();
    }

    /** 128 random bits, base64url: the receipt cannot be guessed, so it is the owner's only key to the outcome. */
    static String newId(SecureRandom random) {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    }

    static boolean wellFormedId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static Appeal open(String appealId, Indicator indicator, ByteBuffer sealedContact, ByteBuffer sealedExplanation,
                       Instant now) {
        return Appeal.newBuilder()
                .setAppealId(appealId)
                .setIndicator(indicator.key())
                .setKind(indicator.kind())
                .setStatus(AppealStatus.OPEN)
                .setSubmittedAt(now)
                .setSealedContact(sealedContact)
                .setSealedExplanation(sealedExplanation)
                .build();
    }

    /** The officer's reason, or why it is refused. */
    static Optional<String> reasonProblem(String reason) {
        String given = reason == null ? "" : reason.strip();
        return given.length() < MIN_REASON || given.length() > MAX_REASON
                ? Optional.of("Ghi lý do từ " + MIN_REASON + " đến " + MAX_REASON + " ký tự; người khiếu nại sẽ đọc lý do này.")
                : Optional.empty();
    }

    /**
     * The decision answering an open appeal: DELIST lifts the listing (the processor writes the tombstone), KEEP only
     * records for the audit that the listing was heard and stays. National, so no province.
     */
    static Decision decision(Appeal appeal, DecisionAction action, String officer, String reason, String decisionId,
                             Instant now) {
        if (action != DecisionAction.DELIST && action != DecisionAction.KEEP) {
            throw new IllegalArgumentException("an appeal is answered with DELIST or KEEP, not " + action);
        }
        return Decision.newBuilder()
                .setDecisionId(decisionId)
                .setAction(action)
                .setIndicator(appeal.getIndicator())
                .setActor(officer)
                .setProvince(null)
                .setReason(reason.strip())
                .setDecidedAt(now)
                .setAppealId(appeal.getAppealId())
                .build();
    }

    static Appeal decided(Appeal appeal, Decision decision) {
        return Appeal.newBuilder(appeal)
                .setStatus(decision.getAction() == DecisionAction.DELIST ? AppealStatus.DELISTED : AppealStatus.KEPT)
                .setDecidedAt(decision.getDecidedAt())
                .setDecidedBy(decision.getActor())
                .setDecisionReason(decision.getReason())
                .setDecisionId(decision.getDecisionId())
                .build();
    }

    /**
     * The record to hold when {@code incoming} arrives for an appeal held as {@code current}: a decided appeal never
     * goes back to OPEN (an instance applies its own new appeal before reading it back, possibly after another
     * instance's decision on it), and of two decisions the first one written stands.
     */
    static Appeal later(Appeal current, Appeal incoming) {
        if (current == null || current.getStatus() == AppealStatus.OPEN) {
            return incoming;
        }
        return current;
    }

    /** What the owner reads about their appeal. */
    static String statusText(AppealStatus status) {
        return switch (status) {
            case OPEN -> "Đang chờ cán bộ BHXH xem xét.";
            case DELISTED -> "Đã gỡ khỏi danh sách chặn. Các nhà mạng nhận thông báo gỡ trong vài giây; việc mở chặn "
                    + "tại nhà mạng có thể mất thêm ít thời gian.";
            case KEPT -> "Sau khi xem xét, mục này vẫn được giữ trong danh sách chặn.";
            case UNKNOWN -> "Đang xử lý.";
        };
    }
}
