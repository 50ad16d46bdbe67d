package io.streamnlp.ops;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness from the Kafka Streams state and the thread supervisor (the model is loaded
 * before the application exists, so an instance that answers has its model).
 *
 * <ul>
 *   <li>Live unless Kafka Streams has failed for good ({@code PENDING_ERROR}, {@code ERROR}) or the
 *       instance has given up (too many thread replacements, a fatal error such as rejected registry
 *       credentials): a restart is then the only cure, and liveness goes down before the process
 *       exits. A stream thread that is replaced now and then is not an error.
 *   <li>Ready in {@code RUNNING} and {@code REBALANCING}, except while a failed stream thread is
 *       being replaced: a rebalance is a normal, short pause of a healthy member (reporting it unready
 *       would make a PodDisruptionBudget count the whole group as disrupted during every rolling
 *       restart), a thread in backoff is not. Not ready while starting or shutting down.
 * </ul>
 *
 * @param failure why the instance gave up, or null
 */
public record Health(boolean live, boolean ready, KafkaStreams.State state, String failure) {

    public static Health of(KafkaStreams.State state) {
        return of(state, false, null);
    }

    public static Health of(KafkaStreams.State state, boolean replacingThread, String failure) {
        boolean live = failure == null && state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
        boolean ready = live && !replacingThread
                && (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
        return new Health(live, ready, state, failure);
    }
}
