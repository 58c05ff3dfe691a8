package io.tokenrotator.acceptance;

import io.tokenrotator.acceptance.AcceptanceAws.Account;
import io.tokenrotator.acceptance.AcceptanceAws.SecretVersion;
import io.tokenrotator.acceptance.AcceptanceAws.StackRequest;
import io.tokenrotator.acceptance.AcceptanceAws.StackResource;
import io.tokenrotator.acceptance.AcceptanceAws.StackState;
import io.tokenrotator.acceptance.AcceptanceReport.Step;
import io.tokenrotator.acceptance.Synthesis.Synthesized;
import io.tokenrotator.cli.ops.RunOverview;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.service.ExecutionNames;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One acceptance run in a real account: synthesize; create the throwaway secret and the consumers' roles; deploy
 * Token Rotator watching that secret and confined to the run's prefix; create the consumers; put a new value; wait
 * for the execution the trigger starts (found by the name the trigger gives it); check each consumer; and, whatever
 * happened, clean up. Secret values are generated here, passed to Secrets Manager, and never kept, shown or logged.
 */
public final class AcceptanceRun {
    /**
     * @param createTrail    deploy Token Rotator with createTrail=true (for accounts without a trail)
     * @param triggerTimeout how long the execution may take to appear after the put
     * @param runTimeout     how long the execution may run
     * @param keep           leave everything in place (for debugging; {@code --cleanup <run id>} deletes it later)
     */
    public record Options(boolean createTrail, Duration triggerTimeout, Duration runTimeout, boolean keep) {}

    static final Duration POLL = Duration.ofSeconds(10);
    static final Duration STACK_TIMEOUT = Duration.ofMinutes(30);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final AcceptanceAws aws;
    private final RotatorDeployer deployer;
    private final Synthesis synthesis;
    private final RunNames names;
    private final Options options;
    private final Account account;
    private final PrintStream log;
    private final Waiter waiter;
    private final Supplier<String> secretValues;
    /** Known once the value is put: the cleanup stops it if it still runs. */
    private String executionArn;

    public AcceptanceRun(AcceptanceAws aws, RotatorDeployer deployer, Synthesis synthesis, RunNames names,
                         Options options, Account account, PrintStream log) {
        this(aws, deployer, synthesis, names, options, account, log,
                Waiter.realTime(POLL), AcceptanceRun::randomValue);
    }

    AcceptanceRun(AcceptanceAws aws, RotatorDeployer deployer, Synthesis synthesis, RunNames names, Options options,
                  Account account, PrintStream log, Waiter waiter, Supplier<String> secretValues) {
        this.aws = aws;
        this.deployer = deployer;
        this.synthesis = synthesis;
        this.names = names;
        this.options = options;
        this.account = account;
        this.log = log;
        this.waiter = waiter;
        this.secretValues = secretValues;
    }

    public AcceptanceReport run() {
        AcceptanceReport report = new AcceptanceReport(names);
        report.where(" (account " + account.id() + ", " + account.region() + ")");
        try {
            rotateAndCheck(report);
        } catch (StepFailed e) {
            // the step and its reason are in the report
        } finally {
            if (options.keep()) {
                report.kept();
            } else {
                new AcceptanceCleanup(aws, names, waiter, log).run(Optional.ofNullable(executionArn))
                        .forEach(report::cleanup);
            }
        }
        return report;
    }

