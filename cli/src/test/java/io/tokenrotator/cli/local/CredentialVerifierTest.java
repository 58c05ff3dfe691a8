package io.tokenrotator.cli.local;

import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.IamUsers;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.simulator.SimClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lifecycle's invariants, checked against the simulator on a fleet whose consumers use deploy-bot's key. */
class CredentialVerifierTest {
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    private final CloudFormationModel cfn = new CloudFormationModel(clock, secrets, "us-east-1", "123456789012");
    private final IamModel iam = new IamModel("123456789012", Duration.ZERO);
    private final Fleet.Built fleet;

    CredentialVerifierTest() {
        cfn.trackKeyUsage(iam.users());
        fleet = Fleet.build(FleetSpec.healthy(5, 1, Duration.ofSeconds(60)), cfn, secrets,
                Fleet.ManagedCredential.of(iam.users(), clock.now()));
    }

    private List<String> verify(String... outputs) {
        return CredentialVerifier.verify(iam, List.of(fleet.managedUser()), outputs);
    }

    @Test
    void aFleetLeftAloneHasNoProblems() {
        assertThat(verify("{\"accessKeyId\": \"" + fleet.initialKeyId() + "\"}")).as("a key id is not secret").isEmpty();
    }

    @Test
    void aKeyMadeInactiveUnderItsConsumersIsReportedForEachConsumer() {
        iam.users().updateAccessKey("deploy-bot", fleet.initialKeyId(), "Inactive", clock.now());

        assertThat(verify()).hasSize(5).allSatisfy(p -> assertThat(p)
                .contains("uses " + fleet.initialKeyId() + " which was made Inactive at"));
    }

    @Test
    void aSecretAccessKeyInAnOutputIsALeakEvenWhenItsKeyIsDeleted() {
        IamUsers.NewKey second = iam.users().createAccessKey("deploy-bot", clock.now());
        iam.users().deleteAccessKey("deploy-bot", second.metadata().accessKeyId(), clock.now());

        assertThat(verify("created " + second.secretAccessKey())).containsExactly(
                "a secret access key appears in the run's output or logs");
    }

    @Test
    void theSecretValueLeakCheckAlsoCatchesTheSecretAccessKeyAlone() {
        String secretAccessKey = iam.users().allSecretAccessKeysForLeakChecks().get(0);

        assertThat(secrets.allValuesForLeakChecks()).contains(secretAccessKey);
    }

    @Test
    void aUserNeverHoldsAThirdKey() {
        iam.users().createAccessKey("deploy-bot", clock.now());

        assertThatThrownBy(() -> iam.users().createAccessKey("deploy-bot", clock.now()))
                .hasMessageContaining("Cannot exceed quota for AccessKeysPerUser: 2");
        assertThat(iam.users().keyCount("deploy-bot")).isEqualTo(2);
        assertThat(verify()).isEmpty();
    }
}
