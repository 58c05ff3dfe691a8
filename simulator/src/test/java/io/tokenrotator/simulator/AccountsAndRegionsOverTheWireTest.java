package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tokenrotator.simulator.SignedClients.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One server hosting several accounts and regions: requests go to the signer's account in the signed region, each
 * (account, region) has its own stacks and rate limits, the home secrets have replicas in the home account's other
 * regions (lagging), and other accounts read the home secret by full ARN only when it is shared with them.
 */
class AccountsAndRegionsOverTheWireTest {
    static final String HOME = "123456789012";
    static final String DEV = "111111111111";
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", HOME);
    private final CloudFormationModel home = new CloudFormationModel(clock, secrets, "us-east-1", HOME);
    private final IamModel iam = new IamModel();
    private final SimulatorServer server;
    private final List<software.amazon.awssdk.utils.SdkAutoCloseable> open = new ArrayList<>();
    private final String secretArn;

    AccountsAndRegionsOverTheWireTest() throws IOException {
        server = new SimulatorServer(home, secrets, iam, clock);
        iam.addAdministrator("HOMEADMIN", "arn:aws:iam::" + HOME + ":user/admin");
        iam.addAdministrator("DEVADMIN", "arn:aws:iam::" + DEV + ":user/admin");
        secretArn = secrets.createSecret("prod/api-token", "v1");
    }

    @AfterEach
    void close() {
        open.forEach(software.amazon.awssdk.utils.SdkAutoCloseable::close);
        server.close();
    }

    CloudFormationClient cfn(String accessKeyId, String region) {
        return cfn(AwsBasicCredentials.create(accessKeyId, "x"), region);
    }

    CloudFormationClient cfn(AwsCredentials credentials, String region) {
        CloudFormationClient c = CloudFormationClient.builder().endpointOverride(server.endpoint())
                .region(Region.of(region)).credentialsProvider(StaticCredentialsProvider.create(credentials))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        open.add(c);
        return c;
    }

