package io.streamnlp.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, before Kafka Streams starts, that the cluster lets this client's principal do what a run
 * needs: read its inputs, write its outputs, use its consumer group and (exactly-once) its
 * transactional ids. Without it, a missing ACL shows only when the first record is written (the
 * output) or when the group is joined, as a stream thread that fails and is replaced until the
 * instance gives up; here the start ends at once, naming each operation and resource to grant.
 *
 * <p>It asks the broker, through the admin client, which operations the principal may perform
 * (KIP-430's authorized operations on topics and groups) and describes a transactional id under the
 * application's prefix. A transactional id is only checked for DESCRIBE, which any WRITE grant on it
 * implies: a principal granted DESCRIBE alone passes here and fails at its first transaction.
 */
public final class KafkaAccess {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaAccess.class);

    private final Admin admin;
    private final Duration timeout;
    private final String bootstrapServers;

    public KafkaAccess(Admin admin, Duration timeout, String bootstrapServers) {
        this.admin = admin;
        this.timeout = timeout;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Fails unless the principal may READ every input, WRITE every output, READ (join) group
     * {@code groupId}, and, when {@code transactionalIdPrefix} is not null, use transactional ids
     * with that prefix.
     *
     * @throws TopicsUnavailableException naming every missing operation and resource, on one line
     */
    public void require(Collection<String> inputs, Collection<String> outputs, String groupId,
            String transactionalIdPrefix) {
        List<String> missing = new ArrayList<>();
        topics(inputs, outputs, missing);
        group(groupId, missing);
        if (transactionalIdPrefix != null) {
            transactionalIds(transactionalIdPrefix, missing);
        }
        if (!missing.isEmpty()) {
            throw new TopicsUnavailableException(denied(bootstrapServers, String.join(", ", missing)), null);
        }
    }

    private void topics(Collection<String> inputs, Collection<String> outputs, List<String> missing) {
        Set<String> names = new LinkedHashSet<>(inputs);
        names.addAll(outputs);
        Map<String, TopicDescription> described;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                described = admin.describeTopics(names, new DescribeTopicsOptions().includeAuthorizedOperations(true))
                        .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                break;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException denied) {
                    denied.unauthorizedTopics().forEach(topic -> missing.add(
                            (inputs.contains(topic) ? "READ" : "WRITE") + " on topic " + topic));
                    if (denied.unauthorizedTopics().isEmpty()) {
                        // The admin client's exception from an error code names no topic: say which were asked.
                        missing.add("DESCRIBE on topic(s) " + names);
                    }
                    return;
                }
                if (e.getCause() instanceof UnknownTopicOrPartitionException && System.nanoTime() < deadline) {
                    // an output created a moment ago, not yet in the metadata of the broker we asked
                    pause();
                    continue;
                }
                throw new TopicsUnavailableException(explain(e.getCause(), bootstrapServers, "describe topics " + names),
                        e.getCause());
            } catch (TimeoutException e) {
                throw new TopicsUnavailableException("Kafka at " + bootstrapServers + " did not answer within "
                        + timeout.toSeconds() + " s (describe topics): check bootstrap.servers and the kafka.* security "
                        + "settings", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicsUnavailableException("Interrupted while checking access to topics", e);
            }
        }
        for (String input : inputs) {
            requireOperation(described.get(input), AclOperation.READ, missing);
        }
        for (String output : outputs) {
            requireOperation(described.get(output), AclOperation.WRITE, missing);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsUnavailableException("Interrupted while checking access to topics", e);
        }
    }

    private static void requireOperation(TopicDescription topic, AclOperation operation, List<String> missing) {
        // null: the broker did not say (an old broker); leave it to the run
        if (topic != null && topic.authorizedOperations() != null && !topic.authorizedOperations().contains(operation)) {
            missing.add(operation + " on topic " + topic.name());
        }
    }

    private void group(String groupId, List<String> missing) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId),
                    new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups().get(groupId).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Set<AclOperation> allowed = group.authorizedOperations();
            if (allowed != null && !allowed.contains(AclOperation.READ)) {
                missing.add("READ on group " + groupId);
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                missing.add("READ on group " + groupId);
            } else {
                LOG.debug("Cannot check access to group {}: {}", groupId, e.getCause().toString());
            }
        } catch (TimeoutException e) {
            LOG.debug("No answer within {} s while checking access to group {}", timeout.toSeconds(), groupId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsUnavailableException("Interrupted while checking access to group " + groupId, e);
        }
    }

    private void transactionalIds(String prefix, List<String> missing) {
        String probe = prefix + "access-check";
        try {
            admin.describeTransactions(List.of(probe)).description(probe).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransactionalIdAuthorizationException) {
                missing.add("WRITE on transactional ids with prefix " + prefix + " (exactly-once)");
            } else {
                // TransactionalIdNotFound is the expected answer: the principal may describe the id
                LOG.debug("Transactional id check for {}: {}", probe, e.getCause().toString());
            }
        } catch (TimeoutException e) {
            LOG.debug("No answer within {} s while checking transactional id {}", timeout.toSeconds(), probe);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsUnavailableException("Interrupted while checking transactional id " + probe, e);
        }
    }

    static String denied(String bootstrapServers, String what) {
        return "Kafka at " + bootstrapServers + " denies this client's principal " + what
                + ": grant these ACLs (README, Kafka security), or fix kafka.sasl.jaas.config / kafka.ssl.keystore.location "
                + "if it is the wrong principal";
    }

    /**
     * One line for a Kafka client error met while doing {@code what}: authentication failures name the
     * setting to fix (the SASL credentials, the trust or key store), authorization failures the
     * operation and resource; anything else its message. Never a secret: Kafka's messages hold none.
     */
    public static String explain(Throwable error, String bootstrapServers, String what) {
        if (error instanceof SaslAuthenticationException) {
            return "Kafka at " + bootstrapServers + " rejected the SASL credentials (" + error.getMessage()
                    + "): check kafka.sasl.jaas.config (user name and password) and kafka.sasl.mechanism";
        }
        if (error instanceof SslAuthenticationException) {
            return "The TLS handshake with Kafka at " + bootstrapServers + " failed (" + rootMessage(error)
                    + "): check kafka.ssl.truststore.location (it must hold the CA of the brokers' certificates) and, "
                    + "where the brokers require client certificates, kafka.ssl.keystore.location";
        }
        if (error instanceof AuthenticationException) {
            return "Kafka at " + bootstrapServers + " did not authenticate this client (" + error.getMessage()
                    + "): check kafka.security.protocol, kafka.sasl.mechanism and kafka.sasl.jaas.config";
        }
        if (error instanceof TopicAuthorizationException topics) {
            return denied(bootstrapServers, "access to topic(s) " + String.join(", ", topics.unauthorizedTopics())
                    + " (" + what + ")");
        }
        if (error instanceof GroupAuthorizationException group) {
            return denied(bootstrapServers, "READ on group " + group.groupId());
        }
        if (error instanceof TransactionalIdAuthorizationException) {
            return denied(bootstrapServers, "WRITE on its transactional ids (" + what + ")");
        }
        if (error instanceof ClusterAuthorizationException) {
            return denied(bootstrapServers, "an operation on the cluster (" + what + ")");
        }
        if (error instanceof AuthorizationException) {
            return denied(bootstrapServers, what + " (" + error.getMessage() + ")");
        }
        return "Cannot " + what + " on " + bootstrapServers + ": " + error.getMessage()
                + " (check the kafka.* security settings and ACLs)";
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** Waits for one admin call; authentication and authorization failures explained as {@link #explain} does. */
    static <T> T await(KafkaFuture<T> future, Duration timeout, String bootstrapServers, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicsUnavailableException("Interrupted while trying to " + what, e);
        } catch (TimeoutException e) {
            throw new TopicsUnavailableException("Kafka at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s (" + what + "): check bootstrap.servers and the kafka.* security settings", e);
        } catch (ExecutionException e) {
            throw new TopicsUnavailableException(explain(e.getCause(), bootstrapServers, what), e.getCause());
        }
    }
}
