package vn.bhxh.shield.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashesTest {

    @Test
    void aHashIsSaltedVerifiesOnlyItsPasswordAndFitsAUserList() {
        String hash = PasswordHashes.hash("thanhhoa-dev".toCharArray(), 4);
        assertThat(PasswordHashes.isHash(hash)).isTrue();
        assertThat(hash).doesNotContain(":", ",").startsWith("$2a$04$").hasSize(60);
        assertThat(PasswordHashes.hash("thanhhoa-dev".toCharArray(), 4)).as("a new salt each time").isNotEqualTo(hash);
        assertThat(PasswordHashes.matches(hash, "thanhhoa-dev")).isTrue();
        assertThat(PasswordHashes.matches(hash, "thanhhoa-dew")).isFalse();
        assertThat(PasswordHashes.matches(hash, null)).isFalse();
    }

    @Test
    void plainTextIsNotAHash() {
        assertThat(PasswordHashes.isHash("thanhhoa-dev")).isFalse();
        assertThat(PasswordHashes.isHash("$2y$12$short")).isFalse();
        assertThat(PasswordHashes.isHash("")).isFalse();
    }

    @Test
    void anEmptyOrOverlongPasswordIsRefusedNotCut() {
        assertThatThrownBy(() -> PasswordHashes.hash(new char[0], 4)).hasMessageContaining("empty");
        assertThatThrownBy(() -> PasswordHashes.hash("ư".repeat(37).toCharArray(), 4))
                .as("74 bytes in UTF-8").hasMessageContaining("72 bytes");
    }

    @Test
    void theDevelopmentListKeepsUsersAndScopes() {
        String hashed = PasswordHashes.hashPasswordsIn("thanhhoa:thanhhoa-dev:thanh-hoa,quocgia:quocgia-dev:national", 4);
        String[] entries = hashed.split(",");
        assertThat(entries).hasSize(2);
        String[] first = entries[0].split(":", 3);
        assertThat(first[0]).isEqualTo("thanhhoa");
        assertThat(first[2]).isEqualTo("thanh-hoa");
        assertThat(PasswordHashes.matches(first[1], "thanhhoa-dev")).isTrue();
        assertThat(entries[1]).startsWith("quocgia:$2").endsWith(":national");
    }
}
