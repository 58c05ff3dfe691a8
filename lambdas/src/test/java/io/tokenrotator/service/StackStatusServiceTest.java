package io.tokenrotator.service;

import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.contract.StackStatusInput;
import io.tokenrotator.contract.StackStatusOutput;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.contract.UpdateStackInput;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.testing.SimulatedAws;
import io.tokenrotator.simulator.ConsumerTemplates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackStatusServiceTest {
    private final SimulatedAws aws = new SimulatedAws();
    private final StackStatusService service = new StackStatusService(aws.cloudFormationPort(), aws.clock.asJavaClock());
    private final UpdateStackService updates = new UpdateStackService(aws.cloudFormationPort(), aws.runStore(), aws.leases,
            new JsonLog(new PrintStream(OutputStream.nullOutputStream())));

    StackStatusServiceTest() {
        aws.secrets.createSecret("prod/api-token", "s3cr3t-value-1");
    }

    @AfterEach
    void close() {
        aws.close();
    }

    private StackStatusOutput status(StackRef stack) {
        return service.status(new StackStatusInput(stack, null));
    }

    @ParameterizedTest
    @CsvSource({
            "CREATE_COMPLETE, SETTLED", "UPDATE_COMPLETE, SETTLED", "IMPORT_COMPLETE, SETTLED",
            "UPDATE_IN_PROGRESS, IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, IN_PROGRESS",
            "UPDATE_ROLLBACK_IN_PROGRESS, IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS, IN_PROGRESS",
            "CREATE_IN_PROGRESS, IN_PROGRESS", "IMPORT_IN_PROGRESS, IN_PROGRESS",
            "UPDATE_ROLLBACK_COMPLETE, ROLLED_BACK", "IMPORT_ROLLBACK_COMPLETE, ROLLED_BACK",
            "UPDATE_FAILED, ROLLED_BACK",
            "UPDATE_ROLLBACK_FAILED, FAILED", "ROLLBACK_COMPLETE, FAILED", "ROLLBACK_FAILED, FAILED",
            "DELETE_FAILED, FAILED", "DELETE_COMPLETE, DELETED", "DELETE_IN_PROGRESS, DELETED", "DOES_NOT_EXIST, DELETED",
            "REVIEW_IN_PROGRESS, FAILED", "CREATE_FAILED, FAILED"})
    void classifiesEveryStackStatus(String status, StatusClass expected) {
        assertThat(StatusRules.classify(status)).isEqualTo(expected);
    }

    @Test
    void followsAnUpdateFromInProgressToSettledWithTheNewValue() {
        String id = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
        StackRef app = new StackRef("app", id);
        assertThat(status(app)).extracting(StackStatusOutput::classification, StackStatusOutput::parameterValue)
                .containsExactly(StatusClass.SETTLED, "true");

        updates.update(new UpdateStackInput("run-1", app, "false", null, null));
        assertThat(status(app).classification()).isEqualTo(StatusClass.IN_PROGRESS);
        aws.advance(Duration.ofSeconds(61));
        assertThat(status(app).status()).isEqualTo("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
        assertThat(status(app).classification()).isEqualTo(StatusClass.IN_PROGRESS);
        aws.advance(Duration.ofSeconds(10));

        StackStatusOutput settled = status(app);
        assertThat(settled.status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(settled.classification()).isEqualTo(StatusClass.SETTLED);
        assertThat(settled.parameterValue()).isEqualTo("false");
        assertThat(settled.statusReason()).isNull();
    }

    @Test
    void timesTheNextCheckFromTheUpdatesStartAsCloudFormationReportsIt() {
        String id = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"),
                Map.of(), List.of(), null, null, null, Duration.ofMinutes(10), null));
        StackRef app = new StackRef("app", id);
        aws.advance(Duration.ofHours(3)); // created long ago: only the update's own start counts
        updates.update(new UpdateStackInput("run-1", app, "false", null, null));
        RunSettings settings = DeploymentSettings.DEFAULTS.runSettings();

        aws.advance(Duration.ofSeconds(20));
        StackStatusOutput noExpectation = service.status(new StackStatusInput(app, null, null, settings, 1));
        assertThat(noExpectation.elapsedSeconds()).isEqualTo(20);
        assertThat(noExpectation.nextCheckSeconds()).as("a quarter of the elapsed time, the floor")
                .isEqualTo(CheckSchedule.FLOOR_SECONDS);
        StackStatusOutput expected = service.status(new StackStatusInput(app, null, 600, settings, 1));
        assertThat(expected.nextCheckSeconds()).as("until the expected end").isEqualTo(580);

        aws.advance(Duration.ofSeconds(630)); // 650 s: in the 60 s of cleanup
        StackStatusOutput cleanup = service.status(new StackStatusInput(app, null, 600, settings, 1));
        assertThat(cleanup.classification()).isEqualTo(StatusClass.IN_PROGRESS);
        assertThat(cleanup.nextCheckSeconds()).as("past the expectation: at most pollSeconds")
                .isEqualTo(settings.pollSeconds());

        aws.advance(Duration.ofSeconds(settings.maxWaitSecondsPerPhase()));
        assertThat(service.status(new StackStatusInput(app, null, 600, settings, 1)).elapsedSeconds())
                .as("the settled update's duration so far, from the same start").isEqualTo(650 + settings.maxWaitSecondsPerPhase());
    }

    @Test
    void phase1sCheckComesFiveSecondsBeforeThePointReservedForPhase2() {
        String id = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"),
                Map.of(), List.of(), null, null, null, Duration.ofSeconds(60), null));
        StackRef app = new StackRef("app", id);
        updates.update(new UpdateStackInput("run-1", app, "false", null, null));
        java.time.Instant started = aws.clock.asJavaClock().instant();
        RunSettings settings = DeploymentSettings.DEFAULTS.runSettings();
        String phase2At = started.plusSeconds(80).toString();

        aws.advance(Duration.ofSeconds(20));
        assertThat(service.status(new StackStatusInput(app, null, null, settings, 0, phase2At)).nextCheckSeconds())
                .as("checked at 75 s, five seconds before phase 2's point").isEqualTo(55);
        assertThat(service.status(new StackStatusInput(app, null, 90, settings, 0, phase2At)).nextCheckSeconds())
                .as("a later expected end wins").isEqualTo(70);
        assertThat(service.status(new StackStatusInput(app, null, null, settings, 0, started.plusSeconds(10).toString()))
                .nextCheckSeconds()).as("a point already passed: backs off as without one")
                .isEqualTo(service.status(new StackStatusInput(app, null, null, settings, 0)).nextCheckSeconds());
        aws.advance(Duration.ofSeconds(60)); // 80 s: past the point, still updating: backs off as without one
        assertThat(service.status(new StackStatusInput(app, null, null, settings, 0, phase2At)).nextCheckSeconds())
                .isEqualTo(service.status(new StackStatusInput(app, null, null, settings, 0)).nextCheckSeconds());
        assertThatThrownBy(() -> service.status(new StackStatusInput(app, null, null, settings, 0, "soon")))
                .hasMessage("invalid input: nextUpdateAt: expected an ISO-8601 instant such as 2026-01-01T00:00:00.500Z,"
                        + " got \"soon\"");
    }

    @Test
    void aStackNeverUpdatedCountsFromItsCreationAndNoCheckIsScheduledOnceThePhasesTimeIsUsedUp() {
        String id = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
        RunSettings settings = new RunSettings(10, 20, 6, 0, 60); // 120 s a phase
        aws.advance(Duration.ofSeconds(100));
        StackStatusOutput out = service.status(new StackStatusInput(new StackRef("app", id), null, null, settings, 0));
        assertThat(out.elapsedSeconds()).isEqualTo(100);
        assertThat(out.nextCheckSeconds()).as("the rest of the phase's 120 s").isEqualTo(20);
        aws.advance(Duration.ofSeconds(20));
        assertThat(service.status(new StackStatusInput(new StackRef("app", id), null, null, settings, 0)).nextCheckSeconds())
                .isZero();
    }

    @Test
    void aRolledBackUpdateReportsTheReasonAndThePreviousValue() {
        String id = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
        aws.cloudFormation.failUpdates("app", "RotateToken", "false", 1, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: \"Rate exceeded\"");
        StackRef app = new StackRef("app", id);

        updates.update(new UpdateStackInput("run-1", app, "false", null, null));
        aws.advance(Duration.ofMinutes(5));

        StackStatusOutput out = status(app);
        assertThat(out.status()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
        assertThat(out.classification()).isEqualTo(StatusClass.ROLLED_BACK);
        assertThat(out.parameterValue()).isEqualTo("true");
        assertThat(out.statusReason()).contains("Rate exceeded");
        assertThat(aws.cloudFormation.inspect("app").resources()).containsKey("ApiConnection");
    }

    @Test
    void aRollbackThatFailsIsFailedWithItsReason() {
        String id = aws.cloudFormation.createStack(new StackSpec("app", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
        aws.cloudFormation.failUpdates("app", "RotateToken", "true", 1, CloudFormationModel.FailureMode.ROLLBACK_FAILED,
                "Resource handler returned message: \"Access denied\"");
        StackRef app = new StackRef("app", id);
        updates.update(new UpdateStackInput("run-1", app, "false", null, null));
        aws.advance(Duration.ofMinutes(5));
        updates.update(new UpdateStackInput("run-1", app, "true", null, null));
        aws.advance(Duration.ofMinutes(5));

        StackStatusOutput out = status(app);
        assertThat(out.status()).isEqualTo("UPDATE_ROLLBACK_FAILED");
        assertThat(out.classification()).isEqualTo(StatusClass.FAILED);
        assertThat(out.parameterValue()).isEqualTo("false");
        assertThat(out.statusReason()).contains("Access denied");
    }

    @Test
    void aStackThatNoLongerExistsIsDeleted() {
        String id = aws.cloudFormation.createStack(new StackSpec("gone", ConsumerTemplates.rotating("prod/api-token"), Map.of()));
        aws.cloudFormation.deleteStack("gone");

        assertThat(status(new StackRef("gone", id)).classification()).isEqualTo(StatusClass.DELETED);
        assertThat(status(new StackRef("gone", id)).status()).isEqualTo("DELETE_COMPLETE");
        assertThat(status(new StackRef("gone", null)).status()).as("by name: CloudFormation no longer finds it")
                .isEqualTo("DOES_NOT_EXIST");
        assertThat(status(new StackRef("gone", null)).classification()).isEqualTo(StatusClass.DELETED);
    }

    @Test
    void invalidInputNamesTheField() {
        assertThatThrownBy(() -> service.status(new StackStatusInput(null, null)))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("stack");
        assertThatThrownBy(() -> service.status(new StackStatusInput(new StackRef("x", "not-an-arn"), null)))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("stack.stackId");
        assertThatThrownBy(() -> service.status(new StackStatusInput(new StackRef("x", null), null, -1, null, null)))
                .isExactlyInstanceOf(InvalidInputException.class)
                .hasMessage("invalid input: expectedSeconds: expected an integer of at least 0, got -1");
    }

    @Test
    void busyStatusesAreNeverMistakenForUpdatableOnes() {
        assertThat(List.of("UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"))
                .allMatch(s -> !StatusRules.neverUpdatable(s));
    }

    @Test
    void updateFailedCanBeUpdatedAndDeletedStacksCannot() {
        assertThat(StatusRules.neverUpdatable("UPDATE_FAILED")).isFalse();
        assertThat(List.of("DELETE_COMPLETE", "DELETE_IN_PROGRESS", "DOES_NOT_EXIST", "UPDATE_ROLLBACK_FAILED"))
                .allMatch(StatusRules::neverUpdatable);
    }
}
