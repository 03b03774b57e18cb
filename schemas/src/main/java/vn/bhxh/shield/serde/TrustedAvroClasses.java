package vn.bhxh.shield.serde;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Since Avro 1.12.1 a SpecificDatumReader only instantiates classes that are trusted; without this, every service
 * would need {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES}. The serde trusts our generated package itself, on top of
 * whatever the JVM already trusts.
 */
final class TrustedAvroClasses {

    static final String GENERATED_PACKAGE = "vn.bhxh.shield.schema";

    private static boolean installed;

    private TrustedAvroClasses() {
    }

    static synchronized void install() {
        if (!installed) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                    ClassSecurityValidator.getGlobal(), TrustedAvroClasses::isGenerated));
            installed = true;
        }
    }

    static boolean isGenerated(Class<?> type) {
        return type.getPackageName().equals(GENERATED_PACKAGE);
    }
}
