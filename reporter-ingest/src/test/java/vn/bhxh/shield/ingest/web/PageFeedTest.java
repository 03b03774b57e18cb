package vn.bhxh.shield.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PageFeedTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAGE = "105000000000001";

    private static JsonNode value(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void aVisitorsCommentOrReplyIsReportedByCommentIdWithItsAuthorAndTime() throws Exception {
        assertThat(PageFeed.reportable(PAGE, value("""
                {"from":{"id":"24","name":"Trần Thị Lan"},"post_id":"105000000000001_900",
                 "comment_id":"900_901","parent_id":"900_800","created_time":1700000000,
                 "item":"comment","verb":"add","message":"Số 0936417600 lừa đảo"}
                """))).contains(new PageFeed.Item("900_901", "24", "Số 0936417600 lừa đảo",
                Instant.ofEpochSecond(1700000000)));
    }

    @Test
    void aVisitorsPostIsReportedByPostIdAlsoWhenTheAuthorIsNamedTheOldWayAndAnImpossibleTimeIsNone() throws Exception {
        assertThat(PageFeed.reportable(PAGE, value("""
                {"sender_id":24,"sender_name":"Trần Thị Lan","post_id":"105000000000001_902","item":"status",
                 "verb":"edited","message":"Trang giả mạo BHXH","created_time":9223372036854775807}
                """))).hasValueSatisfying(item -> {
                    assertThat(item.id()).isEqualTo("105000000000001_902");
                    assertThat(item.authorId()).isEqualTo("24");
                    assertThat(item.writtenAt()).isNull();
                });
    }

    @Test
    void removalsReactionsEmptyTextsAndThePagesOwnWordsAreNoReports() throws Exception {
        String[] none = {
            """
            {"from":{"id":"24"},"comment_id":"900_901","item":"comment","verb":"remove","message":"0936417600"}""",
            """
            {"from":{"id":"24"},"comment_id":"900_901","item":"comment","verb":"hide","message":"0936417600"}""",
            """
            {"from":{"id":"24"},"post_id":"105000000000001_900","item":"reaction","verb":"add",
             "reaction_type":"like"}""",
            """
            {"from":{"id":"24"},"comment_id":"900_903","item":"comment","verb":"add","photo":"https://x/y.jpg"}""",
            """
            {"from":{"id":"105000000000001"},"post_id":"105000000000001_904","item":"status","verb":"add",
             "message":"Cảnh báo: số 0936417600 giả danh BHXH"}""",
            """
            {"comment_id":"900_905","item":"comment","verb":"add","message":"0936417600"}"""};
        for (String json : none) {
            assertThat(PageFeed.reportable(PAGE, value(json))).as(json).isEmpty();
        }
    }
}
