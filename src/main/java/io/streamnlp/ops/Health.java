package io.streamnlp.ops;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness from the Kafka Streams state (the model is loaded before the application
 * exists, so an instance that answers has its model).
 *
 * <ul>
 *   <li>Live unless Kafka Streams has failed for good ({@code PENDING_ERROR}, {@code ERROR}): a
 *       restart is then the only cure. A dead stream thread is replaced, not an error.
 *   <li>Ready in {@code RUNNING} and {@code REBALANCING}: a rebalance is a normal, short pause of a
 *       healthy member; reporting it unready would make a PodDisruptionBudget count the whole group
 *       as disrupted during every rolling restart. Not ready while starting or shutting down.
 * </ul>
 */
public record Health(boolean live, boolean ready, KafkaStreams.State state) {

    public static Health of(KafkaStreams.State state) {
        boolean live = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
        boolean ready = state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING;
        return new Health(live, ready, state);
    }
}