    private void rotateAndCheck(AcceptanceReport report) {
        Synthesized synthesized = step(report, "Synthesize Token Rotator and the consumer templates",
                () -> synthesis.synthesize(names, options.createTrail(), account.id(), account.region()));
        SecretVersion secret = step(report, "Create secret " + names.secretName() + " (random value, never shown)",
                () -> aws.createSecret(names.secretName(), secretValues.get(), "Token Rotator acceptance test "
                        + names.runId() + ": a throwaway value, deleted by the test"));
        // Before Token Rotator: while it deploys, the new roles propagate (IAM is eventually consistent) before the
        // consumers are created with them.
        StackState base = step(report, "Create stack " + names.baseStack() + " (the consumers' service role)",
                () -> createAndWait(new StackRequest(names.baseStack(), synthesized.baseTemplate(),
                        baseParameters(secret.arn()), List.of("CAPABILITY_IAM"), null)));
        String stateMachineArn = step(report, "Deploy Token Rotator as " + names.rotatorStack() + " (cdk deploy)", () -> {
            try {
                deployer.deploy(synthesized.rotatorAssembly(), names.rotatorStack());
            } finally {
                synthesized.deleteWorkDirectory();
            }
            return aws.stack(names.rotatorStack()).map(s -> s.outputs().get("StateMachineArn")).orElseThrow(() ->
                    new IllegalStateException(names.rotatorStack() + " has no StateMachineArn output after cdk deploy"));
        });
        Map<Consumer, Map<String, StackResource>> before = step(report, "Create consumer stacks "
                + String.join(", ", consumerStacks()), () -> createConsumers(synthesized, base));
        NewVersion put = step(report, "Put a new value on the secret (random, never shown)", () -> {
            String versionId = aws.putSecretValue(secret.arn(), secretValues.get()).versionId();
            return new NewVersion(versionId, aws.versionCreated(secret.arn(), versionId));
        });
        Instant versionCreated = put.created();
        // the name Start Rotation gives the execution for this secret version (service/ExecutionNames)
        String executionName = ExecutionNames.forSecretVersion(secret.name(), secret.arn(), put.versionId());
        executionArn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + executionName;
        step(report, "Wait for the trigger to start execution " + executionName, () -> {
            try {
                return waiter.until("execution " + executionName, options.triggerTimeout(),
                        () -> aws.executionStatus(executionArn));
            } catch (Waiter.TimedOut e) {
                throw new IllegalStateException(e.getMessage() + ": the trigger did not start it. The trigger needs a"
                        + " CloudTrail trail logging management events in " + account.region()
                        + " (README, Deploy): run again with --create-trail, or check the trigger's dead-letter queue");
            }
        });
        RunOverview overview = step(report, "Wait for the execution to end", () -> {
            waiter.until("the end of execution " + executionName, options.runTimeout(),
                    () -> aws.executionStatus(executionArn).filter(s -> !"RUNNING".equals(s)));
            return aws.overview(executionArn);
        });
        report.execution(overview);
        step(report, "Check the execution and each consumer", () -> {
            List<String> problems = checkExecution(overview);
            for (Consumer c : Consumer.values()) {
                ConsumerVerdict verdict = judge(c, before.get(c), versionCreated, overview);
                report.verdict(verdict);
                if (!verdict.passed()) {
                    problems.add(verdict.stackName() + " did not get the new value");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            return null;
        });
    }

    private Map<String, String> baseParameters(String secretArn) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("RunPrefix", names.prefix());
        parameters.put("SecretArn", secretArn);
        return parameters;
    }

    private List<String> consumerStacks() {
        List<String> stacks = new ArrayList<>();
        for (Consumer c : Consumer.values()) {
            stacks.add(names.consumerStack(c));
        }
        return stacks;
    }

    /** Creates every consumer, waits for each, and returns their gated resources as they are before the put. */
    private Map<Consumer, Map<String, StackResource>> createConsumers(Synthesized synthesized, StackState base) {
        for (Consumer c : Consumer.values()) {
            aws.createStack(new StackRequest(names.consumerStack(c), synthesized.consumerTemplates().get(c),
                    c.parameters(names.secretName(), base.outputs().get("FunctionRoleArn")), c.capabilities(),
                    base.outputs().get("ServiceRoleArn")));
        }
        Map<Consumer, Map<String, StackResource>> gated = new EnumMap<>(Consumer.class);
        for (Consumer c : Consumer.values()) {
            awaitCreated(names.consumerStack(c));
            Map<String, StackResource> resources = new LinkedHashMap<>();
            aws.resources(names.consumerStack(c)).stream().filter(r -> c.gatedResources().contains(r.logicalId()))
                    .forEach(r -> resources.put(r.logicalId(), r));
            gated.put(c, resources);
        }
        return gated;
    }

    private List<String> checkExecution(RunOverview overview) {
        List<String> problems = new ArrayList<>();
        if (!"SUCCEEDED".equals(overview.status())) {
            problems.add("the execution " + overview.status());
        }
        if (overview.report() == null) {
            problems.add("the execution has no report");
        } else {
            // Find Stacks lists the account's other consumers as SKIPPED (PREFIX_MISMATCH): left alone
            List<String> outside = overview.report().stacks().stream().filter(r -> r.outcome() != Outcome.SKIPPED)
                    .map(StackResult::stackName).filter(s -> !consumerStacks().contains(s)).toList();
            if (!outside.isEmpty()) {
                problems.add("the run touched stacks outside this test: " + String.join(", ", outside));
            }
        }
        return problems;
    }

    private ConsumerVerdict judge(Consumer c, Map<String, StackResource> before, Instant versionCreated,
                                  RunOverview overview) {
        String stack = names.consumerStack(c);
        Map<String, Instant> started = new LinkedHashMap<>();
        c.gatedResources().forEach(id -> aws.lastCreateStarted(stack, id).ifPresent(t -> started.put(id, t)));
        Optional<StackResult> line = overview.report() == null ? Optional.empty()
                : overview.report().stacks().stream().filter(r -> stack.equals(r.stackName())).findFirst();
        return ConsumerVerdict.judge(c, stack, before, aws.stack(stack), aws.resources(stack), started,
                versionCreated, line);
    }

    private StackState createAndWait(StackRequest request) {
        aws.createStack(request);
        return awaitCreated(request.name());
    }

    private StackState awaitCreated(String stack) {
        StackState state = waiter.until("stack " + stack + " to finish creating", STACK_TIMEOUT,
                () -> aws.stack(stack).filter(s -> !s.status().endsWith("_IN_PROGRESS")));
        if (!"CREATE_COMPLETE".equals(state.status())) {
            throw new IllegalStateException(stack + " is " + state.status() + ": "
                    + aws.firstFailure(stack).orElse(String.valueOf(state.statusReason())));
        }
        return state;
    }

    private <T> T step(AcceptanceReport report, String title, Supplier<T> action) {
        Instant start = waiter.now();
        log.println("[" + TIME.format(start) + "] " + title);
        try {
            T result = action.get();
            report.step(new Step(title, true, Duration.between(start, waiter.now()), null));
            return result;
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            report.step(new Step(title, false, Duration.between(start, waiter.now()), reason));
            log.println("  failed: " + reason);
            throw new StepFailed();
        }
    }

    /** 32 random bytes, URL-safe Base64: a value of the kind a token has. */
    private static String randomValue() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private record NewVersion(String versionId, Instant created) {}

    /** A step failed; the report says which and why. */
    private static final class StepFailed extends RuntimeException {
        StepFailed() {
            super(null, null, false, false);
        }
    }
}
