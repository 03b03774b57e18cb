package vn.bhxh.shield.indicator;

/**
 * Why an identifier was refused. Each reason carries the Vietnamese sentence for the hotline operator;
 * {@code %1$s} is the input as typed, {@code %2$s} an optional detail such as the expected length.
 */
public enum RejectReason {
    EMPTY("Chưa nhập thông tin."),
    NOT_A_PHONE_NUMBER("\"%1$s\" không phải là số điện thoại."),
    TOO_SHORT("Số điện thoại %1$s không hợp lệ: thiếu chữ số (%2$s)."),
    TOO_LONG("Số điện thoại %1$s không hợp lệ: thừa chữ số (%2$s)."),
    INVALID_PHONE_NUMBER("Số điện thoại %1$s không hợp lệ: không có đầu số này."),
    NOT_A_LINK("\"%1$s\" không phải là đường link hay tên miền."),
    INVALID_DOMAIN("Tên miền trong \"%1$s\" không hợp lệ."),
    UNKNOWN_SUFFIX("Tên miền trong \"%1$s\" không có đuôi tên miền hợp lệ (ví dụ .vn, .com)."),
    PLATFORM_ROOT("Đường link %1$s chỉ là trang chủ của %2$s: cần đường link tới đúng trang, kênh hoặc bài viết."),
    UNKNOWN_BANK("Số %1$s không phải số điện thoại hợp lệ và không rõ ngân hàng: hãy ghi kèm tên ngân hàng (ví dụ Vietcombank 0123456789)."),
    INVALID_ACCOUNT_NUMBER("Số tài khoản trong \"%1$s\" không hợp lệ: số tài khoản ngân hàng có từ 6 đến 19 chữ số."),
    WALLET_WITHOUT_NUMBER("Ví %2$s trong \"%1$s\" cần kèm số điện thoại đăng ký ví hợp lệ (ví dụ %2$s 0904038115)."),
    NOT_AN_ACCOUNT("\"%1$s\" không phải là số điện thoại, đường link hay số tài khoản ngân hàng.");

    private final String template;

    RejectReason(String template) {
        this.template = template;
    }

    String messageVi(String input, Object... details) {
        Object[] args = new Object[1 + details.length];
        args[0] = input;
        System.arraycopy(details, 0, args, 1, details.length);
        return String.format(template, args);
    }
}
