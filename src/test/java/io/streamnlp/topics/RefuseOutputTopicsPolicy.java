package io.streamnlp.topics;

import java.util.Map;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;

/**
 * A broker-side topic creation policy, as a locked-down cluster has: refuses every topic whose name
 * starts with {@value #REFUSED_PREFIX}, so a test can see what StreamNLP does when it may not create
 * its output topics.
 */
public final class RefuseOutputTopicsPolicy implements CreateTopicPolicy {

    public static final String REFUSED_PREFIX = "refused.";

    @Override
    public void validate(RequestMetadata request) throws PolicyViolationException {
        if (request.topic().startsWith(REFUSED_PREFIX)) {
            throw new PolicyViolationException("topics under " + REFUSED_PREFIX + " may not be created by clients");
        }
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
}
