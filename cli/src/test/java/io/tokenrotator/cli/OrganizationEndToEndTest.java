package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.LocalTargets;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import io.tokenrotator.wiring.Permissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One central deployment rotating an organization (issue 12), end to end: the real workflow and handlers; the
 * simulator hosts the home account and two target accounts in two regions each, with a target role in each target
 * account (STS AssumeRole with its permissions enforced), the secret's replicas in the other region (taking the new
 * version after a lag) and consumers in other accounts referencing it by ARN. Each run is verified against every
 * account's and region's simulated CloudFormation, by stack ARN.
 */
class OrganizationEndToEndTest {
    private static final String HOME = "123456789012";
    private static final String DEV = "222222222222";
    private static final String PROD = "333333333333";
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");

    private LocalEnvironment env;

    @AfterEach
    void close() {
        if (env != null) {
            env.close();
        }
    }

    /** 18 healthy stacks over the six targets (three per target), the secret changed; its replicas lag. */
    private Fleet.Spread organization(Duration replicaLag) {
        LocalTargets targets = new LocalTargets(List.of(HOME, DEV, PROD), REGIONS, replicaLag);
        env = new LocalEnvironment(60, new InputRules.Defaults(DeploymentSettings.DEFAULTS), Permissions.declared(),
                List.of(), targets);
        return Fleet.buildAcross(FleetSpec.healthy(18, 5, Duration.ofSeconds(60)), env.simulator,
                targets.fleetTargets());
    }

    private LocalRotation rotate(Fleet.Spread fleet) {
        return LocalRotation.run(env, new RotationRequest(null, fleet.built().secretArn(), fleet.built().newVersionId(),
                null, null, null, null), fleet.built().newVersionId(), ProgressListener.NONE);
    }

    @Test
    void rotatesCrossAccountAndReplicaRegionConsumersOnceTheirReplicaHasTheVersion() {
        Fleet.Spread fleet = organization(Duration.ofMinutes(10));

        LocalRotation run = rotate(fleet);

        assertThat(run.execution().status()).as(run.execution().cause()).isEqualTo("SUCCEEDED");
        assertThat(run.problems()).isEmpty();
        assertThat(run.report().counts()).containsEntry(Outcome.ROTATED, 18);
        assertThat(run.report().countsByTarget()).hasSize(6)
                .allSatisfy((target, counts) -> assertThat(counts).containsEntry(Outcome.ROTATED, 3));
        assertThat(fleet.referenceOf()).containsValues("name", "arn"); // both kinds of consumers were there
        // the stacks in eu-west-1 waited for the replica: their first phase-2 update was refused as busy
        assertThat(run.handlerErrors()).containsKey("io.tokenrotator.errors.StackBusyException");
    }

    @Test
    void anUnreachableTargetIsReportedWithItsActionAndTheOthersRotate() {
        Fleet.Spread fleet = organization(Duration.ZERO);
        env.iam.removeRole(PROD, LocalTargets.ROLE_NAME);      // the stack set never reached PROD
        env.simulator.disableRegion(DEV, "eu-west-1");          // an opt-in region DEV never enabled

        LocalRotation run = rotate(fleet);

        assertThat(run.report().unreachableTargets()).extracting(u -> u.target()).containsExactlyInAnyOrder(
                PROD + "/us-east-1", PROD + "/eu-west-1", DEV + "/eu-west-1");
        assertThat(run.report().unreachableTargets()).allSatisfy(u -> assertThat(u.action())
                .contains("role/TokenRotatorTarget", "enabled"));
        assertThat(run.execution().status()).isEqualTo("FAILED");
        assertThat(run.execution().cause()).contains("target " + PROD + "/us-east-1 unreachable");
        assertThat(run.report().counts()).containsEntry(Outcome.ROTATED, 9); // home x2 and DEV/us-east-1
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aTargetRoleWithoutUpdateStackFailsOnlyThatAccountsStacksNamingTheMissingAction() {
        Fleet.Spread fleet = organization(Duration.ZERO);
        env.iam.revoke(DEV, LocalTargets.ROLE_NAME, "cloudformation:UpdateStack");

        LocalRotation run = rotate(fleet);

        assertThat(run.problems()).isEmpty();
        List<StackResult> inDev = run.report().stacks().stream()
                .filter(r -> fleet.targetOf().getOrDefault(r.stackName(), "").startsWith(DEV)).toList();
        assertThat(inDev).hasSize(6).allSatisfy(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(r.reason()).contains("cloudformation:UpdateStack");
        });
        assertThat(run.report().counts()).containsEntry(Outcome.ROTATED, 12).containsEntry(Outcome.FAILED, 6);
        assertThat(run.report().countsByTarget().get(DEV + "/us-east-1")).containsEntry(Outcome.FAILED, 3);
        assertThat(run.report().countsByTarget().get(PROD + "/eu-west-1")).containsEntry(Outcome.ROTATED, 3);
    }
}
