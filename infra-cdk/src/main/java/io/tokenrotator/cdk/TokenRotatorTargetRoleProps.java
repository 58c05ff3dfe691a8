package io.tokenrotator.cdk;

import io.tokenrotator.target.Targets;

import java.util.List;

/**
 * What a target account's {@link TokenRotatorTargetRole} needs to know about the central deployment.
 *
 * @param centralAccountId the account Token Rotator is deployed in (12 digits)
 * @param centralStackName its stack name; the trusted roles are {@code <centralStackName>-FindStacks},
 *                         {@code -UpdateStack} and {@code -StackStatus} (the names the central deployment gives them
 *                         when it has targets). Default {@value #DEFAULT_CENTRAL_STACK_NAME}
 * @param centralRoleArns  the trusted roles' ARNs instead (e.g. the central functions' roles in your own app);
 *                         default: from centralAccountId and centralStackName
 * @param externalId       required in every AssumeRole (condition sts:ExternalId) when given
 * @param organizationId   the callers must belong to this organization (condition aws:PrincipalOrgID) when given
 * @param roleName         default {@value Targets#DEFAULT_ROLE_NAME}; the central targets' roleName
 * @param stackNamePrefix  the central deployment's stackNamePrefix: Update Stack may update only those stacks here
 *                         too. Default none (every stack)
 */
public record TokenRotatorTargetRoleProps(String centralAccountId, String centralStackName,
                                          List<String> centralRoleArns, String externalId, String organizationId,
                                          String roleName, String stackNamePrefix) {
    public static final String DEFAULT_CENTRAL_STACK_NAME = "TokenRotator";

    public TokenRotatorTargetRoleProps {
        centralStackName = centralStackName == null ? DEFAULT_CENTRAL_STACK_NAME : centralStackName;
        centralRoleArns = centralRoleArns == null ? List.of() : List.copyOf(centralRoleArns);
        roleName = roleName == null ? Targets.DEFAULT_ROLE_NAME : roleName;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String centralAccountId;
        private String centralStackName;
        private List<String> centralRoleArns;
        private String externalId;
        private String organizationId;
        private String roleName;
        private String stackNamePrefix;

        public Builder centralAccountId(String v) { this.centralAccountId = v; return this; }

        public Builder centralStackName(String v) { this.centralStackName = v; return this; }

        public Builder centralRoleArns(List<String> v) { this.centralRoleArns = v; return this; }

        public Builder externalId(String v) { this.externalId = v; return this; }

        public Builder organizationId(String v) { this.organizationId = v; return this; }

        public Builder roleName(String v) { this.roleName = v; return this; }

        public Builder stackNamePrefix(String v) { this.stackNamePrefix = v; return this; }

        public TokenRotatorTargetRoleProps build() {
            return new TokenRotatorTargetRoleProps(centralAccountId, centralStackName, centralRoleArns, externalId,
                    organizationId, roleName, stackNamePrefix);
        }
    }
}
