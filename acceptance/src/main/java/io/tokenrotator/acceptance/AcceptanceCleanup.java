package io.tokenrotator.acceptance;

import io.tokenrotator.acceptance.AcceptanceAws.StackResource;
import io.tokenrotator.acceptance.AcceptanceAws.StackState;
import io.tokenrotator.acceptance.AcceptanceReport.Cleanup;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Deletes everything a run created, found again by its names (so it also works as {@code --cleanup <run id>} after
 * an interrupted run): the consumer stacks and the Token Rotator stack, then the base stack (the consumers need its
 * service role to be deleted), then Token Rotator's retained buckets (run bucket, trail bucket), then the secret
 * without a recovery window. Every item is attempted; each failure is reported, none stops the others.
 */
public final class AcceptanceCleanup {
    static final Duration STACK_TIMEOUT = Duration.ofMinutes(30);

    private final AcceptanceAws aws;
    private final RunNames names;
    private final Waiter waiter;
    private final PrintStream log;
    private final List<Cleanup> done = new ArrayList<>();

    public AcceptanceCleanup(AcceptanceAws aws, RunNames names, PrintStream log) {
        this(aws, names, Waiter.realTime(AcceptanceRun.POLL), log);
    }

    AcceptanceCleanup(AcceptanceAws aws, RunNames names, Waiter waiter, PrintStream log) {
        this.aws = aws;
        this.names = names;
        this.waiter = waiter;
        this.log = log;
    }

    /** @param runningExecution the run's execution, stopped first if it still runs (it would update the consumers) */
    public List<Cleanup> run(Optional<String> runningExecution) {
        log.println("Cleaning up run " + names.runId() + " ...");
        runningExecution.ifPresent(this::stopIfRunning);
        List<String> first = new ArrayList<>();
        for (Consumer c : Consumer.values()) {
            first.add(names.consumerStack(c));
        }
        first.add(names.rotatorStack());
        Set<String> buckets = new LinkedHashSet<>();
        attempt("list the buckets of " + names.rotatorStack(), () -> {
            if (aws.stack(names.rotatorStack()).isPresent()) {
                aws.resources(names.rotatorStack()).stream().filter(r -> "AWS::S3::Bucket".equals(r.type()))
                        .map(StackResource::physicalId).filter(Objects::nonNull).forEach(buckets::add);
            }
        }, false);
        List<String> deleting = first.stream().filter(this::startDelete).toList();
        deleting.forEach(this::awaitDeleted);
        List<String> remaining = first.stream().filter(s -> !s.equals(names.rotatorStack()))
                .filter(s -> !gone(s)).toList();
        if (remaining.isEmpty()) {
            if (startDelete(names.baseStack())) {
                awaitDeleted(names.baseStack());
            }
        } else if (!gone(names.baseStack())) {
            done.add(new Cleanup("stack " + names.baseStack(), false, "kept: " + String.join(", ", remaining)
                    + " still exist(s) and need its service role to be deleted"));
        }
        attempt("find buckets named " + names.prefix() + "*", () -> buckets.addAll(aws.bucketsStartingWith(names.prefix())),
                false);
        for (String bucket : buckets) {
            attempt("bucket " + bucket + " (emptied and deleted)", () -> aws.emptyAndDeleteBucket(bucket), true);
        }
        attempt("secret " + names.secretName() + " (deleted without recovery)", () ->
                aws.secretArn(names.secretName()).ifPresent(aws::deleteSecretNow), true);
        return List.copyOf(done);
    }

    /** False also when CloudFormation cannot be asked: then the stack may still be there. */
    private boolean gone(String stack) {
        try {
            return aws.stack(stack).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void stopIfRunning(String executionArn) {
        attempt("stop execution " + executionArn, () -> {
            if (aws.executionStatus(executionArn).filter("RUNNING"::equals).isPresent()) {
                aws.stopExecution(executionArn, "the acceptance test is cleaning up");
                done.add(new Cleanup("stopped execution " + executionArn, true, null));
            }
        }, false);
    }

    /** Waits for the stack to settle (a rotation may still be updating it), then deletes it; false if absent. */
    private boolean startDelete(String stack) {
        try {
            Optional<StackState> state = aws.stack(stack);
            if (state.isEmpty()) {
                return false;
            }
            if (state.get().status().endsWith("_IN_PROGRESS") && !state.get().status().startsWith("DELETE_")) {
                waiter.until("stack " + stack + " to settle before deletion", STACK_TIMEOUT,
                        () -> aws.stack(stack).filter(s -> !s.status().endsWith("_IN_PROGRESS")));
            }
            aws.deleteStack(stack);
            return true;
        } catch (RuntimeException e) {
            done.add(new Cleanup("stack " + stack, false, String.valueOf(e.getMessage())));
            return false;
        }
    }

    private void awaitDeleted(String stack) {
        attempt("stack " + stack, () -> {
            StackState end = waiter.until("stack " + stack + " to be deleted", STACK_TIMEOUT, () -> {
                Optional<StackState> s = aws.stack(stack);
                return s.isEmpty() ? Optional.of(new StackState("DELETE_COMPLETE", null, Map.of(), Map.of()))
                        : s.filter(x -> !x.status().endsWith("_IN_PROGRESS"));
            });
            if (!"DELETE_COMPLETE".equals(end.status())) {
                throw new IllegalStateException(end.status() + aws.firstFailure(stack).map(f -> " (" + f + ")").orElse(""));
            }
        }, true);
    }

    /** Runs one cleanup action; records it (when {@code record}, or when it failed). */
    private void attempt(String what, Runnable action, boolean record) {
        try {
            action.run();
            if (record) {
                done.add(new Cleanup(what, true, null));
            }
        } catch (RuntimeException e) {
            done.add(new Cleanup(what, false, String.valueOf(e.getMessage())));
        }
    }
}
