package vn.bhxh.shield.ingest.intake;

import vn.bhxh.shield.indicator.Normalisation.Rejected;

/** One problem with one field: {@code field} as in the request ({@code phoneNumbers[0]}), a machine code, Vietnamese text. */
public record FieldError(String field, String code, String message) {

    public static FieldError of(String field, Rejected rejected) {
        return new FieldError(field, rejected.reason().name(), rejected.messageVi());
    }
}
