package io.tokenrotator.service;

import io.tokenrotator.contract.StackRef;
import io.tokenrotator.contract.StackStatusInput;
import io.tokenrotator.contract.StackStatusOutput;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.port.StackDescription;

/** Reads one stack's status and the rotation parameter's current value. */
public final class StackStatusService {
    private final CloudFormationPort cloudFormation;

    public StackStatusService(CloudFormationPort cloudFormation) {
        this.cloudFormation = cloudFormation;
    }

    public StackStatusOutput status(StackStatusInput input) {
        StackRef stack = InputRules.stack(input == null ? null : input.stack());
        String parameterName = InputRules.parameterName(input.parameterName());
        return cloudFormation.describeStack(stack.identifier())
                .map(s -> describe(s, parameterName))
                .orElseGet(() -> new StackStatusOutput(stack.stackName(), stack.stackId(),
                        StatusRules.DOES_NOT_EXIST, StatusClass.DELETED, null, "CloudFormation reports that the stack does not exist"));
    }

    private static StackStatusOutput describe(StackDescription s, String parameterName) {
        StatusClass classification = StatusRules.classify(s.status());
        boolean failed = classification != StatusClass.SETTLED && classification != StatusClass.IN_PROGRESS;
        return new StackStatusOutput(s.name(), s.id(), s.status(), classification,
                s.parameters().get(parameterName), failed ? s.statusReason() : null);
    }
}
