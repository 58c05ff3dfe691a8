package io.tokenrotator.credential;

import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleStage;
import io.tokenrotator.contract.CycleStep;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.port.RunStore;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.port.SecretsPort.SecretDescription;
import io.tokenrotator.service.RotationStarts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Step 3 and 4 of a cycle: propagate the new version to every consumer with the rotation workflow itself (the same
 * execution a secret change starts, named after the version, so the EventBridge trigger and the lifecycle never
 * run two), then the gate: retirement is allowed only when every stack that may hold the secret ended ROTATED
 * (or UNCHANGED: its parameter gates nothing) or was proven not to reference it (NOT_REFERENCING_SECRET). Every
 * other stack blocks, by name and reason; the old credential stays active.
 */
public final class Propagation {
    /** Closed execution statuses (DescribeExecution). */
    private static final Set<String> CLOSED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED");
    /** Outcomes after which a stack no longer holds the old credential. */
    private static final Set<Outcome> CLEAR = Set.of(Outcome.ROTATED, Outcome.UNCHANGED);
    /** Blocking stacks named in the workflow's state and the failure's cause; the record keeps them all. */
    static final int NAMED_LIMIT = 50;
    /** How often a dry run looks at its dry-run rotation, which only plans. */
    static final long DRY_RUN_POLL_SECONDS = 5;

    private final CycleBook book;
    private final SecretsPort secrets;
    private final ExecutionStarter starter;
    private final RotationStarts starts;
    private final RunStore runs;
    private final long pollSeconds;

    public Propagation(CycleBook book, SecretsPort secrets, ExecutionStarter starter, RunStore runs,
                       long pollSeconds) {
        this.book = book;
        this.secrets = secrets;
        this.starter = starter;
        this.starts = new RotationStarts(starter);
        this.runs = runs;
        this.pollSeconds = pollSeconds;
    }

    /**
     * Starts (or finds) the rotation of the new version: the first time the version's own execution, which the
     * trigger may already have started; after a blocked gate, the next attempt ({@code -r2}, ...).
     */
    public Cycle start(Cycle cycle) {
        ManagedCredential credential = book.credential(cycle);
        if (cycle.stage() == CycleStage.PROPAGATING && cycle.rotationExecution() != null && !cycle.dryRun()) {
            return cycle.at(CycleStage.PROPAGATING, CycleStep.CHECK_PROPAGATION, null).waiting(0); // resumed
        }
        SecretDescription secret = secrets.describeSecret(cycle.secretArn()).orElseThrow(() ->
                new InvalidInputException("cycle.secretArn", cycle.secretArn() + " no longer exists"));
        String version = cycle.dryRun() && cycle.newVersionId() == null
                ? secret.currentVersion().orElse("none") : cycle.newVersionId();
        RotationStarts.Result started = cycle.dryRun() || cycle.stage() == CycleStage.BLOCKED
                ? starts.startOrRerun(secret, version, null, cycle.dryRun())
                : starts.startOnce(secret, version);
        Cycle next = cycle.withRotation(started.executionName()).at(CycleStage.PROPAGATING,
                CycleStep.CHECK_PROPAGATION, null).waiting(pollSeconds);
        if (cycle.dryRun()) {
            next = next.noting("dry-run rotation " + started.executionName() + " lists the consumers");
            // the dry-run rotation only plans: look again soon, but do wait (a 0 s loop would spend history events)
            return next.polling(Math.min(pollSeconds, DRY_RUN_POLL_SECONDS));
        }
        return book.save(next, started.kind() + " rotation " + started.executionName() + " for "
                + credential.userName() + "'s new key");
    }

