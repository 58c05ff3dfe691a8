package io.tokenrotator.acceptance;

import io.tokenrotator.acceptance.AcceptanceAws.StackResource;
import io.tokenrotator.acceptance.AcceptanceAws.StackState;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.StackResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether one consumer now holds the new secret value, decided without reading any value. CloudFormation resolves a
 * versionless {@code {{resolve:secretsmanager:...}}} reference when it creates the resource that holds it, to the
 * version that is AWSCURRENT then (AWS-FACTS, "dynamic references"); PutSecretValue without VersionStages moves
 * AWSCURRENT to the new version (Secrets Manager API reference, PutSecretValue). So a gated resource whose creation started after the new version was
 * created, and whose physical id differs from the one it had before the put, was created with the new value. Both
 * times are AWS's own (the version's CreatedDate, the resource's CREATE_IN_PROGRESS event), never this machine's.
 * The run report must agree (ROTATED), and the stack must be back at RotateToken=true, UPDATE_COMPLETE.
 */
public record ConsumerVerdict(Consumer consumer, String stackName, List<String> evidence, List<String> problems) {
    public boolean passed() {
        return problems.isEmpty();
    }

    /**
     * @param before         the gated resources by logical id, read before the put
     * @param after          the stack after the execution ended (empty: gone)
     * @param afterResources the stack's resources after the execution ended
     * @param createStarted  when each gated resource's latest creation started, by logical id
     * @param versionCreated when Secrets Manager created the new version
     * @param reportLine     the stack's line in the run report (empty: not in it)
     */
    static ConsumerVerdict judge(Consumer consumer, String stackName, Map<String, StackResource> before,
                                 Optional<StackState> after, List<StackResource> afterResources,
                                 Map<String, Instant> createStarted, Instant versionCreated,
                                 Optional<StackResult> reportLine) {
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (reportLine.isEmpty()) {
            problems.add("not in the run report: Find Stacks did not plan it");
        } else if (reportLine.get().outcome() != Outcome.ROTATED) {
            problems.add("the run report says " + reportLine.get().outcome() + ": " + reportLine.get().reason());
        } else {
            evidence.add("report: ROTATED");
        }
        if (after.isEmpty()) {
            problems.add("the stack no longer exists");
        } else {
            StackState s = after.get();
            if (!"true".equals(s.parameters().get("RotateToken"))) {
                problems.add("RotateToken=" + s.parameters().get("RotateToken") + ": its gated resources are deleted");
            }
            if (!"UPDATE_COMPLETE".equals(s.status())) {
                problems.add("the stack is " + s.status() + (s.statusReason() == null ? "" : " (" + s.statusReason() + ")"));
            }
        }
        for (String id : consumer.gatedResources()) {
            StackResource old = before.get(id);
            Optional<StackResource> now = afterResources.stream().filter(r -> id.equals(r.logicalId())).findFirst();
            if (now.isEmpty()) {
                problems.add(id + " does not exist");
                continue;
            }
            if (!"CREATE_COMPLETE".equals(now.get().status())) {
                problems.add(id + " is " + now.get().status());
            }
            if (old != null && old.physicalId().equals(now.get().physicalId())) {
                problems.add(id + " was not re-created: it is still " + old.physicalId());
            }
            Instant started = createStarted.get(id);
            if (started == null || !started.isAfter(versionCreated)) {
                problems.add(id + " was created " + (started == null ? "at an unknown time" : "at " + started)
                        + ", not after the new version (" + versionCreated + "): it holds the old value");
            } else if (old != null && !old.physicalId().equals(now.get().physicalId())) {
                evidence.add(id + " re-created at " + started + " (new version " + versionCreated + "): "
                        + old.physicalId() + " -> " + now.get().physicalId());
            }
        }
        return new ConsumerVerdict(consumer, stackName, List.copyOf(evidence), List.copyOf(problems));
    }
}
