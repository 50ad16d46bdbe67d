package io.streamnlp.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before Kafka Streams starts, that every topic a run reads exists and every topic it writes
 * exists or can be created. Without this, a missing output topic on a cluster that does not
 * auto-create topics (most production clusters, and the embedded broker) makes the producer log
 * {@code UNKNOWN_TOPIC_OR_PARTITION} once a second while nothing is emitted and the health check is
 * green. Here it ends the start within seconds, naming each topic and the setting to change.
 */
public final class TopicPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(TopicPreflight.class);

    private final Admin admin;
    private final Duration timeout;
    private final String bootstrapServers;

    /**
     * @param timeout bound on each admin call; a cluster that does not answer in time is reported as
     *     unreachable (naming {@code bootstrap.servers})
     */
    public TopicPreflight(Admin admin, Duration timeout, String bootstrapServers) {
        this.admin = admin;
        this.timeout = timeout;
        this.bootstrapServers = bootstrapServers;
    }

    /** Partitions of each existing topic among {@code names}; missing ones are absent from the map. */
    public Map<String, Integer> partitions(Collection<String> names) {
        Set<String> existing = await(admin.listTopics().names(), "list topics");
        List<String> present = names.stream().filter(existing::contains).distinct().toList();
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (!present.isEmpty()) {
            Map<String, TopicDescription> described = await(admin.describeTopics(present).allTopicNames(), "describe topics");
            described.forEach((name, description) -> counts.put(name, description.partitions().size()));
        }
        return counts;
    }

    /**
     * Fails unless every input exists; creates the outputs that are missing (when {@code create}),
     * else fails naming them. Returns the partition count of the widest input.
     *
     * @param createSetting the setting that allows creation, named in the message when it is off
     */
    public int ensure(List<String> inputs, List<String> outputs, boolean create, String createSetting,
            TopicLayout layout) {
        Map<String, Integer> found = partitions(concat(inputs, outputs));
        Set<String> missingInputs = missing(inputs, found);
        if (!missingInputs.isEmpty()) {
            // Topics the principal may not DESCRIBE are not listed: tell a missing ACL from a missing topic.
            Set<String> hidden = hidden(missingInputs);
            if (!hidden.isEmpty()) {
                throw new TopicsUnavailableException(KafkaAccess.denied(bootstrapServers,
                        "READ on topic " + String.join(", READ on topic ", hidden)), null);
            }
            throw new TopicsUnavailableException("Input topic(s) " + String.join(", ", missingInputs)
                    + " do not exist on " + bootstrapServers + ": create them, or fix input.topics", null);
        }
        int widest = inputs.stream().mapToInt(found::get).max().orElse(1);
        Set<String> missingOutputs = missing(outputs, found);
        if (missingOutputs.isEmpty()) {
            return widest;
        }
        if (!create) {
            throw new TopicsUnavailableException("Output topic(s) " + String.join(", ", missingOutputs)
                    + " do not exist on " + bootstrapServers + ": create them, or set " + createSetting
                    + "=true to let StreamNLP create them", null);
        }
        int partitions = layout.partitions() == TopicLayout.WIDEST_INPUT ? widest : layout.partitions();
        Optional<Short> replicas = layout.replicationFactor() == TopicLayout.BROKER_DEFAULT
                ? Optional.empty() : Optional.of(layout.replicationFactor());
        List<NewTopic> topics = missingOutputs.stream()
                .map(name -> new NewTopic(name, Optional.of(partitions), replicas).configs(layout.configs()))
                .toList();
        CreateTopicsResult result = admin.createTopics(topics);
        List<String> refused = new ArrayList<>();
        result.values().forEach((name, future) -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) { // another instance was faster
                    refused.add(name + " (" + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicsUnavailableException("Interrupted while creating topics", e);
            } catch (TimeoutException e) {
                refused.add(name + " (no answer within " + timeout.toSeconds() + " s)");
            }
        });
        if (!refused.isEmpty()) {
            throw new TopicsUnavailableException("Cannot create output topic(s) " + String.join(", ", refused)
                    + ": grant the CREATE permission, or create them yourself (layout: output.topic.partitions, "
                    + "output.topic.replication.factor), or set " + createSetting + "=false to be told instead", null);
        }
        LOG.info("Created output topic(s) {} with {} partition(s)", missingOutputs, partitions);
        return widest;
    }

    /** Those of {@code names} that the broker refuses to describe (they may exist). */
    private Set<String> hidden(Set<String> names) {
        try {
            admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException denied) {
                return new TreeSet<>(denied.unauthorizedTopics());
            }
        } catch (TimeoutException e) {
            // then they are reported missing, as before
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Set.of();
    }

    private static Set<String> missing(List<String> names, Map<String, Integer> found) {
        Set<String> missing = new TreeSet<>(names);
        missing.removeAll(found.keySet());
        return missing;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        return KafkaAccess.await(future, timeout, bootstrapServers, what);
    }
}
