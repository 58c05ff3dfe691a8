package io.tokenrotator.contract;

/**
 * A stack the run will rotate, with the status it had when it was found, its convention, the parameter the run
 * sets ({@code parameterName}) and its value then ({@code parameterValue}), and the value that puts it on the new
 * secret value ({@code target}: "true" for {@link Convention#ROTATE_TOKEN}, the new version id for
 * {@link Convention#IN_PLACE}). {@code notBefore} (an ISO-8601 instant; absent: at once) is its start slot: its
 * first update is not sent earlier, so that the run keeps to its UpdateStack rate. {@code lateSlot} is where it goes
 * when it is loaded after that slot has passed: the same place in a second round of slots that begins when the
 * last stack's slot has passed, so that stacks that start late do not all fire at once in the other stacks' slots.
 * {@code phase2Slot} and {@code latePhase2Slot} (RotateToken only) are the points reserved for its phase-2 update in
 * each round ({@link io.tokenrotator.service.StartSlots}). All four are instants to the millisecond.
 */
public record PlannedStack(int index, String stackName, String stackId, String status, String parameterValue,
                           Convention convention, String parameterName, String target, String notBefore,
                           String lateSlot, String phase2Slot, String latePhase2Slot) {
    /** A stack that may start at once. */
    public PlannedStack(int index, String stackName, String stackId, String status, String parameterValue,
                        Convention convention, String parameterName, String target) {
        this(index, stackName, stackId, status, parameterValue, convention, parameterName, target, null, null, null,
                null);
    }

    public StackRef ref() {
        return new StackRef(stackName, stackId);
    }
}
