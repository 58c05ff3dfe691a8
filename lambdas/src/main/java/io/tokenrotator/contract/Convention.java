package io.tokenrotator.contract;

/**
 * How a consumer stack takes a new secret value: the two conventions Token Rotator supports (README, "Consumer
 * stacks"). Find Stacks tells them apart by the parameter a stack declares.
 */
public enum Convention {
    /**
     * A {@code RotateToken} parameter ("true"/"false") and {@code Condition: RotateToken} on the secret-holding
     * resources: RotateToken=false deletes them, RotateToken=true re-creates them, resolving the new value. For
     * resources that must be replaced to take a new value.
     */
    ROTATE_TOKEN(2),
    /**
     * A {@code TokenVersion} parameter used in a property of each secret-holding resource: one update to the new
     * AWSCURRENT version id changes that property, so CloudFormation updates the resource in place and re-resolves
     * its dynamic references (CloudFormation user guide, dynamic references). Nothing is deleted; one UpdateStack.
     */
    IN_PLACE(1);

    private final int updates;

    Convention(int updates) {
        this.updates = updates;
    }

    /** UpdateStack calls one rotation of such a stack takes when nothing fails: what its start slot reserves. */
    public int updates() {
        return updates;
    }
}
