package io.tokenrotator.target;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.SecretSummary;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.errors.AccessDeniedException;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.port.StackDescription;
import io.tokenrotator.port.StackUpdate;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.service.RunResultsService;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.store.InMemoryRunStore;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Targets: the configuration, discovery across accounts and regions, per-target pacing, replicas. */
class TargetsTest {
    private static final String HOME = "111111111111";
    private static final String CONFIG = "{\"targets\": [{\"accounts\": [\"222222222222\", \"333333333333\"],"
            + " \"regions\": [\"eu-west-1\", \"us-east-1\"], \"externalId\": \"rotator-42\"}]}";
    private static final JsonLog QUIET = new JsonLog(new PrintStream(OutputStream.nullOutputStream()));

    private final Targets targets = Targets.parse(CONFIG, "TARGETS", "aws", HOME, "us-east-1");

    @Test
    void homeAndEveryAccountTimesRegionWithTheirRoles() {
        assertThat(targets.all()).extracting(Target::id).containsExactly("111111111111/us-east-1",
                "222222222222/eu-west-1", "222222222222/us-east-1", "333333333333/eu-west-1",
                "333333333333/us-east-1");
        assertThat(targets.all().get(1).roleArn()).isEqualTo("arn:aws:iam::222222222222:role/TokenRotatorTarget");
        assertThat(targets.all().get(1).externalId()).isEqualTo("rotator-42");
        assertThat(targets.home().home()).isTrue();
        assertThat(targets.forStack("arn:aws:cloudformation:eu-west-1:333333333333:stack/app/1"))
                .map(Target::id).hasValue("333333333333/eu-west-1");
        assertThat(targets.forStack("arn:aws:cloudformation:ap-south-1:333333333333:stack/app/1")).isEmpty();
    }

    @Test
    void withoutTheVariableOnlyHomeExistsAndEveryStackIsHome() {
        Targets single = Targets.fromEnvironment(Map.of("AWS_REGION", "eu-west-1")::get, null);

        assertThat(single.multiple()).isFalse();
        assertThat(single.forStack("arn:aws:cloudformation:ap-south-1:999999999999:stack/x/1"))
                .hasValue(single.home());
    }

