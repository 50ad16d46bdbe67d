package io.streamnlp.pii;

import java.util.List;

/** One pattern detector: the spans of its type in a text. Stateless and thread-safe. */
interface PatternDetector {

    PiiType type();

    /** Adds every span of {@link #type()} found in {@code text} to {@code found}. */
    void find(String text, List<PiiSpan> found);
}
