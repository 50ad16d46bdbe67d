package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamnlp.model.EntityKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The name list learned from training sets: its precision filter and its leave-one-out rule. */
class NameListBuilderTest {

    @Test
    void aNameIsKeptWithItsCommonestTypeWhereThatTypeIsUsuallyRight() {
        List<HeadData.ConllSentence> s = new ArrayList<>();
        s.add(sentence("I called T-Mobile", "O O B-ORG"));
        s.add(sentence("tmobile is down", "B-ORG O O"));
        s.add(sentence("T-Mobile in Berlin", "B-LOC O B-LOC"));
        s.add(sentence("T-Mobile again", "B-ORG O"));
        // "apple" is an ORG once and a fruit three times: its precision (1 of 4) drops it.
        s.add(sentence("Apple shares", "B-ORG O"));
        s.add(sentence("an apple a day", "O O O O"));
        s.add(sentence("apple pie", "O O"));
        s.add(sentence("green apple", "O O"));
        NameListBuilder b = new NameListBuilder(List.of(corpus(s)));
        assertThat(b.list().typeOf("tmobile")).isEqualTo("ORG");
        assertThat(b.list().typeOf("berlin")).isEqualTo("LOC");
        assertThat(b.list().typeOf("apple")).isNull();
    }

    @Test
    void aSentenceDoesNotMatchANameOnlyItTaughtTheList() {
        HeadData.ConllSentence once = sentence("Enron called Berlin", "B-ORG O B-LOC");
        HeadData.ConllSentence again = sentence("Berlin again", "B-LOC O");
        NameListBuilder b = new NameListBuilder(List.of(corpus(List.of(once, again))));
        assertThat(b.list().typeOf("enron")).isEqualTo("ORG");
        assertThat(b.ignoredIn(once)).containsExactly("enron");
        assertThat(b.ignoredIn(again)).isEmpty();
    }

    private static HeadData.ConllSentence sentence(String text, String tags) {
        return HeadData.ConllSentence.of(Arrays.asList(text.split(" ")), Arrays.asList(tags.split(" ")));
    }

    private static DataSets.NerCorpus corpus(List<HeadData.ConllSentence> sentences) {
        return DataSets.ner("toy", "toy", sentences, Set.of(EntityKind.PER, EntityKind.ORG, EntityKind.LOC), "tweets");
    }
}
