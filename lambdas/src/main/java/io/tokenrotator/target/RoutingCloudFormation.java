package io.tokenrotator.target;

import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.port.StackDescription;
import io.tokenrotator.port.StackUpdate;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * One {@link CloudFormationPort} over all targets, for the functions that act on one stack at a time (Update Stack,
 * Stack Status): each call goes to the target its stack ARN names ({@code arn:...:<region>:<account>:stack/...}); a
 * bare stack name is the home target's. Listing stacks is per target (Find Stacks asks each one itself).
 */
public final class RoutingCloudFormation implements CloudFormationPort {
    private final TargetAccess access;

    public RoutingCloudFormation(TargetAccess access) {
        this.access = access;
    }

    private CloudFormationPort of(String stackNameOrId) {
        return access.cloudFormation(access.targets().forStack(stackNameOrId).orElse(access.targets().home()));
    }

    @Override
    public Stream<StackDescription> describeAllStacks() {
        return access.cloudFormation(access.targets().home()).describeAllStacks();
    }

    @Override
    public Optional<StackDescription> describeStack(String stackNameOrId) {
        return of(stackNameOrId).describeStack(stackNameOrId);
    }

    @Override
    public String originalTemplate(String stackId) {
        return of(stackId).originalTemplate(stackId);
    }

    @Override
    public Optional<String> stackPolicy(String stackId) {
        return of(stackId).stackPolicy(stackId);
    }

    @Override
    public UpdateOutcome updateStack(StackUpdate update) {
        return of(update.stackId()).updateStack(update);
    }
}
