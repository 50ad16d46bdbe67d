package io.streamnlp.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

class HealthTest {

    @Test
    void readyWhileRunningOrRebalancing() {
        assertThat(Health.of(State.RUNNING).ready()).isTrue();
        assertThat(Health.of(State.REBALANCING).ready()).isTrue();
        assertThat(Health.of(State.CREATED).ready()).isFalse();
        assertThat(Health.of(State.PENDING_SHUTDOWN).ready()).isFalse();
        assertThat(Health.of(State.NOT_RUNNING).ready()).isFalse();
        assertThat(Health.of(State.ERROR).ready()).isFalse();
    }

    @Test
    void liveUnlessFailedForGood() {
        assertThat(Health.of(State.CREATED).live()).isTrue();
        assertThat(Health.of(State.RUNNING).live()).isTrue();
        assertThat(Health.of(State.REBALANCING).live()).isTrue();
        assertThat(Health.of(State.PENDING_ERROR).live()).isFalse();
        assertThat(Health.of(State.ERROR).live()).isFalse();
    }
}
