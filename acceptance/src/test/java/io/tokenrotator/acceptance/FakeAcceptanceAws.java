package io.tokenrotator.acceptance;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.cli.ops.RunOverview;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.StackResult;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An account for {@link AcceptanceRun}: stacks are created and deleted at once, the trigger starts the execution a
 * few polls after a put, and the execution re-creates each consumer's gated function (unless told otherwise).
 * Everything it is asked to do is recorded in {@link #calls}; the secret values it receives in {@link #valuesReceived}.
 */
final class FakeAcceptanceAws implements AcceptanceAws {
    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";

    /** A clock the waits advance: no test really waits. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private record Resource(String logicalId, String physicalId, String type, Instant createStarted) {}

    private static final class FakeStack {
        String status;
        final Map<String, String> parameters;
        final Map<String, String> outputs = new LinkedHashMap<>();
        final Map<String, Resource> resources = new LinkedHashMap<>();

        FakeStack(String status, Map<String, String> parameters) {
            this.status = status;
            this.parameters = new LinkedHashMap<>(parameters);
        }
    }

    final FakeClock clock = new FakeClock();
    final List<String> calls = new ArrayList<>();
    final List<String> valuesReceived = new ArrayList<>();
    final Set<String> buckets = new LinkedHashSet<>();
    private final Map<String, FakeStack> stacks = new LinkedHashMap<>();
    private final Map<String, Instant> versions = new LinkedHashMap<>();
    private final RunNames names;
    private String secretArn;
    private int counter;
    private String executionArn;
    private String executionStatus;
    private int pollsUntilStart = -1;
    private int pollsUntilEnd;

    // knobs
    boolean triggerFires = true;
    final Set<Consumer> notRecreated = new HashSet<>();
    final Map<Consumer, Outcome> reportedOutcome = new EnumMap<>(Consumer.class);
    final List<String> extraStacksInReport = new ArrayList<>();
    /** Other consumer stacks in the account: Find Stacks lists them as SKIPPED (PREFIX_MISMATCH). */
    final List<String> otherConsumersInAccount = new ArrayList<>();
    Consumer failsToCreate;
    Consumer failsToDelete;
    String executionEnd = "SUCCEEDED";

    FakeAcceptanceAws(RunNames names) {
        this.names = names;
    }

    /** The deployer the run uses: "cdk deploy" creates the rotator stack with its outputs and retained buckets. */
    RotatorDeployer deployer() {
        return (assembly, stackName) -> {
            calls.add("cdk deploy " + stackName + " --app " + assembly);
            FakeStack s = new FakeStack("CREATE_COMPLETE", Map.of());
            s.outputs.put("StateMachineArn", "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:"
                    + stackName + "-rotation");
            s.resources.put("RunBucket", new Resource("RunBucket", stackName + "-runbucket-abc", "AWS::S3::Bucket", null));
            buckets.add(stackName + "-runbucket-abc");
            stacks.put(stackName, s);
        };
    }

    @Override
    public String region() {
        return REGION;
    }

    @Override
    public Optional<Account> bootstrappedAccount() {
        return Optional.of(new Account(ACCOUNT, REGION));
    }

    @Override
    public SecretVersion createSecret(String name, String value, String description) {
        calls.add("createSecret " + name);
        valuesReceived.add(value);
        secretArn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-AbCdEf";
        versions.put("v1", clock.instant());
        return new SecretVersion(secretArn, name, "v1");
    }

    @Override
    public SecretVersion putSecretValue(String arn, String value) {
        calls.add("putSecretValue " + arn);
        valuesReceived.add(value);
        String version = "v" + (versions.size() + 1);
        clock.advance(Duration.ofSeconds(1));
        versions.put(version, clock.instant());
        if (triggerFires) {
            pollsUntilStart = 3;
            executionArn = stacks.get(names.rotatorStack()).outputs.get("StateMachineArn")
                    .replace(":stateMachine:", ":execution:") + ":"
                    + io.tokenrotator.service.ExecutionNames.forSecretVersion(names.secretName(), arn, version);
        }
        return new SecretVersion(arn, names.secretName(), version);
    }

    @Override
    public Instant versionCreated(String arn, String versionId) {
        return versions.get(versionId);
    }

    @Override
    public Optional<String> secretArn(String name) {
        return Optional.ofNullable(secretArn);
    }

    @Override
    public void deleteSecretNow(String arn) {
        calls.add("deleteSecretNow " + arn);
        secretArn = null;
    }

    @Override
    public void createStack(StackRequest request) {
        calls.add("createStack " + request.name() + " caps=" + request.capabilities() + " role=" + request.roleArn()
                + " params=" + request.parameters());
        FakeStack s = new FakeStack("CREATE_COMPLETE", request.parameters());
        if (request.name().equals(names.baseStack())) {
            s.outputs.put("ServiceRoleArn", "arn:aws:iam::" + ACCOUNT + ":role/base-ServiceRole");
            s.outputs.put("FunctionRoleArn", "arn:aws:iam::" + ACCOUNT + ":role/base-FunctionRole");
        }
        for (Consumer c : Consumer.values()) {
            if (request.name().equals(names.consumerStack(c))) {
                if (c == failsToCreate) {
                    s.status = "ROLLBACK_COMPLETE";
                } else {
                    s.resources.put(Consumer.GATED_RESOURCE, function(request.name()));
                }
            }
        }
        stacks.put(request.name(), s);
    }

    private Resource function(String stack) {
        return new Resource(Consumer.GATED_RESOURCE, stack + "-Token-" + (++counter), "AWS::Lambda::Function",
                clock.instant());
    }

    @Override
    public Optional<StackState> stack(String name) {
        FakeStack s = stacks.get(name);
        return s == null ? Optional.empty()
                : Optional.of(new StackState(s.status, null, Map.copyOf(s.parameters), Map.copyOf(s.outputs)));
    }

    @Override
    public List<StackResource> resources(String stackName) {
        return stacks.get(stackName).resources.values().stream().map(r -> new StackResource(r.logicalId(),
                r.physicalId(), r.type(), "CREATE_COMPLETE", r.createStarted())).toList();
    }

    @Override
    public Optional<String> firstFailure(String stackName) {
        return Optional.of("Token: Resource handler returned message: \"User is not authorized\"");
    }

    @Override
    public Optional<Instant> lastCreateStarted(String stackName, String logicalId) {
        return Optional.ofNullable(stacks.get(stackName).resources.get(logicalId)).map(Resource::createStarted);
    }

    @Override
    public void deleteStack(String name) {
        calls.add("deleteStack " + name);
        if (failsToDelete != null && name.equals(names.consumerStack(failsToDelete))) {
            stacks.get(name).status = "DELETE_FAILED";
        } else {
            stacks.remove(name);
        }
    }

    @Override
    public Optional<String> executionStatus(String arn) {
        if (!arn.equals(executionArn) || pollsUntilStart < 0) {
            return Optional.empty();
        }
        if (pollsUntilStart > 0) {
            pollsUntilStart--;
            return Optional.empty();
        }
        if (executionStatus == null) {
            executionStatus = "RUNNING";
            pollsUntilEnd = 4;
        } else if ("RUNNING".equals(executionStatus) && --pollsUntilEnd == 0) {
            executionStatus = executionEnd;
            rotateConsumers();
        }
        return Optional.of(executionStatus);
    }

    /** What a successful run does to each consumer: false (deleted), then true (created again, new name). */
    private void rotateConsumers() {
        for (Consumer c : Consumer.values()) {
            FakeStack s = stacks.get(names.consumerStack(c));
            clock.advance(Duration.ofSeconds(30));
            if (!notRecreated.contains(c)) {
                s.resources.put(Consumer.GATED_RESOURCE, function(names.consumerStack(c)));
            }
            s.status = "UPDATE_COMPLETE";
        }
    }

    @Override
    public void stopExecution(String arn, String cause) {
        calls.add("stopExecution " + arn);
        executionStatus = "ABORTED";
    }

    @Override
    public RunOverview overview(String arn) {
        List<StackResult> lines = new ArrayList<>();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int i = 0;
        for (Consumer c : Consumer.values()) {
            Outcome o = reportedOutcome.getOrDefault(c, Outcome.ROTATED);
            counts.merge(o, 1, Integer::sum);
            lines.add(new StackResult(i++, names.consumerStack(c), "arn:stack/" + c, o,
                    o == Outcome.ROTATED ? "re-created its gated resources" : "phase 1 (false) rolled back", null,
                    "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN));
        }
        for (String extra : extraStacksInReport) {
            counts.merge(Outcome.ROTATED, 1, Integer::sum);
            lines.add(new StackResult(i++, extra, "arn:stack/" + extra, Outcome.ROTATED, "re-created", null,
                    "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN));
        }
        for (String other : otherConsumersInAccount) {
            counts.merge(Outcome.SKIPPED, 1, Integer::sum);
            lines.add(new StackResult(i++, other, "arn:stack/" + other, Outcome.SKIPPED, "PREFIX_MISMATCH: name does"
                    + " not start with '" + names.prefix() + "'", null, "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN));
        }
        RunReport report = new RunReport("run", "RotateToken", null, null, counts, lines, 0, "s3://b/runs/run/report.json",
                false, null);
        return new RunOverview(arn, arn.substring(arn.lastIndexOf(':') + 1), executionStatus, lines.size(),
                lines.size(), report, true, null, null, null);
    }

    @Override
    public List<String> bucketsStartingWith(String prefix) {
        return buckets.stream().filter(b -> b.startsWith(prefix)).toList();
    }

    @Override
    public void emptyAndDeleteBucket(String bucket) {
        calls.add("emptyAndDeleteBucket " + bucket);
        buckets.remove(bucket);
    }

    boolean exists(String stack) {
        return stacks.containsKey(stack);
    }
}
