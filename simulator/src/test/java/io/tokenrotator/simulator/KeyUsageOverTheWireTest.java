package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.StatusType;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumers use the access key they resolved: GetAccessKeyLastUsed (through the SDK's IAM client) moves with the
 * stacks' resources, and a key made Inactive or deleted under a consumer is recorded as a violation.
 */
class KeyUsageOverTheWireTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ADMIN = "AKIAADMINISTRATOR1";
    private static final String SECRET = "prod/deploy-key";
    private static final Duration UPDATE = Duration.ofSeconds(60);

    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", ACCOUNT);
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets, "us-east-1", ACCOUNT);
    private final IamModel iam = new IamModel(ACCOUNT, Duration.ZERO);
    private final IamModel.Principal admin = iam.addAdministrator(ADMIN, "arn:aws:iam::" + ACCOUNT + ":user/admin");
    private final String oldKey;
    private final SimulatorServer server;
    private final SignedClients clients;
    private final IamClient adminIam;

    KeyUsageOverTheWireTest() throws IOException {
        iam.users().createUser("deploy-bot", List.of());
        oldKey = storeNewKey();
        model.createStack(new CloudFormationModel.StackSpec("app-1", ConsumerTemplates.rotating(SECRET), Map.of(),
                List.of(), null, null, null, UPDATE, null));
        server = new SimulatorServer(model, secrets, iam, clock);
        clients = new SignedClients(server.endpoint());
        adminIam = clients.iam(ADMIN);
    }

    @AfterEach
    void close() {
        server.close();
        clients.close();
    }

    /** A new key of deploy-bot stored as the secret's current value (the secret is created the first time). */
    private String storeNewKey() {
        IamUsers.NewKey key = iam.users().createAccessKey("deploy-bot", clock.now());
        String value = "{\"accessKeyId\":\"" + key.metadata().accessKeyId() + "\",\"secretAccessKey\":\""
                + key.secretAccessKey() + "\"}";
        if (secrets.describe(SECRET).isEmpty()) {
            secrets.createSecret(SECRET, value);
        } else {
            secrets.putSecretValue(SECRET, value, null);
        }
        return key.metadata().accessKeyId();
    }

    private AccessKeyLastUsed lastUsed(String keyId) {
        return adminIam.getAccessKeyLastUsed(b -> b.accessKeyId(keyId)).accessKeyLastUsed();
    }

    /** One update of app-1 to RotateToken=value, run to its end. */
    private void rotateToken(String value) {
        model.updateStack(new CloudFormationModel.UpdateStackCall("app-1", null, true, null,
                List.of(new CloudFormationModel.ParamInput("RotateToken", value, false)), List.of(), null, null), admin);
        clock.advance(UPDATE.multipliedBy(2));
    }

    private void deactivate(String keyId) {
        adminIam.updateAccessKey(b -> b.userName("deploy-bot").accessKeyId(keyId).status(StatusType.INACTIVE));
    }

    @Test
    void aKeyInUseByALiveResourceWasUsedJustNowByTheResourcesService() {
        clock.advance(Duration.ofHours(3));

        AccessKeyLastUsed used = lastUsed(oldKey);

        assertThat(used.lastUsedDate()).isEqualTo(clock.now());
        assertThat(used.serviceName()).isEqualTo("events");
        assertThat(used.region()).isEqualTo("us-east-1");
        assertThat(iam.users().usersOf(oldKey)).containsExactly("app-1/ApiConnection");
    }

    @Test
    void aRotatedStackMovesToTheNewKeyAndTheOldKeysLastUseIsWhenItsLastUserStopped() {
        String newKey = storeNewKey();
        Instant phase1Start = clock.now();
        rotateToken("false");
        rotateToken("true");
        clock.advance(Duration.ofDays(1));

        assertThat(lastUsed(oldKey).lastUsedDate()).as("the end of phase 1, when the resource was deleted")
                .isEqualTo(phase1Start.plus(UPDATE));
        assertThat(lastUsed(newKey).lastUsedDate()).isEqualTo(clock.now());
        assertThat(iam.users().usersOf(oldKey)).isEmpty();
        assertThat(iam.users().usersOf(newKey)).containsExactly("app-1/ApiConnection");

        deactivate(oldKey);
        adminIam.deleteAccessKey(b -> b.userName("deploy-bot").accessKeyId(oldKey));
        assertThat(iam.violations()).as("nothing used the old key any more").isEmpty();
    }

    @Test
    void aKeyNeverUsedHasNoDateAndNotApplicableServiceAndRegion() {
        iam.users().createUser("other", List.of());
        String unused = iam.users().createAccessKey("other", clock.now()).metadata().accessKeyId();

        AccessKeyLastUsed used = lastUsed(unused);

        assertThat(used.lastUsedDate()).isNull();
        assertThat(used.serviceName()).isEqualTo("N/A");
        assertThat(used.region()).isEqualTo("N/A");
    }

    @Test
    void deactivatingAKeyInUseIsAcceptedButRecordedAsAViolation() {
        clock.advance(Duration.ofMinutes(10));
        Instant deactivated = clock.now();

        deactivate(oldKey);
        clock.advance(Duration.ofHours(1));

        assertThat(iam.violations()).containsExactly(
                "app-1/ApiConnection uses " + oldKey + " which was made Inactive at " + deactivated);
        assertThat(lastUsed(oldKey).lastUsedDate()).as("an Inactive key's consumer cannot use it any more")
                .isEqualTo(deactivated);
    }

    @Test
    void deletingAKeyInUseIsRecordedAsAViolation() {
        adminIam.deleteAccessKey(b -> b.userName("deploy-bot").accessKeyId(oldKey));

        assertThat(iam.violations()).containsExactly(
                "app-1/ApiConnection uses " + oldKey + " which was deleted at " + clock.now());
    }

    @Test
    void anOutsideUserKeepsTheKeyInUseAfterTheStacksMovedOn() {
        storeNewKey();
        rotateToken("false");
        rotateToken("true");
        iam.users().addOutsideUser(oldKey, "s3", "eu-west-1");
        clock.advance(Duration.ofHours(5));

        AccessKeyLastUsed used = lastUsed(oldKey);
        assertThat(used.lastUsedDate()).isEqualTo(clock.now());
        assertThat(used.serviceName()).isEqualTo("s3");
        assertThat(used.region()).isEqualTo("eu-west-1");

        deactivate(oldKey);
        assertThat(iam.violations()).containsExactly(
                "outside user (s3 in eu-west-1) uses " + oldKey + " which was made Inactive at " + clock.now());
    }

    @Test
    void anOutsideUserThatStopsLeavesItsLastUse() {
        storeNewKey();
        rotateToken("false");
        rotateToken("true");
        iam.users().addOutsideUser(oldKey, "s3", "eu-west-1");
        clock.advance(Duration.ofHours(5));
        Instant stopped = clock.now();
        iam.users().removeOutsideUser(oldKey, "s3", "eu-west-1", stopped);
        clock.advance(Duration.ofHours(5));

        assertThat(lastUsed(oldKey).lastUsedDate()).isEqualTo(stopped);
        assertThat(lastUsed(oldKey).serviceName()).isEqualTo("s3");
    }

    @Test
    void aResourceCreatedOnAnInactiveKeyIsAViolation() {
        rotateToken("false");
        deactivate(oldKey);
        assertThat(iam.violations()).as("nothing uses it while the resource is gone").isEmpty();

        rotateToken("true");

        assertThat(iam.violations()).hasSize(1).first().asString()
                .startsWith("app-1/ApiConnection was created with " + oldKey + " which was Inactive at ");
    }
}
