package io.tokenrotator.contract;

/**
 * Output of Load Planned Stack: the planned stack; {@code slot}, the slot it aims at (its own,
 * {@link PlannedStack#notBefore()}, or its late slot when it loaded after that; always present), which Update Stack
 * sends its updates by; and {@code waitSeconds}, how long its execution waits before the first update: the whole
 * seconds until that slot, rounded down (0 once it has passed).
 */
public record LoadedStack(int index, String stackName, String stackId, String status, String parameterValue,
                          Convention convention, String parameterName, String target, String notBefore,
                          String slot, int waitSeconds) {
    public static LoadedStack of(PlannedStack p, String slot, int waitSeconds) {
        return new LoadedStack(p.index(), p.stackName(), p.stackId(), p.status(), p.parameterValue(), p.convention(),
                p.parameterName(), p.target(), p.notBefore(), slot, waitSeconds);
    }
}
