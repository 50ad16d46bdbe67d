package io.streamnlp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamnlp.model.EntityKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers and label mappings of the shared data's formats, and the user's own formats, on small files. */
class DataSetsTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void semevalEscapesQuotingAndLinesThatRunOn() throws IOException {
        Path f = write("twitter-x.txt", String.join("\n",
                "1\tpositive\tGas hit $3.39\\u002c I\\u2019m happy :)",
                "2\tneutral\t\"Excited to read \"\"Go Set a Watchman\"\" on Tuesday\"\t",
                "3\tnegative\t\" @SkyNews: run for president",
                "\"\t",
                "4\tneutral\t\"Why is \\\"\"\"\"Happy Day\\\"\"\"\" trending?\"", ""));
        List<DataSets.Identified> items = DataSets.semeval(f);
        assertThat(items).extracting(DataSets.Identified::text).containsExactly("Gas hit $3.39, I\u2019m happy :)",
                "Excited to read \"Go Set a Watchman\" on Tuesday", "@SkyNews: run for president",
                "Why is \"Happy Day\" trending?");
        assertThat(items).extracting(DataSets.Identified::label).containsExactly(2, 1, 0, 1);
        Path sms = write("sms-x.tsv", "10\t111\tnegative\tToo many people\n");
        assertThat(DataSets.semeval(sms).get(0).id()).isEqualTo("10/111");
    }

    @Test
    void goEmotionsGroupsToThreeClassesAndDropsMixedComments() throws IOException {
        write("sentiment/goemotions/group/test.tsv", String.join("\n", "sad\t1\ta", "happy\t3\tb", "meh\t2\tc",
                "huh?\t0\td", "both\t1,3\te", "sad and surprised\t0,1\tf", ""));
        DataSets.SentimentCorpus c = DataSets.goEmotions(dir, "sentiment/goemotions/group/test.tsv", "g", "g");
        assertThat(c.labels()).containsExactly(0, 2, 1, 1, DataSets.DROPPED, 0);
        assertThat(c.used()).isEqualTo(5);
    }

    @Test
    void absaSentencesTakeThePolarityTheirAspectsAgreeOn() throws IOException {
        write("a.xml", " <?xml version=\"1.0\" encoding=\"UTF-8\"?><sentences>"
                + "<sentence id=\"1\"><text>Great food.</text><aspectTerms><aspectTerm term=\"food\" polarity=\"positive\"/>"
                + "<aspectTerm term=\"menu\" polarity=\"neutral\"/></aspectTerms></sentence>"
                + "<sentence id=\"2\"><text>Good food, rude staff.</text><aspectTerms><aspectTerm term=\"food\" polarity=\"positive\"/>"
                + "<aspectTerm term=\"staff\" polarity=\"negative\"/></aspectTerms></sentence>"
                + "<sentence id=\"3\"><text>No aspects here.</text></sentence>"
                + "<sentence id=\"4\"><text>We ordered.</text><aspectCategories><aspectCategory category=\"food\" polarity=\"neutral\"/></aspectCategories></sentence>"
                + "<sentence id=\"5\"><text>Mixed.</text><aspectTerms><aspectTerm term=\"x\" polarity=\"conflict\"/></aspectTerms></sentence>"
                + "</sentences>");
        DataSets.SentimentCorpus c = DataSets.absa(dir, "a.xml", "a", "a");
        assertThat(c.texts()).containsExactly("Great food.", "Good food, rude staff.", "No aspects here.", "We ordered.",
                "Mixed.");
        assertThat(c.labels()).containsExactly(2, DataSets.DROPPED, DataSets.DROPPED, 1, DataSets.DROPPED);
    }

    @Test
    void csvWithQuotedCommasQuotesAndLineEnds() {
        assertThat(DataSets.csv("a,b\r\n1,\"x, \"\"y\"\"\nz\"\r\n")).containsExactly(List.of("a", "b"),
                List.of("1", "x, \"y\"\nz"));
    }

    @Test
    void userSentimentTsv() throws IOException {
        Path f = write("mine.tsv", "# my tickets\nThe app crashes\tnegative\nThanks!\tPositive\n\nOK\tneutral\n");
        DataSets.SentimentCorpus c = DataSets.userSentiment(f);
        assertThat(c.texts()).containsExactly("The app crashes", "Thanks!", "OK");
        assertThat(c.labels()).containsExactly(0, 2, 1);
        assertThat(c.domain()).isEqualTo("user");
        Path bad = write("bad.tsv", "no label here\n");
        assertThatThrownBy(() -> DataSets.userSentiment(bad)).hasMessageContaining("bad.tsv:1");
        Path badLabel = write("bad2.tsv", "text\tgreat\n");
        assertThatThrownBy(() -> DataSets.userSentiment(badLabel)).hasMessageContaining("unknown sentiment label 'great'");
    }

    @Test
    void userNerConllIob1IsNormalisedAndTypesChecked() throws IOException {
        Path f = write("mine.conll", "-DOCSTART- -X- O\n\nHydro I-ORG\nFlask I-ORG\nrocks O\n\nWes B-PER\nAnderson I-PER\n");
        DataSets.NerCorpus c = DataSets.userNer(f, EnumSet.of(EntityKind.PER, EntityKind.ORG));
        assertThat(c.sentences()).hasSize(2);
        assertThat(c.sentences().get(0).tags()).containsExactly("B-ORG", "I-ORG", "O");
        assertThat(c.types()).containsExactly(EntityKind.PER, EntityKind.ORG);
        Path bad = write("bad.conll", "Foo B-BRAND\n");
        assertThatThrownBy(() -> DataSets.userNer(bad, DataSets.ALL_TYPES)).hasMessageContaining("BRAND");
    }

    @Test
    void wnutTypesAreMappedAndBtcMentionsCanBeRelabelledO() throws IOException {
        write("ner/wnut17/wnut17train.conll", "Apple\tB-corporation\niPhone\tB-product\nLakers\tB-group\n\n");
        DataSets.NerCorpus w = DataSets.wnut(dir, "ner/wnut17/wnut17train.conll", "w", "w");
        assertThat(w.sentences().get(0).tags()).containsExactly("B-ORG", "B-MISC", "B-ORG");
        write("ner/broad-twitter-corpus/btc.test", "@\tB-PER\ncolgo\tB-PER\nmet\tO\nObama\tB-PER\n@bbc\tB-ORG\n\n");
        DataSets.NerCorpus raw = DataSets.btc(dir, "ner/broad-twitter-corpus/btc.test", "b", "b", false);
        DataSets.NerCorpus o = DataSets.btc(dir, "ner/broad-twitter-corpus/btc.test", "b", "b", true);
        assertThat(raw.sentences().get(0).tags()).containsExactly("B-PER", "B-PER", "O", "B-PER", "B-ORG");
        assertThat(o.sentences().get(0).tags()).containsExactly("O", "O", "O", "B-PER", "O");
        assertThat(o.types()).isEqualTo(DataSets.PER_ORG_LOC);
    }

    @Test
    void unerSplitsDevByDocument() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int d = 0; d < 8; d++) {
            sb.append("# newdoc id = doc").append(d).append('\n');
            sb.append("# sent_id = doc").append(d).append("-1\n# text = Hi Bob\n");
            sb.append("1\tHi\tO\t-\t-\n2\tBob\tB-PER\t-\t-\n\n");
        }
        write("u.iob2", sb.toString());
        assertThat(DataSets.uner(dir, "u.iob2", "u", "u", -1).sentences()).hasSize(8);
        assertThat(DataSets.uner(dir, "u.iob2", "u", "u", 0).sentences()).hasSize(6);
        assertThat(DataSets.uner(dir, "u.iob2", "u", "u", 3).sentences()).hasSize(2);
        assertThat(DataSets.uner(dir, "u.iob2", "u", "u", 3).sentences().get(0).tags()).containsExactly("O", "B-PER");
    }

    @Test
    void deduplicationDropsHeldOutTextsAndRepeats() {
        DataSets.SentimentCorpus train = DataSets.sentiment("t", "t", List.of(new HeadData.LabelledText("Great  movie", 2),
                new HeadData.LabelledText("great movie", 2), new HeadData.LabelledText("Awful", 0),
                new HeadData.LabelledText("fine", 1)), false, "sst");
        DataSets.SentimentCorpus held = DataSets.sentiment("h", "h", List.of(new HeadData.LabelledText("AWFUL", 0)),
                false, "sst");
        List<DataSets.SentimentCorpus> out = new ArrayList<>();
        Map<String, int[]> dropped = DataSets.dedupeSentiment(List.of(train), List.of(held), out);
        assertThat(out.get(0).labels()).containsExactly(2, DataSets.DROPPED, DataSets.DROPPED, 1);
        assertThat(dropped.get("t")).containsExactly(1, 1);
    }
}
