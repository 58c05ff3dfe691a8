package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.cli.local.RunVerifier;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.simulator.ConsumerTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure modes of a real deployment, through the real ASL in the local interpreter: answers lost to Lambda
 * timeouts, failing read-only steps, long updates, stacks deleted mid-run, a secret that changes again mid-run, and
 * two runs over the same fleet.
 */
class FailureModesEndToEndTest {
    private static final String SECRET = "prod/api-token";
    private static final Duration UPDATE = Duration.ofSeconds(60);
    private LocalEnvironment env;
    private String secretArn;

    @AfterEach
    void close() {
        env.close();
    }

    private void start(DeploymentSettings settings) {
        env = new LocalEnvironment(60, new InputRules.Defaults(settings));
        secretArn = env.secrets.createSecret(SECRET, "s3cr3t-value-one");
    }

    private void start() {
        start(DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, 10, Setting.POLL_SECONDS, 20, Setting.MAX_WAIT_MINUTES, 20,
            Setting.RESTORE_ATTEMPTS, 2, Setting.RESTORE_DELAY_SECONDS, 30)));
    }

    private void stack(String name, Map<String, String> params) {
        env.cloudFormation.createStack(new StackSpec(name, ConsumerTemplates.rotating(SECRET), params, List.of(), null,
                null, null, UPDATE, "arn:aws:iam::123456789012:role/cfn-" + name));
    }

    private String newVersion(String value) {
        return env.secrets.putSecretValue(SECRET, value, null);
    }

    private LocalRotation rotate(String version) {
        return rotate("run-" + version.substring(version.length() - 4), version);
    }

    private LocalRotation rotate(String name, String version) {
        return LocalRotation.run(env, name, new RotationRequest(null, secretArn, version, null, null, null, null),
                version, ProgressListener.NONE);
    }

    private static StackResult result(LocalRotation run, String stack) {
        return run.report().stacks().stream().filter(r -> r.stackName().equals(stack)).findFirst().orElseThrow();
    }

    private List<String> versionsOf(String stack) {
        return env.cloudFormation.inspect(stack).resources().values().stream()
                .flatMap(r -> r.secretVersions().stream()).toList();
    }

    @Test
    void aPhaseTwoUpdateWhoseAnswerWasLostEndsRotatedWithoutASecondUpdate() {
        start();
        stack("app", Map.of());
        String version = newVersion("s3cr3t-value-two");
        // the function calls UpdateStack, then times out: Step Functions sees Lambda.Unknown
        env.lambdas.injectFault("UpdateStack", p -> p.contains("\"target\":\"true\""), "Lambda.Unknown", true, 1);

        LocalRotation run = rotate(version);

        assertThat(result(run, "app").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(run.execution().retries()).containsKey("Lambda.Unknown");
        assertThat(env.cloudFormation.inspect("app").updatesStarted()).as("false once, true once").isEqualTo(2);
        assertThat(versionsOf("app")).containsOnly(version);
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aStatusCheckThatCrashesIsRetriedByThePollingLoop() {
        start();
        stack("app", Map.of());
        String version = newVersion("s3cr3t-value-two");
        env.lambdas.injectFault("StackStatus", p -> true, "Lambda.Unknown", false, 8);

        LocalRotation run = rotate(version);

        assertThat(result(run, "app").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(versionsOf("app")).containsOnly(version);
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void eachPhaseHasItsOwnStatusCheckBudget() {
        // a 60-second update (plus cleanup) needs 4 checks 24 seconds apart: 5 per phase (2 minutes) is enough for
        // each phase, not for both together
        start(DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, 10, Setting.POLL_SECONDS, 24, Setting.MAX_WAIT_MINUTES, 2,
            Setting.RESTORE_ATTEMPTS, 0, Setting.RESTORE_DELAY_SECONDS, 30)));
        assertThat(5).as("status checks a phase").isEqualTo(DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, 10, Setting.POLL_SECONDS, 24, Setting.MAX_WAIT_MINUTES, 2,
            Setting.RESTORE_ATTEMPTS, 0, Setting.RESTORE_DELAY_SECONDS, 30)).runSettings().maxPolls());
        stack("slow", Map.of());
        String version = newVersion("s3cr3t-value-two");

        LocalRotation run = rotate(version);

        assertThat(result(run, "slow").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aStackFoundAtFalseWhoseLoadFailsNeedsAttentionAndOneAtTrueIsFailed() {
        start();
        stack("left-at-false", Map.of("RotateToken", "false"));
        stack("at-true", Map.of());
        env.lambdas.injectFault("LoadPlannedStack", p -> true, "io.tokenrotator.errors.InvalidInputException", false, 10);

        LocalRotation run = rotate(newVersion("s3cr3t-value-two"));

        assertThat(result(run, "left-at-false").outcome()).isEqualTo(Outcome.NEEDS_ATTENTION);
        assertThat(result(run, "left-at-false").reason()).contains("RotateToken=false");
        assertThat(result(run, "at-true").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(env.cloudFormation.inspect("at-true").updatesStarted()).isZero();
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aStackDeletedDuringTheRunIsReportedAsDeletedAndTheOthersRotate() {
        start();
        stack("doomed", Map.of());
        stack("kept", Map.of());
        String version = newVersion("s3cr3t-value-two");
        env.lambdas.beforeInvoke("UpdateStack", p -> p.contains("doomed") && p.contains("\"target\":\"true\""),
                () -> env.cloudFormation.deleteStack("doomed"));

        LocalRotation run = rotate(version);

        StackResult doomed = result(run, "doomed");
        assertThat(doomed.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(doomed.reason()).contains("deleted during the run");
        assertThat(doomed.action()).isNull();
        assertThat(result(run, "kept").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(env.cloudFormation.liveStackNames()).doesNotContain("doomed");
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void aSecretThatChangesAgainDuringTheRunLeavesStacksOnTheNewerVersionAndTheRunStillVerifies() {
        start();
        stack("early", Map.of());
        String version = newVersion("s3cr3t-value-two");
        List<String> newer = new ArrayList<>();
        env.lambdas.beforeInvoke("UpdateStack", p -> p.contains("\"target\":\"true\""),
                () -> newer.add(newVersion("s3cr3t-value-three")));

        LocalRotation run = rotate(version);

        assertThat(result(run, "early").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(versionsOf("early")).containsOnly(newer.get(0));
        assertThat(run.problems()).as("the newer version is accepted").isEmpty();
    }

    /**
     * Time runs 60x faster locally, but a handler computes at real speed: a Record Result that takes 1.5 real seconds
     * is far inside its 60-second timeout on AWS, so the local run must not time it out (and retry it) either.
     */
    @Test
    void aTaskTimeoutBoundsTheHandlersRealComputingTimeNotTheScaledClock() {
        start();
        stack("slow", Map.of());
        String version = newVersion("s3cr3t-value-two");
        java.util.concurrent.atomic.AtomicBoolean invokedAgain = new java.util.concurrent.atomic.AtomicBoolean();
        env.lambdas.beforeInvoke("RecordResult", p -> p.contains("slow"), () -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        env.lambdas.beforeInvoke("RecordResult", p -> p.contains("slow"), () -> invokedAgain.set(true));

        LocalRotation run = rotate(version);

        assertThat(result(run, "slow").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(invokedAgain).as("Record Result was timed out and retried").isFalse();
        assertThat(run.problems()).isEmpty();
    }

    @Test
    void twoRunsOverTheSameStacksNeverUpdateOneStackAtTheSameTime() {
        start();
        stack("shared-a", Map.of());
        stack("shared-b", Map.of());
        String second = newVersion("s3cr3t-value-two");

        CompletableFuture<LocalRotation> one = CompletableFuture.supplyAsync(() -> rotate("run-one", second));
        CompletableFuture<LocalRotation> two = CompletableFuture.supplyAsync(() -> rotate("run-two", second));
        List<LocalRotation> runs = List.of(one.join(), two.join());

        for (LocalRotation run : runs) {
            assertThat(run.report().stacks()).extracting(StackResult::outcome).containsOnly(Outcome.ROTATED);
            // verified once both have ended: while the later run updates a stack, the earlier one's check would see
            // it in progress (LocalRotation verifies right after its own run)
            assertThat(RunVerifier.verify(env.cloudFormation, env.secrets, run.plan(), run.report(), second))
                    .isEmpty();
        }
        for (String stack : List.of("shared-a", "shared-b")) {
            List<String> runOrder = env.cloudFormation.inspect(stack).calls().stream()
                    .map(CloudFormationModel.UpdateStackCall::clientRequestToken).map(this::runOf).toList();
            assertThat(runOrder).as(stack + ": one run's false and true, then the other's, never interleaved")
                    .isIn(List.of("run-one", "run-one", "run-two", "run-two"),
                            List.of("run-two", "run-two", "run-one", "run-one"));
        }
    }

    /** Which run sent an UpdateStack call: its token derives from (run, stack, phase, attempt). */
    private String runOf(String token) {
        for (String run : List.of("run-one", "run-two")) {
            for (String stack : env.cloudFormation.liveStackNames()) {
                String id = env.cloudFormation.inspect(stack).id();
                for (String target : List.of("true", "false")) {
                    if (io.tokenrotator.service.RequestTokens.forUpdate(run, id, target, 0).equals(token)) {
                        return run;
                    }
                }
            }
        }
        return token;
    }
}
