package io.tokenrotator.service;

import io.tokenrotator.contract.RunSettings;
import io.tokenrotator.contract.StackRef;
import io.tokenrotator.contract.StackStatusInput;
import io.tokenrotator.contract.StackStatusOutput;
import io.tokenrotator.contract.StatusClass;
import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.port.StackDescription;
import io.tokenrotator.settings.DeploymentSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads one stack's status and the rotation parameter's current value, and says when to check it again
 * ({@link CheckSchedule}), from the same DescribeStacks answer: no extra call.
 */
public final class StackStatusService {
    private final CloudFormationPort cloudFormation;
    private final Clock clock;

    /** {@code clock} measures how long the stack's update has run, against CloudFormation's LastUpdatedTime. */
    public StackStatusService(CloudFormationPort cloudFormation, Clock clock) {
        this.cloudFormation = cloudFormation;
        this.clock = clock;
    }

    public StackStatusOutput status(StackStatusInput input) {
        StackRef stack = InputRules.stack(input == null ? null : input.stack());
        String parameterName = InputRules.parameterName(input.parameterName());
        Integer expected = InputRules.expectedSeconds(input.expectedSeconds());
        Instant nextUpdateAt = InputRules.instant("nextUpdateAt", input.nextUpdateAt());
        RunSettings settings = input.settings() == null ? DeploymentSettings.DEFAULTS.runSettings()
                : InputRules.settings("settings", input.settings());
        int checksLeft = settings.maxPolls() - 1 - InputRules.checksMade(input.checksMade());
        Schedule schedule = new Schedule(expected, settings, checksLeft);
        return cloudFormation.describeStack(stack.identifier())
                .map(s -> describe(s, parameterName, schedule.notBefore(nextUpdateAt == null ? 0
                        : secondsUntilLead(s, nextUpdateAt))))
                .orElseGet(() -> new StackStatusOutput(stack.stackName(), stack.stackId(),
                        StatusRules.DOES_NOT_EXIST, StatusClass.DELETED, null,
                        "CloudFormation reports that the stack does not exist", 0, schedule.next(0)));
    }

    /** What times the next check, besides the elapsed time. */
    private record Schedule(Integer expected, RunSettings settings, int checksLeft, long notBefore) {
        Schedule(Integer expected, RunSettings settings, int checksLeft) {
            this(expected, settings, checksLeft, 0);
        }

        /** The same schedule, whose next check comes no earlier than {@code elapsed} seconds into the update. */
        Schedule notBefore(long elapsed) {
            return new Schedule(expected, settings, checksLeft, elapsed);
        }

        int next(long elapsed) {
            int next = CheckSchedule.nextCheckSeconds(elapsed, expected, settings.pollSeconds(),
                    settings.maxWaitSecondsPerPhase(), checksLeft);
            long untilPoint = Math.min(notBefore, settings.maxWaitSecondsPerPhase()) - elapsed;
            return next == 0 || untilPoint <= next ? next : (int) untilPoint;
        }
    }

    private StackStatusOutput describe(StackDescription s, String parameterName, Schedule schedule) {
        StatusClass classification = StatusRules.classify(s.status());
        boolean failed = classification != StatusClass.SETTLED && classification != StatusClass.IN_PROGRESS;
        long elapsed = elapsedSeconds(s);
        return new StackStatusOutput(s.name(), s.id(), s.status(), classification,
                s.parameters().get(parameterName), failed ? s.statusReason() : null, elapsed, schedule.next(elapsed));
    }

    /**
     * From the update's start until {@link StartSlots#LEAD} before the next update's point: phase 1 is not checked
     * before then (phase 2 could not go earlier), then as usual.
     */
    private static long secondsUntilLead(StackDescription s, Instant nextUpdateAt) {
        Instant started = s.lastUpdatedTime() != null ? s.lastUpdatedTime() : s.creationTime();
        return started == null ? 0 : Duration.between(started, nextUpdateAt.minus(StartSlots.LEAD)).getSeconds();
    }

    /** Since the stack's last operation started; never negative (the two clocks may differ by a little). */
    private long elapsedSeconds(StackDescription s) {
        Instant started = s.lastUpdatedTime() != null ? s.lastUpdatedTime() : s.creationTime();
        return started == null ? 0 : Math.max(0, Duration.between(started, clock.instant()).getSeconds());
    }
}
