package vn.bhxh.shield.ingest.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Keys are honoured exactly as long as the idempotency topic keeps them, then evicted. */
class RecentRepliesTest {

    private static final Duration RETENTION = Duration.ofDays(7);
    private static final Instant MONDAY = Instant.parse("2025-09-01T08:00:00Z");
    private static final StoredReply RECEIPT = new StoredReply("hash", 202, "{\"reportId\":\"r-1\"}");

    @Test
    void aKeyIsHonouredUntilTheTopicsRetentionHasPassed() {
        RecentReplies replies = new RecentReplies(RETENTION, 1_000);
        replies.put("key", RECEIPT, MONDAY);

        assertThat(replies.find("key", MONDAY.plus(RETENTION).minusMillis(1))).hasValue(RECEIPT);
        assertThat(replies.find("key", MONDAY.plus(RETENTION))).isEmpty();
    }

    @Test
    void evictionForgetsOnlyKeysOlderThanTheRetention() {
        RecentReplies replies = new RecentReplies(RETENTION, 1_000);
        replies.put("last-week", RECEIPT, MONDAY);
        replies.put("yesterday", RECEIPT, MONDAY.plus(Duration.ofDays(6)));
        replies.put("today", RECEIPT, MONDAY.plus(Duration.ofDays(7)));

        assertThat(replies.evictExpired(MONDAY.plus(RETENTION))).isEqualTo(1);

        assertThat(replies.size()).isEqualTo(2);
        assertThat(replies.find("yesterday", MONDAY.plus(RETENTION))).hasValue(RECEIPT);
        assertThat(replies.find("today", MONDAY.plus(RETENTION))).hasValue(RECEIPT);
        assertThat(replies.evictExpired(MONDAY.plus(RETENTION))).isZero();
    }

    @Test
    void aRewrittenKeyCountsFromItsLatestWrite() {
        RecentReplies replies = new RecentReplies(RETENTION, 1_000);
        replies.put("key", RECEIPT, MONDAY);
        replies.put("key", RECEIPT, MONDAY.plus(Duration.ofDays(3)));

        assertThat(replies.evictExpired(MONDAY.plus(RETENTION))).isZero();
        assertThat(replies.find("key", MONDAY.plus(RETENTION))).hasValue(RECEIPT);
    }

    @Test
    void pastItsMostKeysTheOldestWrittenIsForgottenFirstAndCounted() {
        RecentReplies replies = new RecentReplies(RETENTION, 3);
        Instant now = Instant.parse("2026-11-22T08:00:00Z");
        for (int i = 0; i < 5; i++) {
            replies.put("key-" + i, new StoredReply("hash-" + i, 202, "{}"), now.plusSeconds(i));
        }
        assertThat(replies.size()).isEqualTo(3);
        assertThat(replies.find("key-0", now.plusSeconds(10))).isEmpty();
        assertThat(replies.find("key-1", now.plusSeconds(10))).isEmpty();
        assertThat(replies.find("key-4", now.plusSeconds(10))).isPresent();
        assertThat(replies.evictedEarly()).isEqualTo(2);
    }
}
