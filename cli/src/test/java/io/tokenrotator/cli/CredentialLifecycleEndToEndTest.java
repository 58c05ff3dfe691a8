package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalCycle;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.contract.CycleRequest;
import io.tokenrotator.contract.CycleStage;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.credential.ManagedCredential;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import io.tokenrotator.simulator.IamUsers;
import io.tokenrotator.wiring.Permissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The credential lifecycle end to end: the real lifecycle ASL in aws-local-stepfunctions calls the real handlers,
 * which talk through the SDK to the simulated IAM, STS, Secrets Manager, S3 and Step Functions; the rotation they
 * start runs the real rotation ASL in the background against the simulated CloudFormation, whose consumers use the
 * access key they resolved. Each test checks what the simulator says (keys, their states, violations), not only
 * what the workflow reports. Quiet and grace periods are two simulated minutes; time runs 120x.
 */
class CredentialLifecycleEndToEndTest {
    private static final String USER = Fleet.ManagedCredential.DEFAULT_USER;
    private static final ManagedCredential MANAGED = new ManagedCredential(Fleet.SECRET_NAME,
            ManagedCredential.IAM_ACCESS_KEY, USER, 120, 120);

    private LocalEnvironment env;
    private Fleet.Built fleet;

    @BeforeEach
    void fleetWithAManagedAccessKey() {
        env = new LocalEnvironment(120, new InputRules.Defaults(DeploymentSettings.DEFAULTS), Permissions.declared(),
                List.of(MANAGED));
        fleet = Fleet.build(FleetSpec.healthy(6, 11, Duration.ofSeconds(60)), env.cloudFormation, env.secrets,
                Fleet.ManagedCredential.of(env.iam.users(), env.clock.now()));
    }

    @AfterEach
    void close() {
        env.close();
    }

    private LocalCycle cycle(String name, Boolean dryRun) {
        return LocalCycle.run(env, name, new CycleRequest(Fleet.SECRET_NAME, dryRun), USER);
    }

    private List<IamUsers.KeyMetadata> keys() {
        return env.iam.users().listAccessKeys(USER, null, null).keys();
    }

    @Test
    void aCleanCycleMovesEveryConsumerToANewKeyAndDeletesTheOldOneLast() {
        LocalCycle run = cycle("cycle-clean", null);

        assertThat(run.execution().status()).as(run.execution().cause()).isEqualTo("SUCCEEDED");
        assertThat(run.problems()).isEmpty();
        assertThat(run.record().cycle().stage()).isEqualTo(CycleStage.RETIRED);
        String newKey = run.record().cycle().newKeyId();
        assertThat(keys()).extracting(IamUsers.KeyMetadata::accessKeyId).containsExactly(newKey);
        assertThat(newKey).isNotEqualTo(fleet.initialKeyId());
        assertThat(run.rotation().counts().get(Outcome.ROTATED)).isEqualTo(6);
        assertThat(env.iam.users().usersOf(newKey)).hasSize(countResourcesUsingKeys());
        assertThat(run.record().keysByVersion()).containsEntry(run.record().cycle().newVersionId(), newKey);
    }

