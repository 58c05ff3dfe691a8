package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A fleet spread over accounts and regions: where each stack is, and which secret each one resolved. */
class FleetAcrossTargetsTest {
    static final String HOME = "123456789012";
    static final String DEV = "111111111111";
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", HOME);
    private final SimulatorServer server;

    FleetAcrossTargetsTest() throws IOException {
        server = new SimulatorServer(new CloudFormationModel(clock, secrets, "us-east-1", HOME), secrets,
                new IamModel(), clock);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static final List<Fleet.Target> TARGETS = List.of(new Fleet.Target(HOME, "us-east-1"),
            new Fleet.Target(HOME, "eu-west-1"), new Fleet.Target(DEV, "us-east-1"), new Fleet.Target(DEV, "eu-west-1"));

    @Test
    void stacksAreSpreadOverTheTargetsReferencingTheHomeSecretByNameOrByArn() {
        server.replicaLag(Duration.ofSeconds(30));
        Fleet.Spread spread = Fleet.buildAcross(FleetSpec.healthy(12, 7, Duration.ofSeconds(60)), server, TARGETS);

        assertThat(spread.targetOf()).hasSize(12);
        for (Fleet.Target t : TARGETS) {
            List<String> here = spread.stacksIn(t.account(), t.region());
            assertThat(here).as(t.key()).hasSize(3);
            CloudFormationModel cfn = server.cloudFormation(t.account(), t.region());
            assertThat(cfn.liveStackNames()).containsExactlyInAnyOrderElementsOf(here);
            for (String stack : here) {
                assertThat(spread.stackIdOf().get(stack))
                        .startsWith("arn:aws:cloudformation:" + t.region() + ":" + t.account() + ":stack/" + stack + "/");
                assertThat(spread.referenceOf().get(stack)).isEqualTo(t.account().equals(HOME) ? "name" : "arn");
                assertThat(cfn.inspect(stack).resources().values().stream().flatMap(r -> r.secretVersions().stream()))
                        .as("created before the rotation: the old version, from primary, replica or across accounts")
                        .containsOnly(spread.built().oldVersionId());
            }
        }
        assertThat(Set.copyOf(spread.referenceOf().values())).containsExactlyInAnyOrder("name", "arn");
        SecretsManagerModel replica = server.secretsManager(HOME, "eu-west-1");
        assertThat(replica.describeOrThrow(Fleet.SECRET_NAME).versionWithStage(SecretsManagerModel.AWSCURRENT))
                .as("the new version has not reached the replica yet").isEqualTo(spread.built().oldVersionId());
        clock.advance(Duration.ofSeconds(30));
        assertThat(replica.describeOrThrow(Fleet.SECRET_NAME).versionWithStage(SecretsManagerModel.AWSCURRENT))
                .isEqualTo(spread.built().newVersionId());
        assertThat(secrets.readableBy(spread.built().secretArn(), DEV)).as("shared with the other account").isTrue();
    }

    @Test
    void aSingleTargetBuildsTheSameFleetAsBefore() {
        SecretsManagerModel alone = new SecretsManagerModel("us-east-1", HOME);
        CloudFormationModel cfn = new CloudFormationModel(clock, alone, "us-east-1", HOME);
        FleetSpec spec = new FleetSpec(80, 42, Duration.ofSeconds(60), Duration.ofSeconds(20),
                0.04, 0.06, 0.02, 0.06, 0.04, 0.04, 0.04, 0.2, 0.1, 10, FleetSpec.Kinds.DEFAULT);
        Fleet.Built direct = Fleet.build(spec, cfn, alone);
        Fleet.Spread spread = Fleet.buildAcross(spec, server, List.of(new Fleet.Target(HOME, "us-east-1")));
        assertThat(spread.built().faults()).isEqualTo(direct.faults());
        assertThat(spread.built().templates()).isEqualTo(direct.templates());
        assertThat(Set.copyOf(spread.targetOf().values())).containsExactly(HOME + "/us-east-1");
        assertThat(spread.targetOf().keySet()).isEqualTo(Map.copyOf(direct.faults()).keySet());
    }
}
