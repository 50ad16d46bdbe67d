package io.streamnlp.model;

import java.util.Locale;

/**
 * Which of a catalogue encoder's packaged task heads a run uses ({@code heads.profile}): the two
 * profiles differ only in the data their weights were trained on, and so in what that data's licences
 * allow. Each has its own head versions (they go on every record and into the result cache's key).
 */
public enum HeadProfile {
    /**
     * The best heads, trained on every shared set: some of that data (CoNLL-2003's Reuters text, the
     * SemEval tweets, the ABSA sentences) is for research use only.
     */
    RESEARCH("research", "", "research use: some training data (CoNLL-2003 Reuters text, SemEval tweets, "
            + "SemEval-2014 ABSA) is licensed for research only; check those terms before commercial use"),
    /**
     * Heads trained only on sets whose licence allows commercial use (GoEmotions Apache-2.0, the Broad
     * Twitter Corpus and WNUT-17 CC BY 4.0, Tweebank-NER Apache-2.0): lower figures, fewer strings attached.
     */
    COMMERCIAL("commercial", "commercial/", "commercial use allowed: trained only on GoEmotions (Apache-2.0), "
            + "Broad Twitter Corpus and WNUT-17 (CC BY 4.0: credit them) and Tweebank-NER (Apache-2.0)");

    private final String settingName;
    private final String subfolder;
    private final String licence;

    HeadProfile(String settingName, String subfolder, String licence) {
        this.settingName = settingName;
        this.subfolder = subfolder;
        this.licence = licence;
    }

    /** The value in {@code heads.profile} and {@code train --profile}. */
    public String settingName() {
        return settingName;
    }

    /** Where its files sit under an encoder's heads folder: "" (the folder itself) or {@code commercial/}. */
    public String subfolder() {
        return subfolder;
    }

    /** One line on what the data's licences allow, for the start log and {@code evaluate}. */
    public String licence() {
        return licence;
    }

    /** The profile named {@code name} (any case, surrounding blanks ignored). */
    public static HeadProfile of(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (HeadProfile profile : values()) {
            if (profile.settingName.equals(wanted)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("heads.profile must be research or commercial, got '" + name + "'");
    }
}
