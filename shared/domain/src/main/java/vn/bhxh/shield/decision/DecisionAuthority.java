package vn.bhxh.shield.decision;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import vn.bhxh.shield.schema.DecisionAction;

/**
 * Who may decide what about an indicator: the rules the dashboard (alert-sink) checks before it writes an officer's
 * decision and the command-line {@code Decide} before a script's, so both refuse what the stream-processor, which
 * checks again, would refuse. A decision's {@code province} is the deciding office's slug, null for a national
 * account. Pure: the facts about the indicator (where it was reported, whether police confirmed its listing) are
 * the caller's to fetch.
 */
public final class DecisionAuthority {

    /** What an officer or a script may decide; ACKNOWLEDGE is the board's own, KEEP answers an owner's appeal. */
    public static final Set<DecisionAction> OFFICER_ACTIONS = EnumSet.of(DecisionAction.CONFIRM,
            DecisionAction.REJECT, DecisionAction.DELIST, DecisionAction.ALLOWLIST, DecisionAction.UNALLOWLIST);
    /** Declaring a channel official, or no longer official, concerns every province: national accounts only. */
    public static final Set<DecisionAction> NATIONAL_ONLY = EnumSet.of(DecisionAction.ALLOWLIST,
            DecisionAction.UNALLOWLIST);
    public static final int MAX_REASON_LENGTH = 500;

    /** Why a decision is refused, with the Vietnamese message for the officer. */
    public enum Refusal {
        NOT_AN_OFFICER_ACTION(false, "not an officer's action", "Thao tác phải là Xác nhận chặn, Bác bỏ, Gỡ khỏi danh sách chặn, Đưa vào danh "
                + "sách kênh chính thức hoặc Bỏ khỏi danh sách kênh chính thức."),
        REASON_REQUIRED(false, "a reason of 1 to " + MAX_REASON_LENGTH + " characters is required", "Cần ghi lý do (từ 1 đến " + MAX_REASON_LENGTH + " ký tự)."),
        NATIONAL_ONLY(true, "only a national account may change the allowlist", "Chỉ tài khoản cấp quốc gia được thay đổi danh sách kênh chính thức."),
        NOT_REPORTED_IN_PROVINCE(true, "an office decides only about indicators reported in its province", "Chỉ được quyết định về số/kênh có người báo cáo ở tỉnh của bạn."),
        POLICE_CONFIRMED(true, "delisting a police-confirmed listing needs a national account", "Mục do cơ quan công an xác nhận chỉ tài khoản cấp quốc gia được gỡ.");

        private final boolean authority;
        private final String rule;
        private final String messageVi;

        Refusal(boolean authority, String rule, String messageVi) {
            this.authority = authority;
            this.rule = rule;
            this.messageVi = messageVi;
        }

        /** The rule broken, in English, for dead letters and logs read by operators. */
        public String rule() {
            return rule;
        }

        /** True when the decider lacks the right (HTTP 403), false when the decision itself is malformed (400). */
        public boolean authority() {
            return authority;
        }

        public String messageVi() {
            return messageVi;
        }
    }

    private DecisionAuthority() {
    }

    /** What the decision alone tells: an officer's action, a reason of 1..500 characters, the national-only actions. */
    public static Optional<Refusal> checkRequest(DecisionAction action, String province, String reason) {
        if (action == null || !OFFICER_ACTIONS.contains(action)) {
            return Optional.of(Refusal.NOT_AN_OFFICER_ACTION);
        }
        if (reason == null || reason.isBlank() || reason.strip().length() > MAX_REASON_LENGTH) {
            return Optional.of(Refusal.REASON_REQUIRED);
        }
        if (province != null && NATIONAL_ONLY.contains(action)) {
            return Optional.of(Refusal.NATIONAL_ONLY);
        }
        return Optional.empty();
    }

    /**
     * What needs the facts: a province office acts only on indicators reported in its province, and lifts a listing
     * police confirmed only through a national account. A national account may act on any indicator.
     */
    public static Optional<Refusal> checkAgainst(DecisionAction action, String province,
                                                 Collection<String> reportingProvinces, boolean policeConfirmed) {
        if (province == null) {
            return Optional.empty();
        }
        if (!reportingProvinces.contains(province)) {
            return Optional.of(Refusal.NOT_REPORTED_IN_PROVINCE);
        }
        if (action == DecisionAction.DELIST && policeConfirmed) {
            return Optional.of(Refusal.POLICE_CONFIRMED);
        }
        return Optional.empty();
    }
}
