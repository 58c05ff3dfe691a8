package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.ListAccessKeysResponse;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.tokenrotator.simulator.SignedClients.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** IAM users' access keys and STS GetCallerIdentity, as the real IAM and STS clients of the SDK see them. */
class AccessKeysOverTheWireTest {
    private static final String ACCOUNT = "123456789012";
    private static final String ADMIN = "AKIAADMINISTRATOR1";
    private static final Duration PROPAGATION = Duration.ofSeconds(30);

    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", ACCOUNT);
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets, "us-east-1", ACCOUNT);
    private final IamModel iam = new IamModel(ACCOUNT, PROPAGATION);
    private final SimulatorServer server;
    private final SignedClients clients;
    private final IamClient admin;

    AccessKeysOverTheWireTest() throws IOException {
        iam.addAdministrator(ADMIN, "arn:aws:iam::" + ACCOUNT + ":user/admin");
        iam.users().createUser("app", List.of(allow("cloudformation:DescribeStacks", "*"),
                allow("cloudformation:ListStacks", "*")));
        server = new SimulatorServer(model, secrets, iam, clock);
        clients = new SignedClients(server.endpoint());
        admin = clients.iam(ADMIN);
        model.createStack(new CloudFormationModel.StackSpec("app-1", ConsumerTemplates.unrelated(), Map.of()));
    }

    @AfterEach
    void close() {
        server.close();
        clients.close();
    }

    private static IamModel.Statement allow(String action, String... resources) {
        return new IamModel.Statement(List.of(action), List.of(resources));
    }

    private AccessKey newKey(String user) {
        return admin.createAccessKey(b -> b.userName(user)).accessKey();
    }

    private static AwsBasicCredentials credentials(AccessKey key) {
        return AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey());
    }

    private GetCallerIdentityResponse whoAmI(AccessKey key) {
        return clients.sts(credentials(key), Region.US_EAST_1).getCallerIdentity();
    }

    private void propagate() {
        clock.advance(PROPAGATION);
    }

    private static void assertInvalidToken(AwsServiceException e) {
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
    }

    @Test
    void aNewKeyIsActiveWithAnAkiaIdAFortyCharacterSecretAndItsCreateDate() {
        AccessKey key = newKey("app");

        assertThat(key.userName()).isEqualTo("app");
        assertThat(key.accessKeyId()).matches("AKIA[A-Z2-7]{16}");
        assertThat(key.secretAccessKey()).hasSize(40).matches("[A-Za-z0-9/+]{40}");
        assertThat(key.status()).isEqualTo(StatusType.ACTIVE);
        assertThat(key.createDate()).isEqualTo(clock.now());
        assertThat(newKey("app").accessKeyId()).isNotEqualTo(key.accessKeyId());
    }

    @Test
    void aUserHasAtMostTwoKeysActiveOrInactive() {
        AccessKey first = newKey("app");
        newKey("app");
        admin.updateAccessKey(b -> b.userName("app").accessKeyId(first.accessKeyId()).status(StatusType.INACTIVE));

        AwsServiceException e = refused(() -> newKey("app"));
        assertThat(e.statusCode()).isEqualTo(409);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("LimitExceeded");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot exceed quota for AccessKeysPerUser: 2");

        admin.deleteAccessKey(b -> b.userName("app").accessKeyId(first.accessKeyId()));
        assertThat(newKey("app").status()).isEqualTo(StatusType.ACTIVE);
    }

    @Test
    void anUnknownUserIsNoSuchEntity() {
        AwsServiceException e = refused(() -> newKey("nobody"));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The user with name nobody cannot be found.");
    }

    @Test
    void listAccessKeysGivesMetadataOnlyAndPagesWithMarker() throws Exception {
        AccessKey first = newKey("app");
        clock.advance(Duration.ofSeconds(1));
        AccessKey second = newKey("app");

        ListAccessKeysResponse page1 = admin.listAccessKeys(b -> b.userName("app").maxItems(1));
        assertThat(page1.isTruncated()).isTrue();
        assertThat(page1.marker()).isNotBlank();
        assertThat(page1.accessKeyMetadata()).extracting(AccessKeyMetadata::accessKeyId).containsExactly(first.accessKeyId());
        ListAccessKeysResponse page2 = admin.listAccessKeys(b -> b.userName("app").maxItems(1).marker(page1.marker()));
        assertThat(page2.isTruncated()).isFalse();
        assertThat(page2.marker()).isNull();
        assertThat(page2.accessKeyMetadata()).extracting(AccessKeyMetadata::accessKeyId).containsExactly(second.accessKeyId());

        List<AccessKeyMetadata> all = admin.listAccessKeysPaginator(b -> b.userName("app").maxItems(1))
                .accessKeyMetadata().stream().toList();
        assertThat(all).extracting(AccessKeyMetadata::accessKeyId, AccessKeyMetadata::status, AccessKeyMetadata::createDate)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first.accessKeyId(), StatusType.ACTIVE, first.createDate()),
                        org.assertj.core.groups.Tuple.tuple(second.accessKeyId(), StatusType.ACTIVE, second.createDate()));

        // on the wire: metadata only, never a secret access key
        String body = rawIamCall("Action=ListAccessKeys&Version=2010-05-08&UserName=app");
        assertThat(body).contains(first.accessKeyId(), second.accessKeyId())
                .doesNotContain(first.secretAccessKey(), second.secretAccessKey(), "SecretAccessKey");
    }

    @Test
    void maxItemsOutsideOneToAThousandIsAValidationError() {
        AwsServiceException zero = refused(() -> admin.listAccessKeys(b -> b.userName("app").maxItems(0)));
        assertThat(zero.statusCode()).isEqualTo(400);
        assertThat(zero.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(zero.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value '0' at 'maxItems'"
                + " failed to satisfy constraint: Member must have value greater than or equal to 1");
        assertThat(refused(() -> admin.listAccessKeys(b -> b.userName("app").maxItems(1001))).awsErrorDetails()
                .errorMessage()).endsWith("Member must have value less than or equal to 1000");
    }

    @Test
    void aKeyIsNotUsableUntilTheChangeHasPropagated() {
        AccessKey key = newKey("app");

        assertInvalidToken(refused(() -> whoAmI(key)));
        clock.advance(PROPAGATION.minusSeconds(1));
        assertInvalidToken(refused(() -> whoAmI(key)));
        clock.advance(Duration.ofSeconds(1));
        assertThat(whoAmI(key).arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/app");
    }

    @Test
    void thePropagationDelayDefaultsToAFewSeconds() {
        assertThat(new IamModel().users().propagationDelay()).isEqualTo(IamUsers.DEFAULT_PROPAGATION_DELAY)
                .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Test
    void getCallerIdentityNamesTheKeysUserAndNeedsNoPermission() {
        iam.users().createUser("bare", List.of());
        AccessKey key = newKey("bare");
        propagate();

        GetCallerIdentityResponse me = whoAmI(key);
        assertThat(me.account()).isEqualTo(ACCOUNT);
        assertThat(me.arn()).isEqualTo("arn:aws:iam::" + ACCOUNT + ":user/bare");
        assertThat(me.userId()).matches("AIDA[A-Z2-7]{17}").isEqualTo(iam.users().user("bare").orElseThrow().userId());
    }

    @Test
    void aDeactivatedKeyIsRefusedByEveryServiceInItsOwnFormatAndWorksAgainWhenReactivated() {
        AccessKey key = newKey("app");
        propagate();
        assertThat(clients.cloudFormation(credentials(key)).describeStacks(b -> b.stackName("app-1")).stacks()).hasSize(1);

        admin.updateAccessKey(b -> b.userName("app").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));

        assertThat(admin.listAccessKeys(b -> b.userName("app")).accessKeyMetadata())
                .extracting(AccessKeyMetadata::status).containsExactly(StatusType.INACTIVE);
        assertInvalidToken(refused(() -> whoAmI(key)));
        assertInvalidToken(refused(() -> clients.cloudFormation(credentials(key)).describeStacks(b -> b.stackName("app-1"))));
        assertInvalidToken(refused(() -> clients.iam(credentials(key)).listAccessKeys()));
        AwsServiceException sm = refused(() -> clients.secretsManager(key.accessKeyId()).describeSecret(b -> b.secretId("x")));
        assertThat(sm.statusCode()).isEqualTo(400);
        assertThat(sm.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        AwsServiceException s3 = refused(() -> clients.s3(key.accessKeyId()).getObjectAsBytes(b -> b.bucket("runs").key("k")));
        assertThat(s3.statusCode()).isEqualTo(403);
        assertThat(s3.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");

        admin.updateAccessKey(b -> b.userName("app").accessKeyId(key.accessKeyId()).status(StatusType.ACTIVE));
        assertThat(whoAmI(key).arn()).endsWith(":user/app");
    }

    @Test
    void aDeletedKeyIsRefusedAndGone() {
        AccessKey key = newKey("app");
        propagate();
        admin.deleteAccessKey(b -> b.userName("app").accessKeyId(key.accessKeyId()));

        assertInvalidToken(refused(() -> whoAmI(key)));
        assertThat(admin.listAccessKeys(b -> b.userName("app")).accessKeyMetadata()).isEmpty();
        AwsServiceException again = refused(() -> admin.deleteAccessKey(b -> b.userName("app").accessKeyId(key.accessKeyId())));
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(again.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
        assertThat(again.awsErrorDetails().errorMessage())
                .isEqualTo("The Access Key with id " + key.accessKeyId() + " cannot be found.");
        assertThat(refused(() -> admin.updateAccessKey(b -> b.userName("app").accessKeyId(key.accessKeyId())
                .status(StatusType.ACTIVE))).awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
    }

    @Test
    void aKeyOfAnotherUserIsNotFoundUnderThisUser() {
        iam.users().createUser("other", List.of());
        AccessKey key = newKey("other");

        AwsServiceException e = refused(() -> admin.updateAccessKey(b -> b.userName("app").accessKeyId(key.accessKeyId())
                .status(StatusType.INACTIVE)));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchEntity");
        assertThat(admin.listAccessKeys(b -> b.userName("other")).accessKeyMetadata())
                .extracting(AccessKeyMetadata::status).containsExactly(StatusType.ACTIVE);
    }

    @Test
    void aNeverUsedKeyReportsNotApplicableAndNoDate() {
        AccessKey key = newKey("app");

        var lastUsed = admin.getAccessKeyLastUsed(b -> b.accessKeyId(key.accessKeyId()));
        assertThat(lastUsed.userName()).isEqualTo("app");
        assertThat(lastUsed.accessKeyLastUsed().serviceName()).isEqualTo("N/A");
        assertThat(lastUsed.accessKeyLastUsed().region()).isEqualTo("N/A");
        assertThat(lastUsed.accessKeyLastUsed().lastUsedDate()).isNull();
    }

    @Test
    void lastUsedRecordsTheDateServiceAndRegionOfTheLatestRequest() {
        AccessKey key = newKey("app");
        propagate();
        Instant first = clock.now();
        clients.sts(credentials(key), Region.EU_WEST_1).getCallerIdentity();

        AccessKeyLastUsed afterSts = admin.getAccessKeyLastUsed(b -> b.accessKeyId(key.accessKeyId())).accessKeyLastUsed();
        assertThat(afterSts.lastUsedDate()).isEqualTo(first);
        assertThat(afterSts.serviceName()).isEqualTo("sts");
        assertThat(afterSts.region()).isEqualTo("eu-west-1");

        clock.advance(Duration.ofHours(2));
        clients.cloudFormation(credentials(key)).describeStacks(b -> b.stackName("app-1"));
        AccessKeyLastUsed afterCfn = admin.getAccessKeyLastUsed(b -> b.accessKeyId(key.accessKeyId())).accessKeyLastUsed();
        assertThat(afterCfn.lastUsedDate()).isEqualTo(first.plus(Duration.ofHours(2)));
        assertThat(afterCfn.serviceName()).isEqualTo("cloudformation");
        assertThat(afterCfn.region()).isEqualTo("us-east-1");

        // a refused (inactive) key is not used
        admin.updateAccessKey(b -> b.userName("app").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
        clock.advance(Duration.ofHours(1));
        refused(() -> whoAmI(key));
        assertThat(admin.getAccessKeyLastUsed(b -> b.accessKeyId(key.accessKeyId())).accessKeyLastUsed().lastUsedDate())
                .isEqualTo(afterCfn.lastUsedDate());
    }

    @Test
    void iamActionsNeedTheCallersIdentityPolicyOnTheUsersArn() {
        String appArn = "arn:aws:iam::" + ACCOUNT + ":user/app";
        iam.users().createUser("rotator", List.of(allow("iam:ListAccessKeys", appArn),
                allow("iam:CreateAccessKey", "arn:aws:iam::" + ACCOUNT + ":user/ap?")));
        AccessKey rotatorKey = newKey("rotator");
        propagate();
        IamClient rotator = clients.iam(credentials(rotatorKey));

        assertThat(rotator.createAccessKey(b -> b.userName("app")).accessKey().userName()).isEqualTo("app");
        assertThat(rotator.listAccessKeys(b -> b.userName("app")).accessKeyMetadata()).hasSize(1);
        AwsServiceException e = refused(() -> rotator.deleteAccessKey(b -> b.userName("app").accessKeyId("AKIAAAAAAAAAAAAAAAAA")));
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: arn:aws:iam::" + ACCOUNT + ":user/rotator is not"
                + " authorized to perform: iam:DeleteAccessKey on resource: " + appArn + " because no identity-based"
                + " policy allows the iam:DeleteAccessKey action");
        assertThat(refused(() -> rotator.listAccessKeys(b -> b.userName("rotator"))).awsErrorDetails().errorMessage())
                .contains("iam:ListAccessKeys on resource: arn:aws:iam::" + ACCOUNT + ":user/rotator");
        assertThat(refused(() -> rotator.getAccessKeyLastUsed(b -> b.accessKeyId(rotatorKey.accessKeyId())))
                .awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }

    @Test
    void withoutUserNameTheCallersOwnUserIsMeant() {
        iam.users().createUser("self", List.of(allow("iam:*AccessKey*", "arn:aws:iam::" + ACCOUNT + ":user/self")));
        AccessKey key = newKey("self");
        propagate();
        IamClient self = clients.iam(credentials(key));

        assertThat(self.listAccessKeys().accessKeyMetadata()).extracting(AccessKeyMetadata::userName).containsExactly("self");
        assertThat(self.createAccessKey().accessKey().userName()).isEqualTo("self");
        assertInvalidToken(refused(() -> clients.iam("AKIAUNKNOWNKEY000000").listAccessKeys()));
    }

    @Test
    void aRoleCallingWithoutUserNameMustNameTheUser() {
        iam.add(new IamModel.Principal("ASIAROLESESSION1", "arn:aws:sts::" + ACCOUNT + ":assumed-role/r/s",
                List.of(allow("iam:*", "*"))));
        AwsServiceException e = refused(() -> clients.iam("ASIAROLESESSION1").listAccessKeys());
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Must specify userName when calling with non-User credentials");
        assertThat(clients.iam("ASIAROLESESSION1").listAccessKeys(b -> b.userName("app")).accessKeyMetadata()).isEmpty();
    }

    private String rawIamCall(String form) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.endpoint())
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + ADMIN
                        + "/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
