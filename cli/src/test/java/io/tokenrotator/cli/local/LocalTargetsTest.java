package io.tokenrotator.cli.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.json.Json;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.ConsumerTemplates;
import io.tokenrotator.simulator.Fleet;
import io.tokenrotator.simulator.FleetSpec;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A local organization: a function assumes the target role with its own key (signed in the home region) and then
 * calls CloudFormation in the target account and region with the temporary credentials, as the deployed functions
 * do; without the role there the assume is refused.
 */
class LocalTargetsTest {
    static final String DEV = "111111111111";
    static final String PROD = "222222222222";
    private final LocalEnvironment env = new LocalEnvironment(60, InputRules.Defaults.NONE,
            io.tokenrotator.wiring.Permissions.declared(), List.of(),
            new LocalTargets(List.of(DEV, PROD), List.of("us-east-1", "eu-west-1")));
    private final List<SdkAutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() {
        open.forEach(SdkAutoCloseable::close);
        env.close();
    }

    private <C extends SdkAutoCloseable> C keep(C client) {
        open.add(client);
        return client;
    }

    /** The function's own STS client (home region, its own key) and a provider of the target role's credentials. */
    private StsAssumeRoleCredentialsProvider targetRole(RotatorFunction function, String account) {
        StsClient sts = keep(StsClient.builder().endpointOverride(env.simulator.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalPermissions.accessKeyId(function), "local")))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build());
        return keep(StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(b -> b.roleArn("arn:aws:iam::" + account + ":role/" + LocalTargets.ROLE_NAME)
                        .roleSessionName("TokenRotator-" + function.id())).build());
    }

    private CloudFormationClient cloudFormation(StsAssumeRoleCredentialsProvider credentials, String region) {
        return keep(CloudFormationClient.builder().endpointOverride(env.simulator.endpoint()).region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build());
    }

    @Test
    void aFunctionAssumesTheTargetRoleAndActsInTheTargetAccountAndRegion() {
        CloudFormationModel devIreland = env.simulator.cloudFormation(DEV, "eu-west-1");
        devIreland.createStack(new CloudFormationModel.StackSpec("dev-app", ConsumerTemplates.unrelated(), Map.of()));

        CloudFormationClient asFindStacks = cloudFormation(targetRole(RotatorFunction.FIND_STACKS, DEV), "eu-west-1");
        assertThat(asFindStacks.describeStacksPaginator().stacks()).extracting(Stack::stackId)
                .containsExactly(devIreland.inspect("dev-app").id());
        CloudFormationClient asStatus = cloudFormation(targetRole(RotatorFunction.STACK_STATUS, DEV), "us-east-1");
        assertThat(asStatus.describeStacks().stacks()).as("the same account's other region").isEmpty();
        assertThat(env.allCloudFormation()).as("home and 2 accounts x 2 regions").hasSize(5);
    }

    @Test
    void theTargetRoleReadsTheCentralTemplatesAndNothingElseOfTheRunBucket() {
        S3Client operator = keep(S3Client.builder().endpointOverride(env.simulator.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("local", "local"))).build());
        operator.putObject(b -> b.bucket(LocalEnvironment.RUN_BUCKET).key("templates/t.json"), RequestBody.fromString("{}"));
        operator.putObject(b -> b.bucket(LocalEnvironment.RUN_BUCKET).key("runs/plan.json"), RequestBody.fromString("{}"));
        S3Client asRole = keep(S3Client.builder().endpointOverride(env.simulator.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(targetRole(RotatorFunction.UPDATE_STACK, PROD)).build());
        assertThat(asRole.getObjectAsBytes(b -> b.bucket(LocalEnvironment.RUN_BUCKET).key("templates/t.json"))
                .asUtf8String()).isEqualTo("{}");
        AwsServiceException denied = catchThrowableOfType(AwsServiceException.class, () -> asRole.getObjectAsBytes(
                b -> b.bucket(LocalEnvironment.RUN_BUCKET).key("runs/plan.json")));
        assertThat(denied.statusCode()).isEqualTo(403);
    }

    private static void toFalse(CloudFormationClient client, String stack) {
        client.updateStack(b -> b.stackName(stack).usePreviousTemplate(true).parameters(
                Parameter.builder().parameterKey("RotateToken").parameterValue("false").build(),
                Parameter.builder().parameterKey("Environment").usePreviousValue(true).build(),
                Parameter.builder().parameterKey("DbPassword").usePreviousValue(true).build()));
    }

    @Test
    void updateStackUpdatesATargetsStackWithTheRoleUntilTheRoleLosesThePermission() {
        Fleet.Spread fleet = Fleet.buildAcross(FleetSpec.healthy(4, 3, Duration.ofSeconds(60)), env.simulator,
                List.of(new Fleet.Target(LocalPermissions.ACCOUNT, LocalPermissions.REGION),
                        new Fleet.Target(DEV, "eu-west-1")));
        List<String> devStacks = fleet.stacksIn(DEV, "eu-west-1");
        assertThat(devStacks).hasSize(2);
        CloudFormationClient asUpdateStack = cloudFormation(targetRole(RotatorFunction.UPDATE_STACK, DEV), "eu-west-1");

        toFalse(asUpdateStack, devStacks.get(0));
        assertThat(env.simulator.cloudFormation(DEV, "eu-west-1").inspect(devStacks.get(0)).status())
                .isEqualTo("UPDATE_IN_PROGRESS");

        env.iam.revoke(DEV, LocalTargets.ROLE_NAME, "cloudformation:UpdateStack");
        AwsServiceException denied = catchThrowableOfType(AwsServiceException.class,
                () -> toFalse(asUpdateStack, devStacks.get(1)));
        assertThat(denied.awsErrorDetails().errorMessage()).startsWith("User: arn:aws:sts::" + DEV
                + ":assumed-role/" + LocalTargets.ROLE_NAME + "/TokenRotator-UpdateStack is not authorized to perform:"
                + " cloudformation:UpdateStack on resource: " + fleet.stackIdOf().get(devStacks.get(1)));
    }

    @Test
    void withoutTheRoleInTheTargetAccountTheAssumeIsRefused() {
        env.iam.removeRole(PROD, LocalTargets.ROLE_NAME);
        CloudFormationClient client = cloudFormation(targetRole(RotatorFunction.UPDATE_STACK, PROD), "eu-west-1");
        AwsServiceException denied = catchThrowableOfType(AwsServiceException.class, client::describeStacks);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: "
                + LocalPermissions.callerArn(RotatorFunction.UPDATE_STACK)
                + " is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::" + PROD + ":role/"
                + LocalTargets.ROLE_NAME);
    }

    @Test
    void aFunctionThatDoesNotActOnTargetsMayNotAssumeTheRole() {
        CloudFormationClient client = cloudFormation(targetRole(RotatorFunction.RECORD_RESULT, DEV), "eu-west-1");
        AwsServiceException denied = catchThrowableOfType(AwsServiceException.class, client::describeStacks);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
    }

    @Test
    void theTargetedFunctionsAreToldTheTargetsAndHome() throws Exception {
        for (RotatorFunction f : LocalEnvironment.TARGETED) {
            Map<String, String> environment = env.environmentOf(f);
            JsonNode targets = Json.MAPPER.readTree(environment.get("TARGETS"));
            assertThat(targets.path("includeHome").asBoolean()).isTrue();
            assertThat(targets.path("targets").get(0).path("accounts").toString()).isEqualTo("[\"" + DEV + "\",\"" + PROD + "\"]");
            assertThat(environment).containsEntry("HOME_ACCOUNT", LocalPermissions.ACCOUNT)
                    .containsEntry("AWS_PARTITION", "aws");
        }
        assertThat(env.environmentOf(RotatorFunction.RECORD_RESULT)).doesNotContainKey("TARGETS");
    }
}
