package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.InsufficientCapabilitiesException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.UpdateStackRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulator as the real SDK sees it: wire protocols, error codes, and CloudFormation's documented behaviour. */
class SimulatorOverTheWireTest {
    private static final String TEMPLATE = """
        {
          "Parameters": {
            "RotateToken": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]},
            "Environment": {"Type": "String", "Default": "dev"},
            "Password": {"Type": "String", "NoEcho": true}
          },
          "Conditions": {"RotateToken": {"Fn::Equals": [{"Ref": "RotateToken"}, "true"]}},
          "Resources": {
            "Gated": {"Type": "AWS::SSM::Parameter", "Condition": "RotateToken",
                      "Properties": {"Value": "{{resolve:secretsmanager:app/token:SecretString:key}}"}},
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "Environment"},
                      "Tags": [{"Key": "t", "Value": "{{resolve:secretsmanager:app/token}}"}]}}
          }
        }""";

    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets, "us-east-1", "123456789012");
    private final IamModel iam = new IamModel();
    private final SimulatorServer server;
    private final CloudFormationClient cfn;
    private final SecretsManagerClient sm;
    private final String secretArn;

    SimulatorOverTheWireTest() throws IOException {
        iam.addAdministrator("a", "arn:aws:iam::123456789012:user/tests");
        server = new SimulatorServer(model, secrets, iam, clock);
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        cfn = CloudFormationClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds).overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)).build();
        sm = SecretsManagerClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(creds).build();
        secretArn = secrets.createSecret("app/token", "first-value");
    }

    @AfterEach
    void close() {
        server.close();
        cfn.close();
        sm.close();
    }

    private String create(String name) {
        return model.createStack(new CloudFormationModel.StackSpec(name, TEMPLATE, Map.of("Password", "hunter2")));
    }

    private void update(String name, Consumer<UpdateStackRequest.Builder> request) {
        cfn.updateStack(b -> {
            b.stackName(name).usePreviousTemplate(true);
            request.accept(b);
        });
    }

    private static Parameter value(String key, String value) {
        return Parameter.builder().parameterKey(key).parameterValue(value).build();
    }

    private static Parameter previous(String key) {
        return Parameter.builder().parameterKey(key).usePreviousValue(true).build();
    }

    private CloudFormationException validationError(Runnable call) {
        CloudFormationException e = org.assertj.core.api.Assertions.catchThrowableOfType(CloudFormationException.class,
                call::run);
        assertThat(e).isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
        return e;
    }

    @Test
    void describeStacksPagesAHundredAtATimeAndMasksNoEchoValues() {
        for (int i = 0; i < 205; i++) {
            create("s-" + i);
        }
        List<Stack> all = cfn.describeStacksPaginator(r -> { }).stacks().stream().toList();

        assertThat(all).hasSize(205);
        assertThat(server.callCounts().get("DescribeStacks")).isEqualTo(3L);
        assertThat(all.get(0).parameters()).extracting(Parameter::parameterKey, Parameter::parameterValue)
                .contains(org.assertj.core.groups.Tuple.tuple("Password", "****"),
                        org.assertj.core.groups.Tuple.tuple("RotateToken", "true"));
    }

    @Test
    void anUnrelatedUpdateDoesNotReReadADynamicReferenceButRecreatingTheResourceDoes() {
        create("app");
        String v1 = model.inspect("app").resources().get("Gated").secretVersions().get(0);
        String v2 = secrets.putSecretValue("app/token", "second-value", null);

        update("app", b -> b.parameters(previous("RotateToken"), value("Environment", "prod"), previous("Password")));
        clock.advance(Duration.ofMinutes(2));
        assertThat(model.inspect("app").resources().get("Gated").secretVersions()).containsExactly(v1);

        update("app", b -> b.parameters(value("RotateToken", "false"), previous("Environment"), previous("Password")));
        clock.advance(Duration.ofMinutes(2));
        assertThat(model.inspect("app").resources()).doesNotContainKey("Gated");
        update("app", b -> b.parameters(value("RotateToken", "true"), previous("Environment"), previous("Password")));
        clock.advance(Duration.ofMinutes(2));

        assertThat(model.inspect("app").resources().get("Gated").secretVersions()).containsExactly(v2);
        assertThat(model.inspect("app").parameters()).containsEntry("Password", "hunter2");
    }

    /**
     * CloudFormation user guide, "Get values stored in other services using dynamic references": a dynamic reference
     * is resolved again when the resource's property holding it, or another property of the same resource, changes.
     */
    @Test
    void anInPlaceStackReResolvesWhenAnotherPropertyOfTheResourceChangesAndKeepsEverythingElse() {
        model.createStack(new CloudFormationModel.StackSpec("tv", ConsumerTemplates.inPlace("app/token"), Map.of()));
        model.createStack(new CloudFormationModel.StackSpec("pinned", ConsumerTemplates.inPlacePinned("app/token"),
                Map.of("TokenVersion", secrets.describeOrThrow("app/token")
                        .versionWithStage(SecretsManagerModel.AWSCURRENT))));
        String v1 = model.inspect("tv").resources().get("ApiConnection").secretVersions().get(0);
        String v2 = secrets.putSecretValue("app/token", "second-value", null);
        String queueBefore = model.inspect("tv").resources().get("Queue").properties();

        update("tv", b -> b.parameters(value("Environment", "prod"), previous("TokenVersion")));
        clock.advance(Duration.ofMinutes(2));
        assertThat(model.inspect("tv").resources().get("ApiConnection").secretVersions())
                .as("the Queue changed, not the connection").containsExactly(v1);

        update("tv", b -> b.parameters(previous("Environment"), value("TokenVersion", v2)));
        update("pinned", b -> b.parameters(previous("Environment"), value("TokenVersion", v2)));
        clock.advance(Duration.ofMinutes(2));

        CloudFormationModel.StackState tv = model.inspect("tv");
        assertThat(tv.status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(tv.resources().get("ApiConnection").secretVersions()).containsExactly(v2);
        assertThat(tv.resources().get("ApiConnection").properties()).contains("API token version " + v2);
        assertThat(tv.resources().get("Queue").properties()).isNotEqualTo(queueBefore).contains("prod");
        assertThat(model.inspect("pinned").resources().get("ApiConnection").secretVersions()).containsExactly(v2);
    }

    @Test
    void anUnchangedUpdateIsNoUpdatesToBePerformed() {
        create("app");
        var e = validationError(() -> update("app", b -> b.parameters(previous("RotateToken"), previous("Environment"),
                previous("Password"))));
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("No updates are to be performed.");
    }

    @Test
    void anOmittedParameterFallsBackToItsDefaultSilently() {
        create("app");
        update("app", b -> b.parameters(value("Environment", "prod"), previous("Password")));
        clock.advance(Duration.ofMinutes(2));
        update("app", b -> b.parameters(value("RotateToken", "false"), previous("Password")));
        clock.advance(Duration.ofMinutes(2));

        assertThat(model.inspect("app").parameters()).containsEntry("Environment", "dev");
    }

    @Test
    void rejectsMalformedUpdatesAsCloudFormationDoes() {
        create("app");
        assertThat(validationError(() -> cfn.updateStack(b -> b.stackName("app"))).getMessage())
                .contains("Exactly one of TemplateBody, TemplateURL or UsePreviousTemplate");
        assertThat(validationError(() -> update("app", b -> b.parameters(previous("Unknown")))).getMessage())
                .contains("do not exist in the template");
        assertThat(validationError(() -> update("app", b -> b.parameters(value("RotateToken", "maybe"),
                previous("Password")))).getMessage()).contains("AllowedValues");
        assertThat(validationError(() -> update("nope", b -> { })).getMessage()).contains("does not exist");
    }

    @Test
    void aStackBusyWithAnotherOperationCanNotBeUpdated() {
        create("app");
        model.occupy("app", Duration.ofMinutes(1));
        assertThat(validationError(() -> update("app", b -> b.parameters(value("RotateToken", "false"),
                previous("Password")))).getMessage()).contains("is in UPDATE_IN_PROGRESS state and can not be updated");
    }

    @Test
    void languageExtensionsStacksRefuseUsePreviousTemplate() {
        model.createStack(new CloudFormationModel.StackSpec("le",
                TEMPLATE.replaceFirst("\\{", "{\"Transform\": \"AWS::LanguageExtensions\","),
                Map.of("Password", "x"), List.of("CAPABILITY_AUTO_EXPAND"), null, null, null, null, null));
        assertThat(validationError(() -> update("le", b -> b.capabilitiesWithStrings("CAPABILITY_AUTO_EXPAND")
                .parameters(value("RotateToken", "false"), previous("Password")))).getMessage())
                .contains("AWS::LanguageExtensions");
    }

    @Test
    void missingCapabilitiesAreInsufficientCapabilities() {
        model.createStack(new CloudFormationModel.StackSpec("iam", TEMPLATE.replace("\"Queue\":",
                "\"Role\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"RoleName\": \"r\"}}, \"Queue\":"),
                Map.of("Password", "x")));
        assertThatThrownBy(() -> update("iam", b -> b.parameters(value("RotateToken", "false"), previous("Password"))))
                .isInstanceOf(InsufficientCapabilitiesException.class)
                .hasMessageContaining("CAPABILITY_IAM").hasMessageContaining("CAPABILITY_NAMED_IAM");
    }

    @Test
    void aFailedUpdateRollsBackParametersAndResources() {
        create("app");
        model.failUpdates("app", "RotateToken", "false", 1, CloudFormationModel.FailureMode.ROLLBACK, "boom");
        update("app", b -> b.parameters(value("RotateToken", "false"), previous("Environment"), previous("Password")));
        clock.advance(Duration.ofSeconds(40));
        assertThat(cfn.describeStacks(b -> b.stackName("app")).stacks().get(0).stackStatusAsString())
                .isEqualTo("UPDATE_ROLLBACK_IN_PROGRESS");
        clock.advance(Duration.ofMinutes(2));

        Stack s = cfn.describeStacks(b -> b.stackName("app")).stacks().get(0);
        assertThat(s.stackStatusAsString()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
        assertThat(s.stackStatusReason()).contains("boom");
        assertThat(model.inspect("app").parameters()).containsEntry("RotateToken", "true");
        assertThat(model.inspect("app").resources()).containsKey("Gated");
    }

    @Test
    void aStackPolicyDenyingTheDeleteFailsTheUpdateAndRollsItBack() {
        model.createStack(new CloudFormationModel.StackSpec("guarded", TEMPLATE, Map.of("Password", "x"), List.of(),
                null, "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"Update:Modify\", \"Principal\": \"*\","
                + " \"Resource\": \"*\"}]}", null, null, null));
        update("guarded", b -> b.parameters(value("RotateToken", "false"), previous("Environment"), previous("Password")));
        clock.advance(Duration.ofMinutes(3));

        Stack s = cfn.describeStacks(b -> b.stackName("guarded")).stacks().get(0);
        assertThat(s.stackStatusAsString()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
        assertThat(s.stackStatusReason()).contains("Action denied by stack policy").contains("LogicalResourceId/Gated");
    }

    @Test
    void aRepeatedClientRequestTokenIsRecognisedNotRunTwice() {
        create("app");
        for (int i = 0; i < 3; i++) {
            update("app", b -> b.clientRequestToken("same").parameters(value("RotateToken", "false"),
                    previous("Environment"), previous("Password")));
        }
        assertThat(model.inspect("app").updatesStarted()).isEqualTo(1);
    }

    @Test
    void throttlingAnswersRateExceededAndTheSdkRetriesIt() {
        create("app");
        server.limit("DescribeStacks", 0.0, 1);
        cfn.describeStacks(b -> b.stackName("app"));
        assertThatThrownBy(() -> cfn.describeStacks(b -> b.stackName("app")))
                .isInstanceOfSatisfying(CloudFormationException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
                });
        assertThat(server.throttledCounts().get("DescribeStacks")).isEqualTo(3L); // standard mode: 3 attempts
    }

    @Test
    void describeSecretFindsASecretByNameFullOrPartialArnAndNeverReturnsAValue() {
        String partial = secretArn.substring(0, secretArn.length() - 7);
        for (String id : List.of("app/token", secretArn, partial)) {
            var r = sm.describeSecret(b -> b.secretId(id));
            assertThat(r.arn()).isEqualTo(secretArn);
            assertThat(r.versionIdsToStages().values()).containsExactly(List.of("AWSCURRENT"));
            assertThat(r.toString()).doesNotContain("first-value");
        }
        assertThatThrownBy(() -> sm.describeSecret(b -> b.secretId("missing")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void putSecretValueMovesTheStagesAsSecretsManagerDoes() {
        String v1 = secrets.describeOrThrow("app/token").versionWithStage("AWSCURRENT");
        String pending = secrets.putSecretValue("app/token", "p", List.of("AWSPENDING"));
        assertThat(secrets.describeOrThrow("app/token").versionWithStage("AWSCURRENT")).isEqualTo(v1);
        secrets.promote("app/token", pending);

        var view = secrets.describeOrThrow("app/token");
        assertThat(view.versionWithStage("AWSCURRENT")).isEqualTo(pending);
        assertThat(view.versionWithStage("AWSPREVIOUS")).isEqualTo(v1);
        assertThat(view.versionWithStage("AWSPENDING")).isNull();
    }
}
