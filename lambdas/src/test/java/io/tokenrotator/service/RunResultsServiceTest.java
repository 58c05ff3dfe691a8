package io.tokenrotator.service;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.contract.CaughtError;
import io.tokenrotator.contract.Ending;
import io.tokenrotator.contract.LoadPlannedStackInput;
import io.tokenrotator.contract.LoadedStack;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RecordResultInput;
import io.tokenrotator.contract.RestoreState;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.contract.StackStatusOutput;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.contract.SummarizeInput;
import io.tokenrotator.contract.UpdateResult;
import io.tokenrotator.contract.UpdateStackOutput;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.store.InMemoryRunStore;
import io.tokenrotator.store.InMemoryStackLeases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunResultsServiceTest {
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final InMemoryStackLeases leases = new InMemoryStackLeases(java.time.Clock.systemUTC());
    private final RunResultsService service = new RunResultsService(store, leases,
            new JsonLog(new PrintStream(OutputStream.nullOutputStream())));

    private static String id(int i) {
        return "arn:aws:cloudformation:us-east-1:123456789012:stack/app-" + i + "/x";
    }

    private void plan(int stacks, List<SkippedStack> skipped) {
        store.savePlan(new Plan("exec-1", "RotateToken", "TokenVersion", null, null, IntStream.range(0, stacks)
                .mapToObj(i -> new PlannedStack(i, "app-" + i, id(i), "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true")).toList(), skipped));
    }

    private StackResult record(int i, Ending ending, StackStatusOutput status, CaughtError error, int restoreAttempt) {
        return service.record(new RecordResultInput("exec-1", i, ending, new StackRef("app-" + i, id(i)),
                new UpdateStackOutput("app-" + i, id(i), "true", "false", UpdateResult.UPDATE_STARTED, "t"), status,
                error, DeploymentSettings.DEFAULTS.runSettings(), new RestoreState(restoreAttempt, 60), null, null, null, null));
    }

    private static StackStatusOutput status(int i, String status, StatusClass c, String value, String reason) {
        return new StackStatusOutput("app-" + i, id(i), status, c, value, reason, 90, 20);
    }

    @Test
    void loadsThePlannedStackAtAnIndex() {
        plan(3, List.of());
        assertThat(service.load(new LoadPlannedStackInput("exec-1", 2)).stackName()).isEqualTo("app-2");
        assertThatThrownBy(() -> service.load(new LoadPlannedStackInput("exec-1", null)))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("index");
    }

    @Test
    void loadTellsUntilWhenTheStackWaitsForItsStartSlotAndThePointsOfItsUpdates() {
        java.time.Instant start = java.time.Instant.parse("2026-01-01T00:00:00Z");
        store.savePlan(new Plan("exec-1", "RotateToken", "TokenVersion", null, null, StartSlots.assign(
                IntStream.range(0, 10).mapToObj(i -> new PlannedStack(i, "app-" + i, id(i), "UPDATE_COMPLETE", "true",
                        i == 9 ? Convention.IN_PLACE : Convention.ROTATE_TOKEN, "RotateToken", "true")).toList(),
                start, 1, 1), List.of()));
        RunResultsService oneSecondIn = new RunResultsService(store, null,
                new JsonLog(new PrintStream(OutputStream.nullOutputStream())),
                java.time.Clock.fixed(start.plusSeconds(1), java.time.ZoneOffset.UTC));
        LoadedStack first = oneSecondIn.load(new LoadPlannedStackInput("exec-1", 0));
        assertThat(first.waitUntil()).as("passed: the Wait ends at once").isEqualTo("2025-12-31T23:59:55Z");
        assertThat(first.slot()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(first.targetSlot()).as("phase 2: 4 x pollSeconds later, point 4").isEqualTo("2026-01-01T00:00:04.444Z");
        LoadedStack inPlace = oneSecondIn.load(new LoadPlannedStackInput("exec-1", 9));
        assertThat(inPlace.waitUntil()).as("5 s before point 17, to the second").isEqualTo("2026-01-01T00:00:13Z");
        assertThat(inPlace.targetSlot()).as("its one update").isEqualTo(inPlace.slot())
                .isEqualTo("2026-01-01T00:00:18.888Z");
    }

    @Test
    void everyEndingMapsToItsOutcomeAndProblemOutcomesCarryAnAction() {
        Map<Ending, Outcome> expected = new EnumMap<>(Map.ofEntries(
                Map.entry(Ending.ROTATED, Outcome.ROTATED),
                Map.entry(Ending.NO_RESOURCE_CHANGE, Outcome.UNCHANGED),
                Map.entry(Ending.PHASE1_FAILED, Outcome.FAILED),
                Map.entry(Ending.PHASE1_ROLLED_BACK, Outcome.FAILED),
                Map.entry(Ending.STACK_DELETED, Outcome.SKIPPED),
                Map.entry(Ending.LOAD_FAILED, Outcome.FAILED),
                Map.entry(Ending.PHASE1_STUCK, Outcome.NEEDS_ATTENTION),
                Map.entry(Ending.PHASE2_STUCK, Outcome.NEEDS_ATTENTION),
                Map.entry(Ending.PHASE2_NO_CHANGE, Outcome.NEEDS_ATTENTION),
                Map.entry(Ending.RESTORE_EXHAUSTED, Outcome.NEEDS_ATTENTION),
                Map.entry(Ending.TIMED_OUT, Outcome.NEEDS_ATTENTION),
                Map.entry(Ending.STATUS_UNKNOWN, Outcome.NEEDS_ATTENTION)));
        assertThat(expected.keySet()).as("every RotateToken ending has an expected outcome")
                .containsExactlyInAnyOrderElementsOf(EnumSet.complementOf(EnumSet.of(Ending.IN_PLACE_NOT_APPLIED)));
        plan(Ending.values().length, List.of());
        for (Ending ending : expected.keySet()) {
            StackResult r = record(ending.ordinal(), ending,
                    status(ending.ordinal(), "UPDATE_COMPLETE", StatusClass.SETTLED, "true", null), null, 0);
            assertThat(r.outcome()).as(ending.name()).isEqualTo(expected.get(ending));
            assertThat(r.reason()).as(ending.name()).isNotBlank();
            if (r.outcome() == Outcome.FAILED || r.outcome() == Outcome.NEEDS_ATTENTION) {
                assertThat(r.action()).as(ending.name()).isNotBlank();
            }
        }
    }

    /** An in-place stack is never without its resources: nothing it ends with claims they may be gone. */
    @Test
    void inPlaceEndingsAreFailedWhenTheStackKeptItsOldValueAndPhaseOneEndingsAreRefused() {
        Map<Ending, Outcome> expected = new EnumMap<>(Map.of(
                Ending.ROTATED, Outcome.ROTATED,
                Ending.IN_PLACE_NOT_APPLIED, Outcome.FAILED,
                Ending.PHASE2_NO_CHANGE, Outcome.FAILED,
                Ending.STATUS_UNKNOWN, Outcome.FAILED,
                Ending.LOAD_FAILED, Outcome.FAILED,
                Ending.PHASE2_STUCK, Outcome.NEEDS_ATTENTION,
                Ending.TIMED_OUT, Outcome.NEEDS_ATTENTION,
                Ending.STACK_DELETED, Outcome.SKIPPED));
        String version = "a1b2c3d4-0000-4000-8000-00000000000" + "1";
        plan(Ending.values().length, List.of());
        for (Ending ending : Ending.values()) {
            RecordResultInput in = new RecordResultInput("exec-1", ending.ordinal(), ending,
                    new StackRef("app-" + ending.ordinal(), id(ending.ordinal())), null,
                    status(ending.ordinal(), "UPDATE_ROLLBACK_COMPLETE", StatusClass.ROLLED_BACK, "old-version-id",
                            "Service Unavailable"), null, DeploymentSettings.DEFAULTS.runSettings(),
                    new RestoreState(0, 0), null, Convention.IN_PLACE, "TokenVersion", version);
            if (!expected.containsKey(ending)) {
                assertThatThrownBy(() -> service.record(in)).as(ending.name())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("in-place");
                continue;
            }
            StackResult r = service.record(in);
            assertThat(r.outcome()).as(ending.name()).isEqualTo(expected.get(ending));
            assertThat(r.convention()).isEqualTo(Convention.IN_PLACE);
            assertThat(r.reason()).as(ending.name()).doesNotContain("RotateToken").doesNotContain("may be gone");
            if (r.outcome() == Outcome.FAILED) {
                assertThat(r.reason()).as(ending.name()).contains("nothing was deleted");
                assertThat(r.action()).as(ending.name()).isNotBlank();
            }
        }
        assertThat(service.record(new RecordResultInput("exec-1", 0, Ending.IN_PLACE_NOT_APPLIED,
                new StackRef("app-0", id(0)), null, null, null, null, null, null, Convention.IN_PLACE, "TokenVersion",
                version)).reason()).contains("TokenVersion=" + version);
    }

    @Test
    void aStackThatCouldNotBeLoadedIsJudgedByWhatThePlanFound() {
        store.savePlan(new Plan("exec-1", "RotateToken", "TokenVersion", null, null, List.of(
                new PlannedStack(0, "app-0", id(0), "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true"),
                new PlannedStack(1, "app-1", id(1), "UPDATE_ROLLBACK_COMPLETE", "false", Convention.ROTATE_TOKEN, "RotateToken", "true")), List.of()));
        CaughtError error = new CaughtError("io.tokenrotator.errors.AwsUnavailableException", "S3 unavailable");
        StackResult atTrue = service.record(new RecordResultInput("exec-1", 0, Ending.LOAD_FAILED, null, null, null,
                error, DeploymentSettings.DEFAULTS.runSettings(), new RestoreState(0, 0), null, null, null, null));
        StackResult atFalse = service.record(new RecordResultInput("exec-1", 1, Ending.LOAD_FAILED, null, null, null,
                error, DeploymentSettings.DEFAULTS.runSettings(), new RestoreState(0, 0), null, null, null, null));
        assertThat(atTrue.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(atTrue.reason()).contains("at true with its resources");
        assertThat(atFalse.outcome()).as("the plan found it at false: its resources may be gone")
                .isEqualTo(Outcome.NEEDS_ATTENTION);
        assertThat(atFalse.reason()).contains("RotateToken=false");
        assertThat(atFalse.action()).contains("./token-rotator start --secret");
    }

    @Test
    void aStackDeletedDuringTheRunIsReportedAsDeletedWithNoActionToTake() {
        plan(1, List.of());
        StackResult r = record(0, Ending.STACK_DELETED, status(0, "DOES_NOT_EXIST", StatusClass.DELETED, null,
                "CloudFormation reports that the stack does not exist"), null, 0);
        assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(r.reason()).contains("deleted during the run").doesNotContain("ContinueUpdateRollback");
        assertThat(r.action()).isNull();
    }

    @Test
    void recordingAResultReleasesTheRunsLeaseOnTheStackButNotAnotherRunsLease() {
        plan(2, List.of());
        leases.acquire(id(0), "exec-1", java.time.Duration.ofHours(1));
        leases.acquire(id(1), "exec-other", java.time.Duration.ofHours(1));
        record(0, Ending.ROTATED, status(0, "UPDATE_COMPLETE", StatusClass.SETTLED, "true", null), null, 0);
        record(1, Ending.PHASE1_FAILED, status(1, "UPDATE_COMPLETE", StatusClass.SETTLED, "true", null), null, 0);
        assertThat(leases.acquire(id(0), "exec-2", java.time.Duration.ofHours(1))).as("released").isEmpty();
        assertThat(leases.acquire(id(1), "exec-2", java.time.Duration.ofHours(1))).as("still the other run's")
                .hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("exec-other"));
    }

    @ParameterizedTest
    @EnumSource(value = Ending.class, names = {"PHASE1_STUCK", "PHASE2_STUCK", "PHASE2_NO_CHANGE", "RESTORE_EXHAUSTED",
            "TIMED_OUT", "STATUS_UNKNOWN"})
    void endingsThatMayLeaveTheStackAtFalseNeedAttention(Ending ending) {
        plan(1, List.of());
        assertThat(record(0, ending, status(0, "UPDATE_ROLLBACK_COMPLETE", StatusClass.ROLLED_BACK, "false", "x"),
                null, 3).outcome()).isEqualTo(Outcome.NEEDS_ATTENTION);
    }

    @Test
    void aRestoreThatGaveUpSaysWhyAndWhatToDo() {
        plan(1, List.of());
        StackResult r = record(0, Ending.RESTORE_EXHAUSTED, status(0, "UPDATE_ROLLBACK_COMPLETE",
                StatusClass.ROLLED_BACK, "false", "Resource handler returned message: \"Limit exceeded\""), null, 3);

        assertThat(r.outcome()).isEqualTo(Outcome.NEEDS_ATTENTION);
        assertThat(r.reason()).contains("4 attempt(s)").contains("Limit exceeded").contains("at false");
        assertThat(r.action()).contains("RotateToken=true");
        assertThat(r.parameterValue()).isEqualTo("false");
    }

    @Test
    void aRefusedPhaseOneIsFailedWithTheErrorNamed() {
        plan(1, List.of());
        StackResult r = record(0, Ending.PHASE1_FAILED, status(0, "UPDATE_COMPLETE", StatusClass.SETTLED, "true", null),
                new CaughtError("io.tokenrotator.errors.StackNotUpdatableException", "stack app-0: policy"), 0);

        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r.reason()).contains("StackNotUpdatableException").contains("policy").contains("not changed");
    }

    @Test
    void summarizesCountsProblemStacksFirstAndFailsNamingThem() {
        plan(4, List.of(new SkippedStack("nested", "id", SkipReason.NESTED_STACK, "nested in root", "true",
                "CREATE_COMPLETE")));
        record(0, Ending.ROTATED, status(0, "UPDATE_COMPLETE", StatusClass.SETTLED, "true", null), null, 0);
        record(1, Ending.RESTORE_EXHAUSTED, status(1, "UPDATE_ROLLBACK_COMPLETE", StatusClass.ROLLED_BACK, "false",
                "boom"), null, 3);
        record(2, Ending.PHASE1_ROLLED_BACK, status(2, "UPDATE_ROLLBACK_COMPLETE", StatusClass.ROLLED_BACK, "true",
                "denied"), null, 0);
        // app-3's per-stack execution died before recording anything

        RunReport report = service.summarize(new SummarizeInput("exec-1"));

        assertThat(report.counts()).containsEntry(Outcome.ROTATED, 1).containsEntry(Outcome.FAILED, 1)
                .containsEntry(Outcome.NEEDS_ATTENTION, 2).containsEntry(Outcome.SKIPPED, 1)
                .containsEntry(Outcome.UNCHANGED, 0);
        assertThat(report.stacks()).extracting(StackResult::stackName)
                .containsExactly("app-1", "app-3", "app-2", "nested", "app-0");
        assertThat(report.stacks().get(1).reason()).contains("no result was recorded");
        assertThat(report.failed()).isTrue();
        assertThat(report.cause()).contains("2 stack(s) NEED ATTENTION, 1 FAILED").contains("app-1").contains("app-2")
                .contains("app-3").doesNotContain("app-0:");
        assertThat(report.reportLocation()).isEqualTo("memory://runs/exec-1/report.json");
        assertThat(store.report("exec-1").stacks()).hasSize(5);
    }

    @Test
    void theReportsReRunActionNamesTheRunsSecret() {
        store.savePlan(new Plan("exec-1", "RotateToken", "TokenVersion", new io.tokenrotator.contract.SecretSummary(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/api-token-AbCdEf", "prod/api-token",
                "00000000-0000-4000-8000-000000000002", List.of("AWSCURRENT")), null,
                List.of(new PlannedStack(0, "app-0", id(0), "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true")), List.of()));
        record(0, Ending.RESTORE_EXHAUSTED, status(0, "UPDATE_ROLLBACK_COMPLETE", StatusClass.ROLLED_BACK, "false",
                "boom"), null, 3);

        RunReport report = service.summarize(new SummarizeInput("exec-1"));

        assertThat(report.stacks().get(0).action()).contains("./token-rotator start --secret prod/api-token ")
                .doesNotContain("<secret>");
    }

    @Test
    void aNeverUpdatableStackLeftAtFalseNeedsAttentionInsteadOfBeingSkipped() {
        plan(0, List.of(
                new SkippedStack("stuck-false", "id-1", SkipReason.NOT_UPDATABLE, "in UPDATE_ROLLBACK_FAILED, which can"
                        + " not be updated", "false", "UPDATE_ROLLBACK_FAILED"),
                new SkippedStack("stuck-true", "id-2", SkipReason.NOT_UPDATABLE, "in ROLLBACK_COMPLETE", "true",
                        "ROLLBACK_COMPLETE"),
                new SkippedStack("created-false", "id-4", SkipReason.NOT_UPDATABLE, "in ROLLBACK_COMPLETE", "false",
                        "ROLLBACK_COMPLETE"),
                new SkippedStack("other-team", "id-3", SkipReason.PREFIX_MISMATCH, "name does not start with 'a'",
                        "false", "UPDATE_COMPLETE")));

        RunReport report = service.summarize(new SummarizeInput("exec-1"));

        assertThat(report.stacks()).extracting(StackResult::stackName, StackResult::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("created-false", Outcome.NEEDS_ATTENTION),
                org.assertj.core.groups.Tuple.tuple("stuck-false", Outcome.NEEDS_ATTENTION),
                org.assertj.core.groups.Tuple.tuple("other-team", Outcome.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("stuck-true", Outcome.SKIPPED));
        assertThat(report.stacks().get(1).reason()).contains("RotateToken=false").contains("UPDATE_ROLLBACK_FAILED");
        // the repair fits the status: ContinueUpdateRollback only helps a rollback that failed
        assertThat(report.stacks().get(1).action()).contains("ContinueUpdateRollback");
        assertThat(report.stacks().get(0).action()).contains("delete the stack and create it again")
                .doesNotContain("ContinueUpdateRollback");
        assertThat(report.failed()).isTrue();
        assertThat(report.cause()).contains("stuck-false");
    }

    @Test
    void aCleanRunDoesNotFail() {
        plan(2, List.of());
        record(0, Ending.ROTATED, status(0, "UPDATE_COMPLETE", StatusClass.SETTLED, "true", null), null, 0);
        record(1, Ending.NO_RESOURCE_CHANGE, status(1, "UPDATE_COMPLETE", StatusClass.SETTLED, "true", null), null, 0);

        RunReport report = service.summarize(new SummarizeInput("exec-1"));

        assertThat(report.failed()).isFalse();
        assertThat(report.cause()).isNull();
        assertThat(report.counts()).containsEntry(Outcome.ROTATED, 1).containsEntry(Outcome.UNCHANGED, 1);
    }

    @Test
    void theReportFitsThePayloadLimitAtFiveThousandStacks() {
        plan(5000, List.of());
        for (int i = 0; i < 5000; i++) {
            record(i, i % 10 == 0 ? Ending.RESTORE_EXHAUSTED : Ending.ROTATED,
                    status(i, "UPDATE_COMPLETE", StatusClass.SETTLED, "true", "a fairly long reason string " + i), null, 3);
        }

        RunReport report = service.summarize(new SummarizeInput("exec-1"));

        assertThat(Json.write(report).getBytes(StandardCharsets.UTF_8).length).isLessThan(256 * 1024 - 16 * 1024);
        assertThat(report.stacks().size() + report.stacksOmitted()).isEqualTo(5000);
        assertThat(report.stacks().get(0).outcome()).isEqualTo(Outcome.NEEDS_ATTENTION);
        assertThat(report.cause().length()).isLessThanOrEqualTo(RunResultsService.CAUSE_LIMIT_CHARS);
        assertThat(report.cause()).contains("more in the full report");
        assertThat(store.report("exec-1").stacks()).hasSize(5000);
    }
}
