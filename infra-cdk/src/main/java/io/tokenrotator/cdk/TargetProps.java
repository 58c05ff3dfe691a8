package io.tokenrotator.cdk;

import io.tokenrotator.target.Targets;

import java.util.List;

/**
 * One entry of {@link TokenRotatorProps.Builder#targets(List)}: every account x region listed, reached through the
 * role {@code roleName} there (README, "Many accounts and regions"). {@code TargetProps.builder().accounts(List.of(
 * "111111111111")).regions(List.of("eu-west-1")).externalId("...").build()}.
 *
 * @param accounts   12-digit account ids
 * @param regions    region names, such as eu-west-1
 * @param roleName   the target role's name in each account; default {@value Targets#DEFAULT_ROLE_NAME}
 * @param externalId sent with every AssumeRole call when given (the target role's sts:ExternalId condition)
 */
public record TargetProps(List<String> accounts, List<String> regions, String roleName, String externalId) {
    public TargetProps {
        accounts = accounts == null ? List.of() : List.copyOf(accounts);
        regions = regions == null ? List.of() : List.copyOf(regions);
        roleName = roleName == null ? Targets.DEFAULT_ROLE_NAME : roleName;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The entry as Targets reads it (the functions' TARGETS and the synth-time check). */
    Targets.Entry entry() {
        return new Targets.Entry(accounts, regions, roleName, externalId);
    }

    public static final class Builder {
        private List<String> accounts;
        private List<String> regions;
        private String roleName;
        private String externalId;

        public Builder accounts(List<String> v) { this.accounts = v; return this; }

        public Builder regions(List<String> v) { this.regions = v; return this; }

        /** Default {@value Targets#DEFAULT_ROLE_NAME}. */
        public Builder roleName(String v) { this.roleName = v; return this; }

        /** Default none: the target role then needs another condition (organizationId). */
        public Builder externalId(String v) { this.externalId = v; return this; }

        public TargetProps build() {
            return new TargetProps(accounts, regions, roleName, externalId);
        }
    }
}
