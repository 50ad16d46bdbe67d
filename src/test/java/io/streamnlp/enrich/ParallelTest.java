package io.streamnlp.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void forEachTaskRunsEveryTaskAtOnceTheFirstOnTheCaller() {
        try (Parallel parallel = new Parallel(3, "test")) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            CountDownLatch allStarted = new CountDownLatch(3);
            String caller = Thread.currentThread().getName();
            String[] first = new String[1];
            parallel.forEachTask(3, task -> {
                threads.add(Thread.currentThread().getName());
                if (task == 0) {
                    first[0] = Thread.currentThread().getName();
                }
                allStarted.countDown();
                try {
                    // Only returns if all three run at the same time.
                    assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(threads).hasSize(3);
            assertThat(first[0]).isEqualTo(caller);
        }
    }

    @Test
    void aFailingFirstTaskStillWaitsForTheOthers() {
        try (Parallel parallel = new Parallel(2, "test")) {
            AtomicBoolean secondFinished = new AtomicBoolean();
            CountDownLatch secondStarted = new CountDownLatch(1);
            assertThatThrownBy(() -> parallel.forEachTask(2, task -> {
                if (task == 0) {
                    try {
                        secondStarted.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    throw new IllegalArgumentException("slice 0 failed");
                }
                secondStarted.countDown();
                try {
                    Thread.sleep(200); // the second task is still running when the first fails
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                secondFinished.set(true);
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("slice 0 failed");
            assertThat(secondFinished).isTrue();
        }
    }

    @Test
    void refusesMoreTasksThanThreads() {
        try (Parallel parallel = new Parallel(2, "test")) {
            assertThatThrownBy(() -> parallel.forEachTask(3, task -> {})).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