    /** Looks at the rotation; once it closed, applies the gate. */
    public Cycle check(Cycle cycle) {
        ManagedCredential credential = book.credential(cycle);
        String name = cycle.rotationExecution();
        Optional<String> status = starter.status(name);
        if (status.isEmpty() || !CLOSED.contains(status.get())) {
            return cycle.at(CycleStage.PROPAGATING, CycleStep.CHECK_PROPAGATION, null).polling(
                    cycle.dryRun() ? Math.min(pollSeconds, DRY_RUN_POLL_SECONDS) : pollSeconds);
        }
        List<String> blocking = blocking(name, status.get(), cycle.dryRun());
        if (cycle.dryRun()) {
            Plan plan = plan(name).orElse(null);
            Cycle noted = cycle.noting("would rotate " + (plan == null ? "?" : plan.toRotate().size())
                    + " stacks; before they end, " + (blocking.isEmpty() ? "nothing" : blocking.size()
                    + " would block retirement: " + String.join("; ", named(blocking)))).withBlocking(named(blocking));
            return retireNext(noted, credential);
        }
        if (!blocking.isEmpty()) {
            String message = "retirement of " + (cycle.oldKeyId() == null ? "the old credential" : cycle.oldKeyId())
                    + " blocked: " + blocking.size() + " consumer stack(s) of " + cycle.secretName()
                    + " did not end on the new version in rotation " + name + ": " + String.join("; ", named(blocking))
                    + (blocking.size() > NAMED_LIMIT ? "; ..." : "") + ". The old key stays active. Fix them (see"
                    + " the rotation's report), then start the cycle again: it rotates again and retires";
            Cycle blocked = cycle.withBlocking(named(blocking)).at(CycleStage.BLOCKED, CycleStep.BLOCKED, message);
            return book.save(blocked, message);
        }
        String now = book.now();
        Cycle passed = cycle.withBlocking(List.of()).withDates(now, null, now);
        return retireNext(book.save(passed.at(CycleStage.PROPAGATED, CycleStep.RETIRE, null),
                "every consumer is on version " + cycle.newVersionId() + " (rotation " + name + ")"), credential);
    }

    private Cycle retireNext(Cycle cycle, ManagedCredential credential) {
        if (cycle.oldKeyId() == null) {
            Cycle done = cycle.at(CycleStage.RETIRED, CycleStep.DONE, "no old credential to retire");
            return done.dryRun() ? done.noting("no old key to retire") : book.save(done, "nothing to retire");
        }
        return cycle.at(cycle.stage(), CycleStep.RETIRE, null).waiting(credential.quietPeriodSeconds());
    }

    /** The stacks that may still hold the old credential, each "name (outcome or reason)". */
    List<String> blocking(String runId, String status, boolean planOnly) {
        Optional<Plan> found = plan(runId);
        if (found.isEmpty()) {
            return List.of("rotation " + runId + " ended " + status + " without a plan: no consumer is known to be"
                    + " on the new version");
        }
        Plan plan = found.get();
        if (plan.ignoredReason() != null) {
            return List.of("rotation " + runId + " rotated nothing: " + plan.ignoredReason());
        }
        List<String> out = new ArrayList<>();
        for (SkippedStack s : plan.skipped()) {
            if (s.reason() != SkipReason.NOT_REFERENCING_SECRET) {
                out.add(s.stackName() + " (skipped: " + s.reason() + ")");
            }
        }
        if (planOnly) {
            return out;
        }
        Map<Integer, StackResult> results = runs.results(runId).stream()
                .collect(Collectors.toMap(StackResult::index, Function.identity(), (a, b) -> b));
        for (PlannedStack p : plan.toRotate()) {
            StackResult r = results.get(p.index());
            if (r == null) {
                out.add(p.stackName() + " (no result: the rotation ended " + status + " before it)");
            } else if (!CLEAR.contains(r.outcome())) {
                out.add(p.stackName() + " (" + r.outcome() + ": " + r.reason() + ")");
            }
        }
        return out;
    }

    private Optional<Plan> plan(String runId) {
        try {
            return Optional.of(runs.plan(runId));
        } catch (InvalidInputException nothingStored) {
            return Optional.empty();
        }
    }

    private static List<String> named(List<String> blocking) {
        return blocking.size() <= NAMED_LIMIT ? blocking : blocking.subList(0, NAMED_LIMIT);
    }
}
