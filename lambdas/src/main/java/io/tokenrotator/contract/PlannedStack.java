package io.tokenrotator.contract;

/** A stack the run will rotate, with the parameter value and status it had when it was found. */
public record PlannedStack(int index, String stackName, String stackId, String status, String parameterValue) {
    public StackRef ref() {
        return new StackRef(stackName, stackId);
    }
}
