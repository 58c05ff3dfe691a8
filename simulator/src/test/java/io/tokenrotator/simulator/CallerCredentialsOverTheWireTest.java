package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.UpdateStackRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.tokenrotator.simulator.SignedClients.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What CloudFormation does with the caller's own credentials during UpdateStack, and the limits on the request:
 * re-reading SSM parameter values, running a transform, fetching a TemplateURL, the TemplateBody size.
 */
class CallerCredentialsOverTheWireTest {
    private static final String CALLER = "arn:aws:sts::123456789012:assumed-role/TokenRotator-UpdateStackRole/UpdateStack";
    private static final String STACKS = "arn:aws:cloudformation:us-east-1:123456789012:stack/*/*";
    private static final String BUCKET = "runs-bucket";
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    private final ParameterStoreModel ssm = new ParameterStoreModel("us-east-1", "123456789012");
    private final S3Model s3 = new S3Model(clock);
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets, ssm, s3, "us-east-1", "123456789012");
    private final IamModel iam = new IamModel();
    private final IamModel.Principal admin = iam.addAdministrator("ADMIN", "arn:aws:iam::123456789012:user/admin");
    private final SimulatorServer server;
    private final SignedClients clients;
    private int principals;

    CallerCredentialsOverTheWireTest() throws IOException {
        server = new SimulatorServer(model, secrets, iam, clock);
        clients = new SignedClients(server.endpoint());
        secrets.createSecret("app/token", "v1");
        ssm.put(ConsumerTemplates.CDK_BOOTSTRAP_VERSION, "21");
        ssm.put(ConsumerTemplates.LATEST_AMI, "ami-0aaaaaaaaaaaaaaa1");
        s3.createBucket(BUCKET);
    }

    @AfterEach
    void close() {
        server.close();
        clients.close();
    }

    /** A caller allowed the stack calls and whatever else is given as (action, resource) pairs. */
    private CloudFormationClient caller(String... actionResourcePairs) {
        List<IamModel.Statement> statements = new ArrayList<>(List.of(new IamModel.Statement(
                List.of("cloudformation:DescribeStacks", "cloudformation:UpdateStack"), List.of(STACKS))));
        for (int i = 0; i < actionResourcePairs.length; i += 2) {
            statements.add(new IamModel.Statement(List.of(actionResourcePairs[i]), List.of(actionResourcePairs[i + 1])));
        }
        String key = "ASIACALLER" + principals++;
        iam.add(new IamModel.Principal(key, CALLER, statements));
        return clients.cloudFormation(key);
    }

    private void stack(String name, String template, String... capabilities) {
        model.createStack(new CloudFormationModel.StackSpec(name, template, Map.of(), List.of(capabilities), null,
                null, null, Duration.ofSeconds(30), null));
    }

    /** RotateToken=false, every other parameter UsePreviousValue, as Token Rotator sends it. */
    private static void toFalse(CloudFormationClient client, String stack, Consumer<UpdateStackRequest.Builder> more) {
        client.updateStack(b -> {
            b.stackName(stack).usePreviousTemplate(true);
            more.accept(b);
            List<Parameter> params = new ArrayList<>(List.of(Parameter.builder().parameterKey("RotateToken")
                    .parameterValue("false").build()));
            for (String key : List.of("BootstrapVersion", "ImageId", "Environment", "DbPassword")) {
                if (client.describeStacks(d -> d.stackName(stack)).stacks().get(0).parameters().stream()
                        .anyMatch(p -> p.parameterKey().equals(key))) {
                    params.add(Parameter.builder().parameterKey(key).usePreviousValue(true).build());
                }
            }
            b.parameters(params);
        });
    }

    @Test
    void updatingAStackWithAnSsmParameterTypeNeedsSsmGetParametersEvenWithUsePreviousValue() {
        stack("cdk-app", ConsumerTemplates.cdkSynthesized("app/token"));

        AwsServiceException e = refused(() -> toFalse(caller(), "cdk-app", b -> { }));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage())
                .isEqualTo("AccessDenied. User doesn't have permission to call ssm:GetParameters");
        // a grant on other parameters is not enough: the bootstrap version's own ARN is evaluated
        assertThat(refused(() -> toFalse(caller("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/app/*"),
                "cdk-app", b -> { })).awsErrorDetails().errorMessage()).contains("ssm:GetParameters");
        assertThat(model.inspect("cdk-app").updatesStarted()).isZero();

        toFalse(caller("ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/*"), "cdk-app", b -> { });
        assertThat(model.inspect("cdk-app").updatesStarted()).isEqualTo(1);
    }

    @Test
    void cdkStacksKeepTheirMetadataResourceAndRefuseAnOldBootstrapVersionByTheirRule() {
        stack("cdk-app", ConsumerTemplates.cdkSynthesized("app/token"));
        assertThat(model.inspect("cdk-app").resources()).containsKeys("CDKMetadata", "ApiConnection5F8B2C7A");
        assertThat(CloudFormationClientsView.resolvedValue(caller(), "cdk-app", "BootstrapVersion")).isEqualTo("21");

        ssm.put(ConsumerTemplates.CDK_BOOTSTRAP_VERSION, "5");
        AwsServiceException e = refused(() -> toFalse(caller("ssm:GetParameters", "*"), "cdk-app", b -> { }));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("CDK bootstrap stack version 6 required. Please run"
                + " 'cdk bootstrap' with a recent version of the CDK CLI.");
    }

    @Test
    void anUpdateReReadsSsmParametersAndAppliesAChangedValue() {
        stack("ami-app", ConsumerTemplates.withSsmAmi("app/token"));
        assertThat(model.inspect("ami-app").resources().get("LaunchTemplate").properties()).contains("ami-0aaaaaaaaaaaaaaa1");
        ssm.put(ConsumerTemplates.LATEST_AMI, "ami-0bbbbbbbbbbbbbbb2");
        CloudFormationClient client = caller("ssm:GetParameters", "arn:aws:ssm:us-east-1::parameter/aws/service/*");

        toFalse(client, "ami-app", b -> { });
        clock.advance(Duration.ofMinutes(2));

        assertThat(model.inspect("ami-app").resources().get("LaunchTemplate").properties()).contains("ami-0bbbbbbbbbbbbbbb2");
        assertThat(model.inspect("ami-app").parameters()).containsEntry("ImageId", ConsumerTemplates.LATEST_AMI);
        assertThat(CloudFormationClientsView.resolvedValue(client, "ami-app", "ImageId")).isEqualTo("ami-0bbbbbbbbbbbbbbb2");
    }

    @Test
    void aMissingSsmParameterIsAValidationError() {
        stack("cdk-app", ConsumerTemplates.cdkSynthesized("app/token"));
        ParameterStoreModel empty = new ParameterStoreModel("us-east-1", "123456789012");
        CloudFormationModel other = new CloudFormationModel(clock, secrets, empty, s3, "us-east-1", "123456789012");
        assertThat(catchThrowableOfType(AwsError.class, () -> other.createStack(new CloudFormationModel.StackSpec("x",
                ConsumerTemplates.cdkSynthesized("app/token"), Map.of()))).getMessage())
                .isEqualTo("Unable to fetch parameters [" + ConsumerTemplates.CDK_BOOTSTRAP_VERSION + "] from parameter"
                        + " store for this account.");
    }

    @Test
    void aTemplateWithATransformNeedsCreateChangeSetOnTheTransformAndAutoExpand() {
        stack("sam-app", ConsumerTemplates.sam("app/token"), "CAPABILITY_IAM");
        String transform = "arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31";

        AwsServiceException denied = refused(() -> toFalse(caller(), "sam-app",
                b -> b.capabilitiesWithStrings("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND")));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(denied.awsErrorDetails().errorMessage()).isEqualTo("User: " + CALLER + " is not authorized to"
                + " perform: cloudformation:CreateChangeSet on resource: " + transform + " because no identity-based"
                + " policy allows the cloudformation:CreateChangeSet action");

        CloudFormationClient allowed = caller("cloudformation:CreateChangeSet", transform);
        // the stack's own capabilities (it was deployed through a change set) are not enough for UpdateStack
        AwsServiceException capabilities = refused(() -> toFalse(allowed, "sam-app",
                b -> b.capabilitiesWithStrings("CAPABILITY_IAM")));
        assertThat(capabilities.awsErrorDetails().errorCode()).isEqualTo("InsufficientCapabilitiesException");
        assertThat(capabilities.awsErrorDetails().errorMessage()).isEqualTo("Requires capabilities : [CAPABILITY_AUTO_EXPAND]");
        assertThat(refused(() -> toFalse(allowed, "sam-app", b -> b.capabilitiesWithStrings("CAPABILITY_AUTO_EXPAND")))
                .awsErrorDetails().errorMessage()).isEqualTo("Requires capabilities : [CAPABILITY_IAM]");

        toFalse(allowed, "sam-app", b -> b.capabilitiesWithStrings("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"));
        assertThat(model.inspect("sam-app").updatesStarted()).isEqualTo(1);
    }

    @Test
    void aTemplateBodyOver51200BytesIsRefusedAndATemplateUrlIsFetchedWithTheCallersCredentials() {
        String large = ConsumerTemplates.largeLanguageExtensions("app/token");
        assertThat(large.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(51_200).isLessThan(100_000);
        stack("big", large, "CAPABILITY_AUTO_EXPAND");
        String transform = "arn:aws:cloudformation:us-east-1:aws:transform/LanguageExtensions";
        CloudFormationClient noS3 = caller("cloudformation:CreateChangeSet", transform);

        AwsServiceException tooLarge = refused(() -> toFalse(noS3, "big", b -> b.usePreviousTemplate(null)
                .templateBody(large).capabilitiesWithStrings("CAPABILITY_AUTO_EXPAND")));
        assertThat(tooLarge.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(tooLarge.awsErrorDetails().errorMessage()).startsWith("1 validation error detected: Value '{")
                .endsWith("' at 'templateBody' failed to satisfy constraint: Member must have length less than or"
                        + " equal to 51200");

        s3.put(admin, BUCKET, "templates/run-1/big.json", large.getBytes(StandardCharsets.UTF_8), "application/json", null);
        String url = "https://" + BUCKET + ".s3.us-east-1.amazonaws.com/templates/run-1/big.json";
        AwsServiceException noAccess = refused(() -> toFalse(noS3, "big", b -> b.usePreviousTemplate(null)
                .templateURL(url).capabilitiesWithStrings("CAPABILITY_AUTO_EXPAND")));
        assertThat(noAccess.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        assertThat(noAccess.awsErrorDetails().errorMessage()).isEqualTo("S3 error: Access Denied\nFor more information"
                + " check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html");

        CloudFormationClient withS3 = caller("cloudformation:CreateChangeSet", transform,
                "s3:GetObject", "arn:aws:s3:::" + BUCKET + "/templates/*");
        // without ListBucket a missing key looks the same as a denied one
        assertThat(refused(() -> toFalse(withS3, "big", b -> b.usePreviousTemplate(null)
                .templateURL(url.replace("big.json", "gone.json")).capabilitiesWithStrings("CAPABILITY_AUTO_EXPAND")))
                .awsErrorDetails().errorMessage()).startsWith("S3 error: Access Denied");
        assertThat(refused(() -> toFalse(withS3, "big", b -> b.usePreviousTemplate(null)
                .templateURL("https://example.com/big.json").capabilitiesWithStrings("CAPABILITY_AUTO_EXPAND")))
                .awsErrorDetails().errorMessage())
                .isEqualTo("TemplateURL must reference a valid S3 object to which you have access.");

        toFalse(withS3, "big", b -> b.usePreviousTemplate(null).templateURL(url)
                .capabilitiesWithStrings("CAPABILITY_AUTO_EXPAND"));
        clock.advance(Duration.ofMinutes(2));
        assertThat(model.inspect("big").parameters()).containsEntry("RotateToken", "false");
        assertThat(model.inspect("big").resources()).doesNotContainKey("ApiConnection").containsKey("WorkQueue149");
    }

    /** Reads DescribeStacks' ResolvedValue of one parameter. */
    private static final class CloudFormationClientsView {
        static String resolvedValue(CloudFormationClient client, String stack, String key) {
            return client.describeStacks(b -> b.stackName(stack)).stacks().get(0).parameters().stream()
                    .filter(p -> p.parameterKey().equals(key)).findFirst().orElseThrow().resolvedValue();
        }
    }
}