    SecretsManagerClient secretsManager(String accessKeyId, String region) {
        SecretsManagerClient c = SecretsManagerClient.builder().endpointOverride(server.endpoint())
                .region(Region.of(region)).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKeyId, "x")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        open.add(c);
        return c;
    }

    private static List<String> stackNames(CloudFormationClient client) {
        return client.describeStacksPaginator(b -> { }).stacks().stream().map(Stack::stackName).toList();
    }

    private static void stack(CloudFormationModel cfn, String name, String secretRef) {
        cfn.createStack(new CloudFormationModel.StackSpec(name, ConsumerTemplates.rotating(secretRef), Map.of()));
    }

    private static List<String> resolvedVersions(CloudFormationModel cfn, String stack) {
        return cfn.inspect(stack).resources().values().stream().flatMap(r -> r.secretVersions().stream()).toList();
    }

    @Test
    void aRequestActsInTheSignersAccountAndTheSignedRegion() {
        stack(home, "home-app", "prod/api-token");
        CloudFormationModel devIreland = server.addTarget(DEV, "eu-west-1");
        devIreland.createStack(new CloudFormationModel.StackSpec("dev-app", ConsumerTemplates.unrelated(), Map.of()));

        assertThat(stackNames(cfn("DEVADMIN", "eu-west-1"))).containsExactly("dev-app");
        assertThat(stackNames(cfn("DEVADMIN", "us-west-2"))).as("the same account, another region").isEmpty();
        assertThat(stackNames(cfn("HOMEADMIN", "us-east-1"))).containsExactly("home-app");
        assertThat(cfn("DEVADMIN", "eu-west-1").describeStacks(b -> b.stackName("dev-app")).stacks().get(0).stackId())
                .startsWith("arn:aws:cloudformation:eu-west-1:" + DEV + ":stack/dev-app/");
        assertThat(server.hosted()).contains(HOME + "/us-east-1", DEV + "/eu-west-1", DEV + "/us-west-2");
    }

    @Test
    void eachAccountAndRegionHasItsOwnRateLimit() {
        server.addTarget(DEV, "eu-west-1");
        server.limit(DEV, "eu-west-1", "DescribeStacks", 1, 1);
        CloudFormationClient dev = cfn("DEVADMIN", "eu-west-1");
        dev.describeStacks();
        AwsServiceException throttled = refused(dev::describeStacks);
        assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        for (int i = 0; i < 3; i++) {
            cfn("HOMEADMIN", "us-east-1").describeStacks(); // home has no limit: not slowed by the target's
            cfn("DEVADMIN", "eu-central-1").describeStacks(); // nor the same account's other region
        }
        assertThat(server.throttledCounts(DEV, "eu-west-1")).containsEntry("DescribeStacks", 1L);
        assertThat(server.throttledCounts(HOME, "us-east-1")).isEmpty();
        assertThat(server.callCounts(DEV, "eu-central-1")).containsEntry("DescribeStacks", 3L);
    }

    @Test
    void replicasInOtherRegionsCarryTheHomeSecretsVersionsAfterTheLag() {
        server.replicaLag(Duration.ofSeconds(60));
        CloudFormationModel homeIreland = server.addTarget(HOME, "eu-west-1");
        String v1 = secrets.describeOrThrow("prod/api-token").versionWithStage(SecretsManagerModel.AWSCURRENT);
        clock.advance(Duration.ofSeconds(1));
        String v2 = secrets.putSecretValue("prod/api-token", "v2", null);

        DescribeSecretResponse replica = secretsManager("HOMEADMIN", "eu-west-1")
                .describeSecret(b -> b.secretId("prod/api-token"));
        assertThat(replica.arn()).isEqualTo(secretArn.replace(":us-east-1:", ":eu-west-1:"));
        assertThat(replica.versionIdsToStages().get(v1)).as("not replicated yet").contains("AWSCURRENT");
        stack(homeIreland, "early", "prod/api-token"); // a stack there resolves its region's replica
        assertThat(resolvedVersions(homeIreland, "early")).containsOnly(v1);

        clock.advance(Duration.ofSeconds(60));
        DescribeSecretResponse later = secretsManager("HOMEADMIN", "eu-west-1")
                .describeSecret(b -> b.secretId(secretArn.replace(":us-east-1:", ":eu-west-1:")));
        assertThat(later.versionIdsToStages().get(v2)).contains("AWSCURRENT");
        assertThat(later.versionIdsToStages().get(v1)).contains("AWSPREVIOUS");
        stack(homeIreland, "late", "prod/api-token");
        assertThat(resolvedVersions(homeIreland, "late")).containsOnly(v2);

        AwsServiceException elsewhere = refused(() -> secretsManager("HOMEADMIN", "eu-west-1")
                .describeSecret(b -> b.secretId(secretArn)));
        assertThat(elsewhere.awsErrorDetails().errorCode()).as("the primary's ARN is not the replica's")
                .isEqualTo("ResourceNotFoundException");
        AwsServiceException write = refused(() -> secretsManager("HOMEADMIN", "eu-west-1")
                .putSecretValue(b -> b.secretId("prod/api-token").secretString("v3")));
        assertThat(write.awsErrorDetails().errorCode()).isEqualTo("InvalidRequestException");
        assertThat(secretsManager("HOMEADMIN", "us-east-1").describeSecret(b -> b.secretId("prod/api-token")).arn())
                .as("the primary is the home region's").isEqualTo(secretArn);
    }

    @Test
    void anotherAccountResolvesTheHomeSecretByFullArnOnlyWhenItIsSharedWithIt() {
        CloudFormationModel dev = server.addTarget(DEV, "eu-west-1");
        assertThatThrownBy(() -> stack(dev, "by-name", "prod/api-token"))
                .as("a name resolves the stack's own account, which has no such secret")
                .hasMessageContaining("can't find the specified secret");
        assertThatThrownBy(() -> stack(dev, "not-shared", secretArn))
                .hasMessageContaining("is not authorized to perform: secretsmanager:GetSecretValue on resource: "
                        + secretArn);
        AwsServiceException describe = refused(() -> secretsManager("DEVADMIN", "us-east-1")
                .describeSecret(b -> b.secretId(secretArn)));
        assertThat(describe.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");

        secrets.shareWith(secretArn, List.of(DEV));
        stack(dev, "shared", secretArn);
        assertThat(resolvedVersions(dev, "shared"))
                .containsOnly(secrets.describeOrThrow(secretArn).versionWithStage(SecretsManagerModel.AWSCURRENT));
        assertThat(secretsManager("DEVADMIN", "us-east-1").describeSecret(b -> b.secretId(secretArn)).arn())
                .as("signed for the secret's region").isEqualTo(secretArn);
    }

    @Test
    void aDisabledRegionRefusesEveryCallSignedForItAsAnInvalidToken() {
        server.addTarget(DEV, "ap-east-1");
        cfn("DEVADMIN", "ap-east-1").describeStacks();
        server.disableRegion(DEV, "ap-east-1");

        AwsServiceException cfn = refused(() -> cfn("DEVADMIN", "ap-east-1").describeStacks());
        assertThat(cfn.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        assertThat(cfn.statusCode()).isEqualTo(403);
        AwsServiceException sm = refused(() -> secretsManager("DEVADMIN", "ap-east-1")
                .describeSecret(b -> b.secretId("x")));
        assertThat(sm.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
        cfn("DEVADMIN", "eu-west-1").describeStacks(); // the account's other regions answer
        cfn("HOMEADMIN", "ap-east-1").describeStacks(); // and other accounts there
    }
}
