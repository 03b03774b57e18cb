package vn.bhxh.shield.ingest.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which changes of a page's feed (the Graph API's {@code feed} webhook field) are citizens' reports: a comment
 * under the page's posts, a reply to one, or a post a visitor wrote on the page, with text. Reactions, shares and
 * likes say nothing; what the page itself writes is the office's own warning, which names the scam numbers it
 * warns about and must never count as someone reporting them.
 * <p>
 * One report per comment or post id, whatever Facebook sends about it later: an {@code edited} comment that was
 * already recorded is not recorded again (the first text counted; a report cannot be taken back nor amended on
 * the topic), while an edit of one whose {@code add} never reached us (sent before the page subscribed, or lost)
 * is recorded then. A {@code remove} or {@code hide} records nothing and un-counts nothing: a report already on
 * the topic stays evidence an officer can read, as a hotline call would.
 */
final class PageFeed {

    /** A visitor's comment or post the webhook should record. */
    record Item(String id, String authorId, String text, Instant writtenAt) {
    }

    private static final Set<String> POSTS = Set.of("status", "post", "photo", "video");
    private static final Set<String> WRITTEN = Set.of("add", "edited", "edit");
    private static final long LATEST_SECONDS = 100_000_000_000L;

    private PageFeed() {
    }

    /**
     * The report a {@code feed} change carries, if any.
     *
     * @param pageId the page the change is on (the entry's id)
     * @param value  the change's {@code value}
     */
    static Optional<Item> reportable(String pageId, JsonNode value) {
        String item = value.path("item").asText("");
        String id = "comment".equals(item) ? value.path("comment_id").asText("")
                : POSTS.contains(item) ? value.path("post_id").asText("") : "";
        // Older deliveries name the author sender_id/sender_name instead of from.
        String author = value.path("from").path("id").asText(value.path("sender_id").asText(""));
        String text = value.path("message").asText("");
        if (id.isEmpty() || !WRITTEN.contains(value.path("verb").asText("")) || author.isEmpty()
                || author.equals(pageId) || text.isBlank()) {
            return Optional.empty();
        }
        // Seconds, unlike the messages' milliseconds; a time no clock gives (past year 5000) is no time at all,
        // and would not fit the report's milliseconds.
        long created = value.path("created_time").asLong(0);
        return Optional.of(new Item(id, author, text,
                created > 0 && created < LATEST_SECONDS ? Instant.ofEpochSecond(created) : null));
    }
}
