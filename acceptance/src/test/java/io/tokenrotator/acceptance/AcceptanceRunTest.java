package io.tokenrotator.acceptance;

import io.tokenrotator.acceptance.AcceptanceAws.Account;
import io.tokenrotator.acceptance.AcceptanceReport.Cleanup;
import io.tokenrotator.acceptance.AcceptanceReport.Step;
import io.tokenrotator.contract.Outcome;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class AcceptanceRunTest {
    private static final RunNames NAMES = new RunNames("0123abcd");
    private static final AcceptanceRun.Options OPTIONS = new AcceptanceRun.Options(false, Duration.ofMinutes(15),
            Duration.ofMinutes(45), false);

    private final FakeAcceptanceAws aws = new FakeAcceptanceAws(NAMES);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private AcceptanceReport run(AcceptanceRun.Options options) {
        AtomicInteger values = new AtomicInteger();
        Waiter waiter = new Waiter(aws.clock, aws.clock::advance, Duration.ofSeconds(10));
        Synthesis canned = (names, createTrail, account, region) -> {
            Map<Consumer, String> templates = new EnumMap<>(Consumer.class);
            for (Consumer c : Consumer.values()) {
                templates.put(c, "template of " + c);
            }
            return new Synthesis.Synthesized(Path.of("/tmp/assembly/cdk.out"), "base template", templates);
        };
        AcceptanceRun run = new AcceptanceRun(aws, aws.deployer(), canned, NAMES, options,
                new Account(FakeAcceptanceAws.ACCOUNT, FakeAcceptanceAws.REGION),
                new PrintStream(log, true, StandardCharsets.UTF_8), waiter,
                () -> "SECRET-VALUE-" + values.incrementAndGet());
        AcceptanceReport report = run.run();
        report.print(new PrintStream(log, true, StandardCharsets.UTF_8));
        return report;
    }

    private String output() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passesWhenTheTriggerRotatesEveryConsumerAndDeletesEverythingAfterwards() {
        AcceptanceReport report = run(OPTIONS);

        assertThat(report.passed()).as(output()).isTrue();
        assertThat(report.verdicts()).hasSize(3).allSatisfy(v -> assertThat(v.passed()).isTrue());
        assertThat(output()).contains("PASSED").contains("PASS tr-accept-0123abcd-sam")
                .contains("Token re-created at");
        for (String stack : List.of("tr-accept-0123abcd-base", "tr-accept-0123abcd-rotator", "tr-accept-0123abcd-cdk",
                "tr-accept-0123abcd-sam", "tr-accept-0123abcd-iam")) {
            assertThat(aws.exists(stack)).as(stack).isFalse();
        }
        assertThat(aws.buckets).isEmpty();
        assertThat(aws.secretArn(NAMES.secretName())).isEmpty();
    }

    @Test
    void secretValuesAreNewRandomOnesAndAreNeverShown() {
        run(OPTIONS);

        assertThat(aws.valuesReceived).containsExactly("SECRET-VALUE-1", "SECRET-VALUE-2");
        assertThat(output()).doesNotContain("SECRET-VALUE");
    }

    @Test
    void createsEachConsumerWithTheServiceRoleItsCapabilitiesAndTheSecretName() {
        run(OPTIONS);

        assertThat(aws.calls).contains(
                "createStack tr-accept-0123abcd-base caps=[CAPABILITY_IAM] role=null params={RunPrefix=tr-accept-0123abcd-,"
                        + " SecretArn=arn:aws:secretsmanager:eu-west-1:123456789012:secret:tr-accept-0123abcd/token-AbCdEf}",
                "createStack tr-accept-0123abcd-sam caps=[CAPABILITY_AUTO_EXPAND] role=arn:aws:iam::123456789012:role/"
                        + "base-ServiceRole params={RotateToken=true, SecretName=tr-accept-0123abcd/token,"
                        + " FunctionRoleArn=arn:aws:iam::123456789012:role/base-FunctionRole}",
                "createStack tr-accept-0123abcd-iam caps=[CAPABILITY_IAM] role=arn:aws:iam::123456789012:role/"
                        + "base-ServiceRole params={RotateToken=true, SecretName=tr-accept-0123abcd/token}");
        // the roles exist before Token Rotator deploys, the consumers after; the value changes only then
        List<Integer> order = List.of("createSecret ", "createStack tr-accept-0123abcd-base ",
                "cdk deploy tr-accept-0123abcd-rotator ", "createStack tr-accept-0123abcd-cdk ", "putSecretValue ")
                .stream().map(this::firstCall).toList();
        assertThat(order).doesNotContain(-1).isSorted();
    }

    @Test
    void failsWhenAConsumerKeptItsOldResourceAlthoughTheReportSaysRotated() {
        aws.notRecreated.add(Consumer.SAM);

        AcceptanceReport report = run(OPTIONS);

        assertThat(report.passed()).isFalse();
        ConsumerVerdict sam = report.verdicts().stream().filter(v -> v.consumer() == Consumer.SAM).findFirst().orElseThrow();
        assertThat(sam.problems()).anyMatch(p -> p.startsWith("Token was not re-created: it is still tr-accept-0123abcd-sam-Token-"))
                .anyMatch(p -> p.contains("not after the new version") && p.contains("holds the old value"));
        assertThat(report.verdicts()).filteredOn(ConsumerVerdict::passed).hasSize(2);
        assertThat(output()).contains("FAILED").contains("FAIL tr-accept-0123abcd-sam");
        assertThat(aws.exists("tr-accept-0123abcd-sam")).isFalse();
    }

    @Test
    void failsWhenTheReportDoesNotSayRotated() {
        aws.reportedOutcome.put(Consumer.CDK, Outcome.FAILED);
        aws.executionEnd = "FAILED";

        AcceptanceReport report = run(OPTIONS);

        assertThat(report.passed()).isFalse();
        assertThat(lastStep(report).detail()).contains("the execution FAILED")
                .contains("tr-accept-0123abcd-cdk did not get the new value");
        assertThat(report.verdicts().get(0).problems())
                .contains("the run report says FAILED: phase 1 (false) rolled back");
    }

    @Test
    void failsWhenTheRunTouchedAStackOutsideTheTest() {
        aws.extraStacksInReport.add("payments-api");

        AcceptanceReport report = run(OPTIONS);

        assertThat(report.passed()).isFalse();
        assertThat(lastStep(report).detail()).contains("the run touched stacks outside this test: payments-api");
    }

    @Test
    void otherConsumerStacksInTheAccountAreReportedSkippedAndLeftAlone() {
        aws.otherConsumersInAccount.add("payments-api");

        AcceptanceReport report = run(OPTIONS);

        assertThat(report.passed()).as(output()).isTrue();
    }

    @Test
    void aTriggerThatNeverFiresFailsWithTheLikelyCauseAndStillCleansUp() {
        aws.triggerFires = false;

        AcceptanceReport report = run(OPTIONS);

        assertThat(report.passed()).isFalse();
        Step step = lastStep(report);
        assertThat(step.title()).startsWith("Wait for the trigger to start execution tr-accept-0123abcd-token-");
        assertThat(step.detail()).contains("did not happen within 15 min 00 s").contains("CloudTrail")
                .contains("--create-trail");
        assertThat(step.took()).isGreaterThanOrEqualTo(Duration.ofMinutes(15));
        assertThat(aws.exists("tr-accept-0123abcd-rotator")).isFalse();
        assertThat(aws.secretArn(NAMES.secretName())).isEmpty();
    }

    @Test
    void aConsumerThatFailsToCreateStopsTheRunWithCloudFormationsReason() {
        aws.failsToCreate = Consumer.IAM;

        AcceptanceReport report = run(OPTIONS);

        assertThat(lastStep(report).detail()).isEqualTo("tr-accept-0123abcd-iam is ROLLBACK_COMPLETE: Token: Resource"
                + " handler returned message: \"User is not authorized\"");
        assertThat(aws.calls).noneMatch(c -> c.startsWith("putSecretValue"));
        assertThat(aws.exists("tr-accept-0123abcd-iam")).isFalse();
        assertThat(aws.exists("tr-accept-0123abcd-base")).isFalse();
    }

    @Test
    void theBaseStackStaysWhileAConsumerThatNeedsItsRoleCouldNotBeDeleted() {
        aws.failsToDelete = Consumer.CDK;

        AcceptanceReport report = run(OPTIONS);

        assertThat(report.checksPassed()).isTrue();
        assertThat(report.passed()).isFalse();
        assertThat(aws.exists("tr-accept-0123abcd-base")).isTrue();
        assertThat(report.cleanupItems()).contains(
                new Cleanup("stack tr-accept-0123abcd-cdk", false, "DELETE_FAILED (Token: Resource handler returned"
                        + " message: \"User is not authorized\")"),
                new Cleanup("stack tr-accept-0123abcd-base", false, "kept: tr-accept-0123abcd-cdk still exist(s) and"
                        + " need its service role to be deleted"));
        assertThat(output()).contains("CHECKS PASSED, CLEANUP INCOMPLETE")
                .contains("then run acceptance/run --cleanup 0123abcd");
    }

    @Test
    void cleanupDeletesTheConsumersBeforeTheirRolesAndTheBucketsAfterTheirStack() {
        run(OPTIONS);

        assertThat(aws.calls).containsSubsequence("deleteStack tr-accept-0123abcd-cdk",
                "deleteStack tr-accept-0123abcd-rotator", "deleteStack tr-accept-0123abcd-base",
                "emptyAndDeleteBucket tr-accept-0123abcd-rotator-runbucket-abc",
                "deleteSecretNow arn:aws:secretsmanager:eu-west-1:123456789012:secret:tr-accept-0123abcd/token-AbCdEf");
    }

    @Test
    void keepLeavesEverythingAndSaysHowToDeleteItLater() {
        AcceptanceReport report = run(new AcceptanceRun.Options(false, Duration.ofMinutes(15), Duration.ofMinutes(45), true));

        assertThat(report.checksPassed()).isTrue();
        assertThat(aws.calls).noneMatch(c -> c.startsWith("delete"));
        assertThat(output()).contains("Kept everything (--keep). Delete it with: acceptance/run --cleanup 0123abcd");
    }

    @Test
    void cleanupOfAnInterruptedRunFindsEverythingByItsNames() {
        aws.createSecret(NAMES.secretName(), "x", "d");
        aws.deployer().deploy(Path.of("cdk.out"), NAMES.rotatorStack());
        aws.createStack(new AcceptanceAws.StackRequest(NAMES.consumerStack(Consumer.SAM), "t", Map.of(), List.of(), "r"));
        aws.buckets.add("tr-accept-0123abcd-rotator-trailbucket-xyz");

        List<Cleanup> items = new AcceptanceCleanup(aws, NAMES, new Waiter(aws.clock, aws.clock::advance,
                Duration.ofSeconds(10)), new PrintStream(log, true, StandardCharsets.UTF_8)).run(java.util.Optional.empty());

        assertThat(items).allMatch(Cleanup::ok).extracting(Cleanup::what).containsExactly(
                "stack tr-accept-0123abcd-sam", "stack tr-accept-0123abcd-rotator",
                "bucket tr-accept-0123abcd-rotator-runbucket-abc (emptied and deleted)",
                "bucket tr-accept-0123abcd-rotator-trailbucket-xyz (emptied and deleted)",
                "secret tr-accept-0123abcd/token (deleted without recovery)");
        assertThat(aws.buckets).isEmpty();
    }

    private int firstCall(String prefix) {
        for (int i = 0; i < aws.calls.size(); i++) {
            if (aws.calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static Step lastStep(AcceptanceReport report) {
        return report.steps().get(report.steps().size() - 1);
    }
}
