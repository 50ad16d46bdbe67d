package io.streamnlp.cache;

import io.streamnlp.model.HeadPlan;

/**
 * How the inference stage of a topology uses the result cache: the store's name, its bounds, the
 * keys (which carry the model and head versions, and which heads run), and the heads that run.
 */
public record CachePlan(String storeName, CacheSettings settings, CacheKeys keys, HeadPlan heads) {}
