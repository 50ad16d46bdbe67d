package io.streamnlp.cache;

import io.streamnlp.model.HeadPlan;
import java.util.function.IntUnaryOperator;

/**
 * How the inference stage of a topology uses the result cache: the store's name, its bounds, the
 * keys (which carry the model and head versions, which heads run and the long-text policy), the
 * heads that run, and the windows a text of a given encoded token count takes (entries keep the
 * count).
 */
public record CachePlan(String storeName, CacheSettings settings, CacheKeys keys, HeadPlan heads,
        IntUnaryOperator windowsOfTokenCount) {}
