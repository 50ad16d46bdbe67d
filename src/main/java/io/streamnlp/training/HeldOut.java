package io.streamnlp.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The evaluation sets: every held-out split (never trained on, never used for model selection) and,
 * for continuity with the first heads' figures, the CoNLL++ dev set (model selection). The same list
 * is read by {@code evaluate}, by the trainer's de-duplication (no training text may equal a held-out
 * one) and by {@code HeadsQualityTest}.
 */
public final class HeldOut {

    // Set names, as the tables print them.
    public static final String SST2_DEV = "SST-2 dev";
    public static final String SST2_TEST = "SST-2 test";
    public static final String SST5_DEV = "SST-5 dev (3 classes)";
    public static final String SST5_TEST = "SST-5 test (3 classes)";
    public static final String CR = "CR";
    public static final String SEMEVAL_2016_TEST = "SemEval twitter-2016test-A";
    public static final String GOEMOTIONS_TEST = "GoEmotions test";
    public static final String AIRLINE = "Airline tweets";
    public static final String CONLL_DEV = "CoNLL-2003 dev (CoNLL++)";
    public static final String CONLL_TEST = "CoNLL-2003 test (original)";
    public static final String CONLLPP_TEST = "CoNLL++ test";
    public static final String BTC_TEST = "BTC test (mentions O)";
    public static final String BTC_TEST_RAW = "BTC test (as released)";
    public static final String WNUT_DEV = "WNUT-17 dev (PER/ORG/LOC)";
    public static final String UNER_TEST = "UNER-EWT test";
    public static final String TWEEBANK_TEST = "Tweebank test";

    private HeldOut() {}

    /**
     * The sentiment evaluation sets. The airline tweets are a held-out set only when they are not
     * trained on ({@code train --airline-tweets}); the shipped heads never are (CC BY-NC-SA).
     */
    public static List<DataSets.SentimentCorpus> sentiment(Path data, boolean withAirline) {
        List<DataSets.SentimentCorpus> sets = new ArrayList<>();
        sets.add(DataSets.sst2(data, HeadData.SST2_DEV, SST2_DEV, "sst2_dev"));
        sets.add(DataSets.sst2(data, HeadData.SST2_TEST, SST2_TEST, "sst2_test"));
        sets.add(DataSets.sstFine(data, HeadData.SST_FINE_DEV, SST5_DEV, "stsa_fine_dev"));
        sets.add(DataSets.sstFine(data, HeadData.SST_FINE_TEST, SST5_TEST, "stsa_fine_test"));
        sets.add(DataSets.cr(data));
        sets.add(DataSets.semevalSet(data, DataSets.SEMEVAL_TEST, SEMEVAL_2016_TEST, "semeval_2016test"));
        sets.add(DataSets.goEmotions(data, DataSets.GOEMOTIONS_TEST, GOEMOTIONS_TEST, "goemotions_test"));
        if (withAirline) {
            sets.add(DataSets.airline(data));
        }
        return sets;
    }

    /** The NER evaluation sets. */
    public static List<DataSets.NerCorpus> ner(Path data) {
        List<DataSets.NerCorpus> sets = new ArrayList<>();
        sets.add(DataSets.conll(data, HeadData.CONLL_DEV, CONLL_DEV, "conllpp_dev"));
        sets.add(DataSets.conll(data, HeadData.CONLL_TEST_ORIGINAL, CONLL_TEST, "conll_test"));
        sets.add(DataSets.conll(data, HeadData.CONLL_TEST_PP, CONLLPP_TEST, "conll_test"));
        sets.add(DataSets.btc(data, DataSets.BTC_TEST, BTC_TEST, "btc_test", true));
        sets.add(DataSets.btc(data, DataSets.BTC_TEST, BTC_TEST_RAW, "btc_test", false));
        DataSets.NerCorpus wnut = DataSets.wnut(data, DataSets.WNUT_DEV, WNUT_DEV, "wnut17_dev");
        sets.add(new DataSets.NerCorpus(wnut.name(), wnut.cacheName(), wnut.sentences(), wnut.use(),
                DataSets.PER_ORG_LOC, wnut.domain()));
        sets.add(DataSets.uner(data, DataSets.UNER_TEST, UNER_TEST, "uner_ewt_test", -1));
        sets.add(DataSets.tweebank(data, DataSets.TWEEBANK_TEST, TWEEBANK_TEST, "tweebank_test"));
        return sets;
    }
}
