package vn.bhxh.shield.testkit;

import vn.bhxh.shield.runtime.PasswordHashes;

/** {@code SINK_USERS} for a test, written with readable passwords and handed to the sink as hashes. */
public final class SinkUsers {

    /** The lowest BCrypt cost: a test signs in often, and the stored cost is what verification uses. */
    private static final int TEST_COST = 4;

    private SinkUsers() {
    }

    /** {@code user:password:province-slug|national,...} with every password replaced by its BCrypt hash. */
    public static String hashed(String accounts) {
        return PasswordHashes.hashPasswordsIn(accounts, TEST_COST);
    }
}
