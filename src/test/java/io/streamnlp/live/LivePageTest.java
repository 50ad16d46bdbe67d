package io.streamnlp.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LivePageTest {

    @Test
    void parsesQueries() {
        Map<String, String> query = LivePage.query("seconds=60&k=3&name=Tim%20Cook&flag");
        assertThat(query).containsEntry("seconds", "60").containsEntry("k", "3").containsEntry("name", "Tim Cook")
                .containsEntry("flag", "");
        assertThat(LivePage.intParam(query, "seconds", 300)).isEqualTo(60);
        assertThat(LivePage.intParam(query, "minutes", 5)).isEqualTo(5);
        assertThat(LivePage.query(null)).isEmpty();
        assertThatThrownBy(() -> LivePage.intParam(Map.of("n", "ten"), "n", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number");
    }

    @Test
    void thePageIsOneStaticFileWithItsScriptAndStyleAndNothingFromElsewhere() throws Exception {
        for (String file : new String[] {"live/index.html", "live/live.js", "live/live.css"}) {
            try (var in = getClass().getClassLoader().getResourceAsStream(file)) {
                assertThat(in).as(file).isNotNull();
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                // No URL to another origin: the page works with no network beyond this instance.
                assertThat(text).as(file).doesNotContainPattern("(?i)(src|href)\\s*=\\s*\"(https?:)?//")
                        .doesNotContainPattern("(?i)@import|url\\(\\s*['\"]?https?:").doesNotContain("fetch(\"http");
            }
        }
    }
}
