package io.tokenrotator.contract;

/**
 * Output of Load Planned Stack: the planned stack, and {@code waitSeconds}, how long its execution waits before the
 * first update so that it starts in its slot ({@link PlannedStack#notBefore()}; 0 when the slot has passed).
 */
public record LoadedStack(int index, String stackName, String stackId, String status, String parameterValue,
                          Convention convention, String parameterName, String target, String notBefore,
                          int waitSeconds) {
    public static LoadedStack of(PlannedStack p, int waitSeconds) {
        return new LoadedStack(p.index(), p.stackName(), p.stackId(), p.status(), p.parameterValue(), p.convention(),
                p.parameterName(), p.target(), p.notBefore(), waitSeconds);
    }
}
