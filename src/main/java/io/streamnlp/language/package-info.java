/**
 * Language identification, once per text before the encoder: {@link io.streamnlp.language.LanguageDetector}
 * (Lingua's n-gram models, restricted to the candidate languages of {@code language.candidates}, built
 * once per process) and {@link io.streamnlp.language.LanguageGate}, which decides what the pipeline does
 * with a text its task heads were not trained for ({@code language.unsupported.policy}). No Kafka type in
 * here.
 */
package io.streamnlp.language;
