package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.tokenrotator.simulator.SignedClients.refused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * STS AssumeRole across accounts: the central function assumes a target account's role (trust, external id,
 * organization, its own sts:AssumeRole grant all checked), then acts in the target with the role's permissions only,
 * until the credentials expire; a missing role, a role lacking a permission and a disabled region are refused as AWS
 * refuses them.
 */
class AssumeRoleOverTheWireTest {
    static final String HOME = "123456789012";
    static final String TARGET = "222222222222";
    static final String ROLE_ARN = "arn:aws:iam::" + TARGET + ":role/TokenRotatorTarget";
    static final String FUNCTION_ROLE = "arn:aws:iam::" + HOME + ":role/TokenRotator-FindStacksRole";
    static final String FUNCTION = "arn:aws:sts::" + HOME + ":assumed-role/TokenRotator-FindStacksRole/TokenRotator-FindStacks";
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", HOME);
    private final IamModel iam = new IamModel();
    private final SimulatorServer server;
    private final List<software.amazon.awssdk.utils.SdkAutoCloseable> open = new ArrayList<>();

    AssumeRoleOverTheWireTest() throws IOException {
        server = new SimulatorServer(new CloudFormationModel(clock, secrets, "us-east-1", HOME), secrets, iam, clock);
        iam.add(new IamModel.Principal("ASIAFINDSTACKS", FUNCTION, List.of(
                new IamModel.Statement(List.of("sts:AssumeRole"), List.of("arn:aws:iam::*:role/TokenRotatorTarget")))));
        iam.add(new IamModel.Principal("ASIANOGRANT", FUNCTION.replace("FindStacks", "Other"), List.of()));
        server.addTarget(TARGET, "eu-west-1").createStack(
                new CloudFormationModel.StackSpec("target-app", ConsumerTemplates.unrelated(), Map.of()));
        role("ext-123", null);
    }

    @AfterEach
    void close() {
        open.forEach(software.amazon.awssdk.utils.SdkAutoCloseable::close);
        server.close();
    }

    private void role(String externalId, String orgId) {
        iam.addRole(TARGET, "TokenRotatorTarget", List.of(FUNCTION_ROLE), externalId, orgId, List.of(
                new IamModel.Statement(List.of("cloudformation:DescribeStacks", "cloudformation:ListStacks"),
                        List.of("*"))));
    }

    private StsClient sts(String accessKeyId) {
        StsClient c = StsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "x")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        open.add(c);
        return c;
    }

    private AssumeRoleResponse assume(String accessKeyId, Consumer<AssumeRoleRequest.Builder> more) {
        return sts(accessKeyId).assumeRole(b -> {
            b.roleArn(ROLE_ARN).roleSessionName("TokenRotator-FindStacks").externalId("ext-123");
            more.accept(b);
        });
    }

    private CloudFormationClient cfnAs(AssumeRoleResponse assumed, String region) {
        var c = assumed.credentials();
        CloudFormationClient client = CloudFormationClient.builder().endpointOverride(server.endpoint())
                .region(Region.of(region)).credentialsProvider(StaticCredentialsProvider.create(
                        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        open.add(client);
        return client;
    }

    private static String refusal(Runnable call) {
        AwsServiceException e = refused(call);
        return e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }

    @Test
    void aTrustedFunctionGetsTemporaryCredentialsThatActInTheTargetAccount() {
        AssumeRoleResponse assumed = assume("ASIAFINDSTACKS", b -> { });

        assertThat(assumed.credentials().accessKeyId()).startsWith("ASIA");
        assertThat(assumed.credentials().sessionToken()).isNotBlank();
        assertThat(assumed.credentials().expiration()).isEqualTo(clock.now().plus(Duration.ofHours(1)));
        assertThat(assumed.assumedRoleUser().arn())
                .isEqualTo("arn:aws:sts::" + TARGET + ":assumed-role/TokenRotatorTarget/TokenRotator-FindStacks");
        assertThat(cfnAs(assumed, "eu-west-1").describeStacks().stacks()).extracting(Stack::stackName)
                .containsExactly("target-app");
        var c = assumed.credentials();
        StsClient asRole = StsClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(),
                        c.secretAccessKey(), c.sessionToken()))).build();
        open.add(asRole);
        assertThat(asRole.getCallerIdentity().account()).isEqualTo(TARGET);
    }

    @Test
    void anyFailedCheckIsTheSameAccessDeniedNamingCallerAndRole() {
        String denied = "AccessDenied: User: " + FUNCTION
                + " is not authorized to perform: sts:AssumeRole on resource: " + ROLE_ARN;
        assertThat(refusal(() -> assume("ASIAFINDSTACKS", b -> b.externalId("wrong")))).isEqualTo(denied);
        assertThat(refusal(() -> assume("ASIAFINDSTACKS", b -> b.externalId(null)))).isEqualTo(denied);
        assertThat(refusal(() -> assume("ASIANOGRANT", b -> { }))).as("not trusted, no grant")
                .startsWith("AccessDenied: User: " + FUNCTION.replace("FindStacks", "Other"));
        iam.add(new IamModel.Principal("ASIANOPOLICY", FUNCTION, List.of()));
        assertThat(refusal(() -> assume("ASIANOPOLICY", b -> { }))).as("trusted, but its own policy lacks the grant")
                .isEqualTo(denied);
        iam.removeRole(TARGET, "TokenRotatorTarget");
        assertThat(refusal(() -> assume("ASIAFINDSTACKS", b -> { }))).as("role missing").isEqualTo(denied);
    }

    @Test
    void anOrganizationConditionAdmitsOnlyItsAccounts() {
        role(null, "o-abc123");
        assertThat(refusal(() -> assume("ASIAFINDSTACKS", b -> b.externalId(null)))).startsWith("AccessDenied");
        iam.organization("o-abc123", List.of(HOME, TARGET));
        assertThat(assume("ASIAFINDSTACKS", b -> b.externalId(null)).credentials().accessKeyId()).startsWith("ASIA");
    }

    @Test
    void theRolesPermissionsAloneApplyAndAChangeReachesLiveSessions() {
        CloudFormationClient target = cfnAs(assume("ASIAFINDSTACKS", b -> { }), "eu-west-1");
        assertThat(refusal(() -> target.getTemplate(b -> b.stackName("target-app"))))
                .startsWith("AccessDenied: User: arn:aws:sts::" + TARGET + ":assumed-role/TokenRotatorTarget/");
        iam.revoke(TARGET, "TokenRotatorTarget", "cloudformation:ListStacks");
        assertThat(refusal(target::describeStacks)).contains("cloudformation:ListStacks");
    }

    @Test
    void expiredCredentialsAnswerExpiredToken() {
        CloudFormationClient target = cfnAs(assume("ASIAFINDSTACKS", b -> b.durationSeconds(900)), "eu-west-1");
        target.describeStacks();
        clock.advance(Duration.ofSeconds(900));
        AwsServiceException expired = refused(target::describeStacks);
        assertThat(expired.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
        assertThat(expired.statusCode()).isEqualTo(403);
    }

    @Test
    void aRegionNotEnabledInTheTargetRefusesTheSessionsCallsThere() {
        AssumeRoleResponse assumed = assume("ASIAFINDSTACKS", b -> { });
        server.disableRegion(TARGET, "eu-west-1");
        assertThat(refusal(() -> cfnAs(assumed, "eu-west-1").describeStacks()))
                .isEqualTo("InvalidClientTokenId: The security token included in the request is invalid.");
        assertThat(cfnAs(assumed, "eu-central-1").describeStacks().stacks()).isEmpty();
    }
}
