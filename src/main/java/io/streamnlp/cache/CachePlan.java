package io.streamnlp.cache;

/**
 * How the inference stage of a topology uses the result cache: the store's name, its bounds, and
 * the keys (which carry the model and head versions).
 */
public record CachePlan(String storeName, CacheSettings settings, CacheKeys keys) {}