    @Test
    void badEntriesAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> Targets.parse("{\"targets\": [{\"accounts\": [\"12\"], \"regions\": [\"eu-west-1\"]}]}",
                "CDK context targets", "aws", HOME, "us-east-1"))
                .hasMessage("CDK context targets target entry 0: account '12' is not a 12-digit id");
        assertThatThrownBy(() -> Targets.parse("{\"targets\": [{\"accounts\": [\"222222222222\"], \"regions\": [\"Ireland\"]}]}",
                "TARGETS", "aws", HOME, "us-east-1")).hasMessageContaining("region 'Ireland' is not a region name");
        assertThatThrownBy(() -> Targets.parse("{\"targets\": [{\"acounts\": []}]}", "TARGETS", "aws", HOME,
                "us-east-1")).hasMessageContaining("acounts");
        assertThatThrownBy(() -> Targets.fromEnvironment(Map.of("TARGETS", CONFIG, "AWS_REGION", "us-east-1")::get,
                null)).hasMessageContaining("HOME_ACCOUNT");
    }

    @Test
    void findStacksListsEveryTargetReportsAnUnreachableOneAndPacesEachTargetOnItsOwn() {
        Map<String, CloudFormationPort> ports = new HashMap<>();
        for (Target t : targets.all()) {
            ports.put(t.id(), new Stacks(t, 2));
        }
        ports.put("333333333333/eu-west-1", new Stacks(null, 0)); // its role cannot be assumed
        InMemoryRunStore store = new InMemoryRunStore();
        Clock clock = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
        FindStacksService find = new FindStacksService(access(ports, null), null, store, QUIET, clock);

        Plan plan = find.plan(InputRules.find(new io.tokenrotator.contract.FindStacksInput("run-1",
                io.tokenrotator.contract.RotationRequest.empty()), new InputRules.Defaults(DeploymentSettings.DEFAULTS)));

        assertThat(plan.toRotate()).hasSize(8).extracting(PlannedStack::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(plan.unreachableTargets()).singleElement().satisfies(u -> {
            assertThat(u.target()).isEqualTo("333333333333/eu-west-1");
            assertThat(u.reason()).contains("sts:AssumeRole");
            assertThat(u.action()).contains("arn:aws:iam::333333333333:role/TokenRotatorTarget", "external id");
        });
        // each target's first stack takes the first slot (after the children's start allowance): one target's queue
        // does not hold back another's
        assertThat(plan.toRotate()).filteredOn(p -> p.stackName().endsWith("-0"))
                .extracting(PlannedStack::notBefore).containsOnly(Instant.parse("2026-12-06T00:00:00Z")
                        .plus(io.tokenrotator.service.StartSlots.startAllowance(plan.toRotate().size())).toString());

        RunReport report = RunResultsService.compile(plan, plan.toRotate().stream().map(p -> new StackResult(
                p.index(), p.stackName(), p.stackId(), Outcome.ROTATED, "ok", null, "UPDATE_COMPLETE", "true",
                Convention.ROTATE_TOKEN)).toList(), true);
        assertThat(report.failed()).isTrue(); // the unreachable target's stacks were not rotated
        assertThat(report.countsByTarget()).containsOnlyKeys("111111111111/us-east-1", "222222222222/eu-west-1",
                "222222222222/us-east-1", "333333333333/us-east-1");
        assertThat(report.countsByTarget().get("222222222222/eu-west-1")).containsEntry(Outcome.ROTATED, 2);
    }

    @Test
    void aStackInAReplicasRegionWaitsUntilTheReplicaCarriesTheRunsVersion() {
        Map<String, List<String>> replica = new HashMap<>(Map.of("v1", List.of("AWSCURRENT")));
        SecretsPort replicaPort = id -> Optional.of(new SecretsPort.SecretDescription(
                "arn:aws:secretsmanager:eu-west-1:111111111111:secret:prod/api-token-AbCdEf", "prod/api-token",
                Map.copyOf(replica)));
        InMemoryRunStore runs = new InMemoryRunStore();
        runs.savePlan(new Plan("run-1", "RotateToken", "TokenVersion", new SecretSummary(
                "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/api-token-AbCdEf", "prod/api-token", "v2",
                List.of("AWSCURRENT")), null, List.of(), List.of()));
        SecretReplicas replicas = new SecretReplicas(access(Map.of(), replicaPort), runs);
        String inIreland = "arn:aws:cloudformation:eu-west-1:222222222222:stack/app/1";

        assertThatThrownBy(() -> replicas.awaitVersion("run-1", "app", inIreland, "true"))
                .isInstanceOf(StackBusyException.class).hasMessageContaining("replica", "eu-west-1", "v2");
        assertThatCode(() -> replicas.awaitVersion("run-1", "app", inIreland, "false")).doesNotThrowAnyException();
        assertThatCode(() -> replicas.awaitVersion("run-1", "app",
                "arn:aws:cloudformation:us-east-1:222222222222:stack/app/1", "true")).doesNotThrowAnyException();

        replica.put("v1", List.of("AWSPREVIOUS"));
        replica.put("v2", List.of("AWSCURRENT"));
        SecretReplicas caughtUp = new SecretReplicas(access(Map.of(), replicaPort), runs);
        assertThatCode(() -> caughtUp.awaitVersion("run-1", "app", inIreland, "true")).doesNotThrowAnyException();
    }

    private TargetAccess access(Map<String, CloudFormationPort> ports, SecretsPort secrets) {
        return new TargetAccess() {
            @Override
            public Targets targets() {
                return targets;
            }

            @Override
            public CloudFormationPort cloudFormation(Target target) {
                return ports.get(target.id());
            }

            @Override
            public SecretsPort secretsIn(String region) {
                return secrets;
            }
        };
    }

    /** A target's CloudFormation with {@code count} consumer stacks, or one whose role cannot be assumed (null). */
    private record Stacks(Target target, int count) implements CloudFormationPort {
        @Override
        public Stream<StackDescription> describeAllStacks() {
            if (target == null) {
                throw new AccessDeniedException(null, "STS", "sts:AssumeRole",
                        "arn:aws:iam::333333333333:role/TokenRotatorTarget", "User: arn:aws:sts::111111111111:"
                        + "assumed-role/FindStacks/x is not authorized to perform: sts:AssumeRole");
            }
            return java.util.stream.IntStream.range(0, count).mapToObj(i -> new StackDescription(
                    target.account() + "-" + target.region() + "-" + i, "arn:aws:cloudformation:" + target.region()
                    + ":" + target.account() + ":stack/app-" + i + "/id", "UPDATE_COMPLETE", null,
                    Map.of("RotateToken", "true"), List.of(), null, null, Instant.EPOCH, null));
        }

        @Override
        public Optional<StackDescription> describeStack(String stackNameOrId) {
            return Optional.empty();
        }

        @Override
        public String originalTemplate(String stackId) {
            return "{}";
        }

        @Override
        public Optional<String> stackPolicy(String stackId) {
            return Optional.empty();
        }

        @Override
        public UpdateOutcome updateStack(StackUpdate update) {
            throw new UnsupportedOperationException();
        }
    }
}
