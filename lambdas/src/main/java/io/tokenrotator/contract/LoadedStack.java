package io.tokenrotator.contract;

/**
 * Output of Load Planned Stack: the planned stack, {@code waitUntil}, until when its execution waits before the first
 * update (an ISO-8601 instant to the second, a little before its slot; it may have passed), and the points its updates
 * are sent at ({@link io.tokenrotator.service.StartSlots}): {@code slot}, the first update's (phase 1, or the in-place update),
 * and {@code targetSlot}, the update's that sets the target value (phase 2, or the in-place update: the slot again).
 * {@code lateSlot} and {@code lateTargetSlot} are where those updates go if they come too late for their points
 * ({@link io.tokenrotator.service.StartSlots#points}). All are ISO-8601 instants to the millisecond, its own or its
 * late ones, and always present (the load time for a stack planned without a slot) so the workflow's paths always
 * find them.
 */
public record LoadedStack(int index, String stackName, String stackId, String status, String parameterValue,
                          Convention convention, String parameterName, String target, String slot,
                          String targetSlot, String lateSlot, String lateTargetSlot, String waitUntil) {
}
