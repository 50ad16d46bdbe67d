package io.streamnlp.local;

import io.streamnlp.samples.SampleReviews;
import io.streamnlp.schema.TextEvent;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code demo --loop}: feeds the bundled reviews again and again at a gentle, steady rate, each time
 * under new ids ({@code <id>.<round>}) and with the current event time, so the live page moves.
 * Stops (and closes its producer) on {@link #close()}.
 */
final class SampleFeeder implements AutoCloseable {

    private final KafkaProducer<String, TextEvent> producer;
    private final List<SampleReviews.Review> reviews;
    private final String topic;
    private final long intervalNanos;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile long sent;

    SampleFeeder(KafkaProducer<String, TextEvent> producer, List<SampleReviews.Review> reviews, String topic,
            double perSecond) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("the loop rate must be positive, not " + perSecond);
        }
        this.producer = producer;
        this.reviews = reviews;
        this.topic = topic;
        this.intervalNanos = Math.round(1e9 / perSecond);
        this.thread = new Thread(this::feed, "streamnlp-demo-loop");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long sent() {
        return sent;
    }

    private void feed() {
        long next = System.nanoTime();
        try {
            for (long n = 0; ; n++) {
                SampleReviews.Review review = reviews.get((int) (n % reviews.size()));
                String id = review.id() + "." + (n / reviews.size() + 1);
                producer.send(new ProducerRecord<>(topic, id, TextEvent.newBuilder().setId(id).setText(review.text())
                        .setSource("streamnlp-samples-loop").setEventTime(Instant.now()).setLanguage("en").build()));
                sent = n + 1;
                next += intervalNanos;
                // A rate, not a test: waiting for the next slot is the point.
                if (stop.await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException closedUnderUs) {
            // The producer was closed while sending: the demo is stopping.
        }
    }

    /** Stops feeding and closes the producer; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stop.countDown();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
