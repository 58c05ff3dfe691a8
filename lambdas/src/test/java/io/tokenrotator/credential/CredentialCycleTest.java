package io.tokenrotator.credential;

import io.tokenrotator.contract.BeginCycleInput;
import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.CredentialRecord;
import io.tokenrotator.contract.Cycle;
import io.tokenrotator.contract.CycleRequest;
import io.tokenrotator.contract.CycleStage;
import io.tokenrotator.contract.CycleStep;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.SkipReason;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.errors.AwsRequestRejectedException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.AccessKeysPort;
import io.tokenrotator.port.CredentialRecords;
import io.tokenrotator.port.ExecutionStarter;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.simulator.SimClock;
import io.tokenrotator.store.InMemoryRunStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lifecycle's steps over hand-written fakes of IAM, Secrets Manager, Step Functions and the record store: what
 * each step decides and what it changes. The whole workflow against the simulator is in the cli module's
 * end-to-end tests.
 */
class CredentialCycleTest {
    private static final String SECRET = "prod/deploy-key";
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/deploy-key-AbCdEf";
    private static final String USER = "deploy-bot";
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:lifecycle:cycle-1";

    private final SimClock.Manual clock = new SimClock.Manual(Instant.parse("2026-12-01T00:00:00Z"));
    private final FakeIam iam = new FakeIam();
    private final FakeSecrets secrets = new FakeSecrets();
    private final Map<String, CredentialRecord> records = new HashMap<>();
    private final FakeExecutions executions = new FakeExecutions();
    private final InMemoryRunStore runs = new InMemoryRunStore();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    /** Every reading moves time on a little, as real time does while a step waits for a new key to work. */
    private final java.time.Clock ticking = ((SimClock) () -> {
        clock.advance(Duration.ofMillis(100));
        return clock.now();
    }).asJavaClock();
    private final CycleBook book = new CycleBook(new ManagedCredentials(List.of(new ManagedCredential(SECRET,
            ManagedCredential.IAM_ACCESS_KEY, USER, 3600, 7200))), new MemoryRecords(), ticking,
            new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)));
    private final IamAccessKeys kind = new IamAccessKeys(iam, ticking);
    private final CycleStart start = new CycleStart(book, kind, secrets, secrets, executions);
    private final Propagation propagation = new Propagation(book, secrets, executions, runs, 60);
    private final Retirement retirement = new Retirement(book, kind);

    @Test
    void aCleanCycleStoresTheNewKeyRotatesEveryConsumerAndDeletesTheOldKeyLast() {
        String old = iam.add(true);
        Cycle cycle = start.begin(begin(false));
        assertThat(cycle.next()).isEqualTo(CycleStep.CREATE);
        assertThat(cycle.oldKeyId()).isEqualTo(old);

        cycle = start.create(cycle);
        assertThat(cycle.stage()).isEqualTo(CycleStage.STORED);
        assertThat(secrets.puts).hasSize(1);
        assertThat(secrets.puts.get(0)).contains("\"accessKeyId\":\"" + cycle.newKeyId() + "\"");
        assertThat(cycle.newVersionId()).isEqualTo(CycleStart.clientRequestToken("cycle-1"));
        assertThat(records.get(SECRET).keysByVersion()).containsEntry(cycle.newVersionId(), cycle.newKeyId());

        cycle = propagation.start(cycle);
        assertThat(executions.started).hasSize(1);
        assertThat(propagation.check(cycle).next()).isEqualTo(CycleStep.CHECK_PROPAGATION);
        rotationEnded(cycle.rotationExecution(), Outcome.ROTATED, Outcome.UNCHANGED);
        clock.advance(Duration.ofMinutes(5));
        cycle = propagation.check(cycle);
        assertThat(cycle.next()).isEqualTo(CycleStep.RETIRE);
        assertThat(cycle.waitSeconds()).isEqualTo(3600);
        assertThat(iam.key(old).active()).isTrue();

        clock.advance(Duration.ofHours(1));
        cycle = retirement.checkLastUse(cycle);
        assertThat(cycle.next()).isEqualTo(CycleStep.DEACTIVATE);
        cycle = retirement.deactivate(cycle);
        assertThat(iam.key(old).active()).isFalse();
        assertThat(cycle.waitSeconds()).isEqualTo(7200);
        cycle = retirement.delete(cycle);

        assertThat(cycle.stage()).isEqualTo(CycleStage.RETIRED);
        assertThat(iam.keys.keySet()).containsExactly(cycle.newKeyId());
        assertThat(records.get(SECRET).history()).extracting(CredentialRecord.Event::stage)
                .contains(CycleStage.STARTED, CycleStage.CREATING, CycleStage.STORED, CycleStage.PROPAGATING,
                        CycleStage.PROPAGATED, CycleStage.DEACTIVATED, CycleStage.RETIRED);
        assertThat(logs.toString(StandardCharsets.UTF_8) + records.get(SECRET))
                .doesNotContain(iam.secretParts.toArray(String[]::new));
    }

    @Test
    void twoActiveKeysStopTheCycleBeforeAnythingChanges() {
        String a = iam.add(true);
        String b = iam.add(true);

        Cycle cycle = start.begin(begin(false));

        assertThat(cycle.next()).isEqualTo(CycleStep.STOP);
        assertThat(cycle.message()).contains(a, b, "already has 2 active access keys");
        assertThat(iam.keys).hasSize(2);
        assertThat(secrets.puts).isEmpty();
    }

    @Test
    void anInactiveLeftoverIsDeletedButAnInactiveKeyTheSecretHoldsStopsTheCycle() {
        String active = iam.add(true);
        String leftover = iam.add(false);
        Cycle cycle = start.begin(begin(false));
        assertThat(cycle.next()).isEqualTo(CycleStep.CREATE);
        assertThat(iam.keys).containsOnlyKeys(active);

        records.clear();
        iam.keys.clear();
        String held = iam.add(false);
        records.put(SECRET, new CredentialRecord(ARN, SECRET, USER, Map.of(secrets.current, held), null, List.of()));
        Cycle stopped = start.begin(begin(false));
        assertThat(stopped.next()).isEqualTo(CycleStep.STOP);
        assertThat(stopped.message()).contains(held, "Inactive");
        assertThat(iam.keys).containsOnlyKeys(held);
    }

    @Test
    void aConsumerThatDidNotRotateBlocksRetirementAndIsNamed() {
        String old = iam.add(true);
        Cycle cycle = propagation.start(start.create(start.begin(begin(false))));
        Plan plan = rotationEnded(cycle.rotationExecution(), true, Outcome.ROTATED, Outcome.FAILED);

        cycle = propagation.check(cycle);

        assertThat(cycle.next()).isEqualTo(CycleStep.BLOCKED);
        assertThat(cycle.message()).contains(plan.toRotate().get(1).stackName(), "FAILED", old, "stays active");
        assertThat(cycle.blocking()).hasSize(2); // the failed stack and the skipped nested one
        assertThat(iam.key(old).active()).isTrue();

        // the next run resumes at the propagation and starts the version's next rotation attempt
        executions.running.clear();
        Cycle resumed = start.begin(new BeginCycleInput(new CycleRequest(SECRET, null), EXECUTION + "-2"));
        assertThat(resumed.next()).isEqualTo(CycleStep.PROPAGATE);
        Cycle again = propagation.start(resumed);
        assertThat(again.rotationExecution()).endsWith("-r2");
    }

    @Test
    void anOutsideUseOfTheOldKeyAfterTheCutOverKeepsItActiveUntilNoNewUseAppears() {
        String old = iam.add(true);
        Cycle cycle = propagation.start(start.create(start.begin(begin(false))));
        rotationEnded(cycle.rotationExecution(), Outcome.ROTATED);
        cycle = propagation.check(cycle);
        clock.advance(Duration.ofMinutes(30));
        iam.lastUse = new AccessKeysPort.LastUse(Optional.of(clock.now()), "s3", "eu-west-1");
        clock.advance(Duration.ofMinutes(30));

        Cycle inUse = retirement.checkLastUse(cycle);

        assertThat(inUse.next()).isEqualTo(CycleStep.IN_USE);
        assertThat(inUse.message()).contains(old, "s3", "eu-west-1");
        assertThat(iam.key(old).active()).isTrue();
        assertThat(retirement.checkLastUse(inUse).next()).as("checked again at once").isEqualTo(CycleStep.IN_USE);
        // the outside user is moved to the new key; the next run starts a new quiet period, with no use in it
        clock.advance(Duration.ofMinutes(10));
        Cycle resumed = start.begin(new BeginCycleInput(new CycleRequest(SECRET, null), EXECUTION + "-2"));
        assertThat(resumed.next()).isEqualTo(CycleStep.RETIRE);
        clock.advance(Duration.ofHours(1));
        assertThat(retirement.checkLastUse(resumed).next()).isEqualTo(CycleStep.DEACTIVATE);
    }

    @Test
    void aKeyMadeActiveAgainDuringTheGracePeriodIsNotDeleted() {
        String old = iam.add(true);
        Cycle cycle = propagation.start(start.create(start.begin(begin(false))));
        rotationEnded(cycle.rotationExecution(), Outcome.ROTATED);
        cycle = retirement.deactivate(retirement.checkLastUse(propagation.check(cycle)));
        iam.setActive(USER, old, true);

        Cycle kept = retirement.delete(cycle);

        assertThat(kept.next()).isEqualTo(CycleStep.REACTIVATED);
        assertThat(iam.keys).containsKey(old);
    }

    @Test
    void aStoreThatFailsDeletesTheNewKeyAgain() {
        iam.add(true);
        Cycle cycle = start.begin(begin(false));
        secrets.failPut = true;

        assertThatThrownBy(() -> start.create(cycle)).isInstanceOf(AwsRequestRejectedException.class);

        assertThat(iam.keys).hasSize(1);
        assertThat(iam.created).hasSize(1);
    }

    @Test
    void aRetriedCreateNeitherStoresTwiceNorLeavesAKeyNobodyHolds() {
        iam.add(true);
        Cycle begun = start.begin(begin(false));
        // an attempt that created a key and died before storing it
        String orphan = iam.add(true);
        Cycle lost = begun.withKeys(orphan, null, null).at(CycleStage.CREATING, CycleStep.CREATE, null);

        Cycle stored = start.create(lost);
        assertThat(iam.keys).doesNotContainKey(orphan).containsKey(stored.newKeyId());
        assertThat(secrets.puts).hasSize(1);

        // an attempt that stored the key and died before answering: nothing new is created
        Cycle again = start.create(stored.withKeys(stored.newKeyId(), null, null)
                .at(CycleStage.CREATING, CycleStep.CREATE, null));
        assertThat(again.newKeyId()).isEqualTo(stored.newKeyId());
        assertThat(iam.created).hasSize(1);
        assertThat(secrets.puts).hasSize(1);
    }

    @Test
    void aCreateRetriedWithTheSameInputAfterItsAnswerWasLostCreatesNothingMore() {
        iam.add(true);
        Cycle begun = start.begin(begin(false));
        Cycle first = start.create(begun);

        Cycle retried = start.create(begun); // Step Functions retries Lambda.Unknown with the original input

        assertThat(retried.newKeyId()).isEqualTo(first.newKeyId());
        assertThat(retried.next()).isEqualTo(CycleStep.PROPAGATE);
        assertThat(iam.created).hasSize(1);
        assertThat(secrets.puts).hasSize(1);
    }

    @Test
    void aDryRunReportsEveryStepAndChangesNothing() {
        String old = iam.add(true);
        Cycle cycle = start.create(start.begin(begin(true)));
        cycle = propagation.start(cycle);
        rotationEnded(cycle.rotationExecution(), Outcome.ROTATED);
        cycle = retirement.delete(retirement.deactivate(retirement.checkLastUse(propagation.check(cycle))));

        assertThat(cycle.audit()).hasSizeGreaterThanOrEqualTo(6).anyMatch(l -> l.contains("would create"))
                .anyMatch(l -> l.contains("would deactivate " + old)).anyMatch(l -> l.contains("would delete " + old));
        assertThat(cycle.waitSeconds()).isZero();
        assertThat(executions.started.get(0)).endsWith("-dry-run");
        assertThat(iam.keys).containsOnlyKeys(old);
        assertThat(iam.key(old).active()).isTrue();
        assertThat(secrets.puts).isEmpty();
        assertThat(records).isEmpty();
    }

    @Test
    void aCycleStillRunningInAnotherExecutionIsNotTakenOver() {
        iam.add(true);
        start.begin(begin(false));
        executions.running.add(EXECUTION);

        Cycle second = start.begin(new BeginCycleInput(new CycleRequest(SECRET, null), EXECUTION + "-2"));

        assertThat(second.next()).isEqualTo(CycleStep.STOP);
        assertThat(second.message()).contains("still running", EXECUTION);
        assertThat(records.get(SECRET).cycle().executionId()).isEqualTo(EXECUTION);
    }

    @Test
    void aSecretThatIsNotManagedIsRefusedWithTheManagedOnesNamed() {
        assertThatThrownBy(() -> start.begin(new BeginCycleInput(new CycleRequest("other", null), EXECUTION)))
                .hasMessageContaining("does not exist");
        secrets.names.put("other", "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-XyZ123");
        assertThatThrownBy(() -> start.begin(new BeginCycleInput(new CycleRequest("other", null), EXECUTION)))
                .hasMessageContaining("not a managed credential").hasMessageContaining(SECRET);
    }

    private static BeginCycleInput begin(boolean dryRun) {
        return new BeginCycleInput(new CycleRequest(SECRET, dryRun ? true : null), EXECUTION);
    }

    /**
     * The rotation run ended: a plan with one stack per outcome, their results, a skipped stack that does not
     * reference the secret and, when asked, a skipped nested stack.
     */
    private Plan rotationEnded(String runId, Outcome... outcomes) {
        return rotationEnded(runId, false, outcomes);
    }

    private Plan rotationEnded(String runId, boolean nestedSkipped, Outcome... outcomes) {
        List<PlannedStack> planned = new ArrayList<>();
        for (int i = 0; i < outcomes.length; i++) {
            planned.add(new PlannedStack(i, "consumer-" + i, "id-" + i, "UPDATE_COMPLETE", "true",
                    Convention.ROTATE_TOKEN, "RotateToken", "true"));
            runs.saveResult(runId, new StackResult(i, "consumer-" + i, "id-" + i, outcomes[i], "why " + i, null,
                    "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN));
        }
        List<SkippedStack> skipped = new ArrayList<>(List.of(new SkippedStack("other-1", "id-o",
                SkipReason.NOT_REFERENCING_SECRET, "no reference", "true", "UPDATE_COMPLETE")));
        if (nestedSkipped) {
            skipped.add(new SkippedStack("nested-1", "id-n", SkipReason.NESTED_STACK, "has a parent", "true",
                    "UPDATE_COMPLETE"));
        }
        Plan plan = new Plan(runId, "RotateToken", "TokenVersion", null, null, planned, skipped);
        runs.savePlan(plan);
        executions.running.remove(runId);
        executions.closed.put(runId, "SUCCEEDED");
        return plan;
    }

    private final class MemoryRecords implements CredentialRecords {
        @Override
        public Optional<CredentialRecord> load(String secretName) {
            return Optional.ofNullable(records.get(secretName));
        }

        @Override
        public void save(CredentialRecord record) {
            records.put(record.secretName(), record);
        }
    }

    /** IAM: one user's keys; a new key authenticates after one failed check (eventual consistency). */
    private final class FakeIam implements AccessKeysPort {
        final Map<String, AccessKey> keys = new LinkedHashMap<>();
        final List<String> created = new ArrayList<>();
        final List<String> secretParts = new ArrayList<>();
        final Map<String, Integer> checks = new HashMap<>();
        LastUse lastUse = new LastUse(Optional.empty(), "N/A", "N/A");
        int next = 1;

        String add(boolean active) {
            String id = String.format("AKIA%016d", next++);
            keys.put(id, new AccessKey(id, active, clock.now()));
            return id;
        }

        AccessKey key(String id) {
            return keys.get(id);
        }

        @Override
        public List<AccessKey> list(String userName) {
            return List.copyOf(keys.values());
        }

        @Override
        public NewAccessKey create(String userName) {
            if (keys.size() >= 2) {
                throw new AwsRequestRejectedException("IAM", "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2");
            }
            String id = add(true);
            created.add(id);
            String secret = "secret-part-" + id;
            secretParts.add(secret);
            return new NewAccessKey(id, secret);
        }

        @Override
        public void setActive(String userName, String accessKeyId, boolean active) {
            AccessKey k = keys.get(accessKeyId);
            keys.put(accessKeyId, new AccessKey(accessKeyId, active, k.created()));
        }

        @Override
        public void delete(String userName, String accessKeyId) {
            keys.remove(accessKeyId);
        }

        @Override
        public LastUse lastUsed(String accessKeyId) {
            return lastUse;
        }

        @Override
        public boolean works(NewAccessKey key) {
            return checks.merge(key.accessKeyId(), 1, Integer::sum) > 1;
        }
    }

    private final class FakeSecrets implements SecretsPort, io.tokenrotator.port.SecretValueWriter {
        final Map<String, String> names = new HashMap<>(Map.of(SECRET, ARN, ARN, ARN));
        final Map<String, List<String>> versions = new LinkedHashMap<>(Map.of("v-initial", List.of("AWSCURRENT")));
        final List<String> puts = new ArrayList<>();
        String current = "v-initial";
        boolean failPut;

        @Override
        public Optional<SecretDescription> describeSecret(String secretId) {
            String arn = names.get(secretId);
            return arn == null ? Optional.empty() : Optional.of(new SecretDescription(arn,
                    arn.equals(ARN) ? SECRET : "other", Map.copyOf(versions)));
        }

        @Override
        public String put(String secretId, String token, String value) {
            if (failPut) {
                throw new AwsRequestRejectedException("Secrets Manager", "AccessDeniedException", "denied");
            }
            if (!versions.containsKey(token)) {
                puts.add(value);
                versions.replaceAll((v, labels) -> List.of());
                versions.put(token, List.of("AWSCURRENT"));
                current = token;
            }
            return token;
        }
    }

    private static final class FakeExecutions implements ExecutionStarter, io.tokenrotator.port.ExecutionLookup {
        final List<String> started = new ArrayList<>();
        final List<String> running = new ArrayList<>();
        final Map<String, String> closed = new HashMap<>();

        @Override
        public Started start(String name, String inputJson) {
            if (running.contains(name) || closed.containsKey(name)) {
                return Started.ALREADY_EXISTS;
            }
            started.add(name);
            running.add(name);
            return Started.STARTED;
        }

        @Override
        public Optional<String> status(String nameOrArn) {
            if (running.contains(nameOrArn)) {
                return Optional.of("RUNNING");
            }
            return Optional.ofNullable(closed.get(nameOrArn));
        }
    }
}