    @Test
    void aConsumerThatCannotBeRotatedKeepsTheOldKeyActiveAndIsNamedUntilASecondRunFinishes() {
        String stuck = env.cloudFormation.liveStackNames().get(2);
        env.cloudFormation.failUpdates(stuck, Fleet.PARAMETER, "false", 1, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: Access denied (injected)");

        LocalCycle blocked = cycle("cycle-blocked", null);

        assertThat(blocked.execution().status()).isEqualTo("FAILED");
        assertThat(blocked.execution().error()).isEqualTo("RetirementBlocked");
        assertThat(blocked.execution().cause()).contains(stuck, "FAILED", fleet.initialKeyId(), "stays active");
        assertThat(blocked.problems()).isEmpty();
        assertThat(keys()).hasSize(2).allMatch(k -> k.status() == IamUsers.Status.Active);
        assertThat(env.iam.users().usersOf(fleet.initialKeyId())).isNotEmpty(); // the stuck stack still uses it

        // the operator fixes the stack (here: the fault was one update); the next run re-rotates and retires
        LocalCycle second = cycle("cycle-after-fix", null);

        assertThat(second.execution().status()).as(second.execution().cause()).isEqualTo("SUCCEEDED");
        assertThat(second.problems()).isEmpty();
        assertThat(second.record().cycle().rotationExecution()).endsWith("-r2");
        assertThat(keys()).extracting(IamUsers.KeyMetadata::accessKeyId)
                .containsExactly(second.record().cycle().newKeyId());
    }

    @Test
    void anOutsideUserOfTheOldKeyKeepsItActiveAndIsReportedWithServiceAndRegion() {
        env.iam.users().addOutsideUser(fleet.initialKeyId(), "s3", "eu-west-1");

        LocalCycle run = cycle("cycle-outside-user", null);

        assertThat(run.execution().error()).isEqualTo("OldKeyStillInUse");
        assertThat(run.execution().cause()).contains(fleet.initialKeyId(), "s3", "eu-west-1");
        assertThat(run.problems()).isEmpty();
        assertThat(keys()).filteredOn(k -> k.accessKeyId().equals(fleet.initialKeyId()))
                .singleElement().extracting(IamUsers.KeyMetadata::status).isEqualTo(IamUsers.Status.Active);
        assertThat(run.rotation().counts().get(Outcome.ROTATED)).isEqualTo(6);
    }

    @Test
    void twoActiveKeysStopTheCycleUntilTheOperatorDeactivatesTheUnusedOne() {
        String extra = env.iam.users().createAccessKey(USER, env.clock.now()).metadata().accessKeyId();

        LocalCycle stopped = cycle("cycle-two-keys", null);

        assertThat(stopped.execution().error()).isEqualTo("CycleStopped");
        assertThat(stopped.execution().cause()).contains(extra, fleet.initialKeyId(), "2 active access keys");
        assertThat(keys()).hasSize(2);
        assertThat(env.secrets.describeOrThrow(Fleet.SECRET_NAME).versionIdsToStages()).hasSize(1);

        // what the message says to do: deactivate the key nothing uses; the next cycle deletes it and goes on
        env.iam.users().updateAccessKey(USER, extra, "Inactive", env.clock.now());
        LocalCycle next = cycle("cycle-two-keys-fixed", null);

        assertThat(next.execution().status()).as(next.execution().cause()).isEqualTo("SUCCEEDED");
        assertThat(next.problems()).isEmpty();
        assertThat(keys()).extracting(IamUsers.KeyMetadata::accessKeyId)
                .containsExactly(next.record().cycle().newKeyId());
    }

    @Test
    void anInterruptedCycleIsFinishedByTheNextRun() {
        env.lambdas.injectFault("RetireCredential", p -> p.contains("\"step\":\"delete\""),
                "io.tokenrotator.errors.AwsRequestRejectedException", false, 1);

        LocalCycle interrupted = cycle("cycle-interrupted", null);

        assertThat(interrupted.execution().status()).isEqualTo("FAILED");
        assertThat(interrupted.record().cycle().stage()).isEqualTo(CycleStage.DEACTIVATED);
        assertThat(keys()).hasSize(2);

        LocalCycle resumed = cycle("cycle-resumed", null);

        assertThat(resumed.execution().status()).as(resumed.execution().cause()).isEqualTo("SUCCEEDED");
        assertThat(resumed.record().cycle().cycleId()).isEqualTo("cycle-interrupted");
        assertThat(resumed.record().cycle().stage()).isEqualTo(CycleStage.RETIRED);
        assertThat(resumed.problems()).isEmpty();
        assertThat(keys()).extracting(IamUsers.KeyMetadata::accessKeyId)
                .containsExactly(interrupted.record().cycle().newKeyId());
        assertThat(env.simulator.stepFunctions().executions()).filteredOn(e -> e.name().contains("r2")).isEmpty();
    }

    @Test
    void auditModeReportsEachStepAndChangesNothing() {
        var versionsBefore = env.secrets.describeOrThrow(Fleet.SECRET_NAME).versionIdsToStages();

        LocalCycle audit = cycle("cycle-audit", true);

        assertThat(audit.execution().status()).as(audit.execution().cause()).isEqualTo("SUCCEEDED");
        assertThat(audit.execution().output().path("audit").toString())
                .contains("would create", "would deactivate " + fleet.initialKeyId(),
                        "would delete " + fleet.initialKeyId(), "would rotate 6 stacks");
        assertThat(keys()).extracting(IamUsers.KeyMetadata::accessKeyId).containsExactly(fleet.initialKeyId());
        assertThat(env.secrets.describeOrThrow(Fleet.SECRET_NAME).versionIdsToStages()).isEqualTo(versionsBefore);
        assertThat(audit.record()).isNull();
        assertThat(audit.problems()).isEmpty();
    }

    /** Every live resource that resolved the secret: each uses the key its version holds. */
    private int countResourcesUsingKeys() {
        return (int) env.cloudFormation.liveStackNames().stream()
                .flatMap(n -> env.cloudFormation.inspect(n).resources().values().stream())
                .filter(r -> !r.secretVersions().isEmpty()).count();
    }
}
