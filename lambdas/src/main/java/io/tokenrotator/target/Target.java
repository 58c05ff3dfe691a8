package io.tokenrotator.target;

/**
 * One account and region Token Rotator rotates stacks in. {@code roleArn} is the role the central functions
 * assume there (null for the home target: the deployment's own account and region, reached with the function's
 * own credentials); {@code externalId} goes with the AssumeRole call when configured.
 */
public record Target(String account, String region, String roleArn, String externalId) {
    /** How plans and reports name a target: {@code <account>/<region>}. */
    public String id() {
        return account + "/" + region;
    }

    public boolean home() {
        return roleArn == null;
    }
}
