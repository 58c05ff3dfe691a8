package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.tokenrotator.simulator.SignedClients.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** Who may call what: the simulator authenticates each request by its SigV4 access key id and applies IAM. */
class IamOverTheWireTest {
    private static final String ROLE = "arn:aws:sts::123456789012:assumed-role/TokenRotator-FindStacksRole/FindStacks";
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets, "us-east-1", "123456789012");
    private final IamModel iam = new IamModel();
    private final SimulatorServer server;
    private final SignedClients clients;
    private final String appId;
    private final String otherId;
    private final String secretArn;

    IamOverTheWireTest() throws IOException {
        server = new SimulatorServer(model, secrets, iam, clock);
        clients = new SignedClients(server.endpoint());
        secretArn = secrets.createSecret("app/token", "v");
        appId = model.createStack(new CloudFormationModel.StackSpec("app-1", ConsumerTemplates.rotating("app/token"),
                Map.of()));
        otherId = model.createStack(new CloudFormationModel.StackSpec("other", ConsumerTemplates.unrelated(), Map.of()));
    }

    @AfterEach
    void close() {
        server.close();
        clients.close();
    }

    private CloudFormationClient cfn(String accessKeyId) {
        return clients.cloudFormation(accessKeyId);
    }

    private SecretsManagerClient secretsManager(String accessKeyId) {
        return clients.secretsManager(accessKeyId);
    }

    private void role(String accessKeyId, IamModel.Statement... statements) {
        iam.add(new IamModel.Principal(accessKeyId, ROLE, List.of(statements)));
    }

    private static IamModel.Statement allow(String action, String... resources) {
        return new IamModel.Statement(List.of(action), List.of(resources));
    }

    @Test
    void anUnknownAccessKeyIsRefusedInEachServicesOwnFormat() {
        AwsServiceException cfn = refused(() -> cfn("AKIAUNKNOWN").describeStacks(b -> b.stackName("app-1")));
        assertThat(cfn.statusCode()).isEqualTo(403);
        assertThat(cfn.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        assertThat(cfn.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");

        AwsServiceException sm = refused(() -> secretsManager("AKIAUNKNOWN").describeSecret(b -> b.secretId("app/token")));
        assertThat(sm.statusCode()).isEqualTo(400);
        assertThat(sm.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");

        AwsServiceException s3 = refused(() -> clients.s3("AKIAUNKNOWN").getObjectAsBytes(b -> b.bucket("runs").key("k")));
        assertThat(s3.statusCode()).isEqualTo(403);
        assertThat(s3.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
    }

    @Test
    void aCallOutsideTheStatementsIsAccessDeniedNamingCallerActionAndResource() {
        role("ASIAAPP", allow("cloudformation:DescribeStacks",
                "arn:aws:cloudformation:us-east-1:123456789012:stack/app-*/*"));
        CloudFormationClient client = cfn("ASIAAPP");

        assertThat(client.describeStacks(b -> b.stackName("app-1")).stacks()).hasSize(1);
        AwsServiceException e = refused(() -> client.describeStacks(b -> b.stackName("other")));
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + ROLE + " is not authorized to perform:"
                + " cloudformation:DescribeStacks on resource: " + otherId + " because no identity-based policy"
                + " allows the cloudformation:DescribeStacks action");
        assertThat(refused(() -> client.getTemplate(b -> b.stackName(appId))).awsErrorDetails().errorMessage())
                .contains("cloudformation:GetTemplate on resource: " + appId);
    }

    @Test
    void describeStacksWithoutAStackNameNeedsListStacksAsWell() {
        role("ASIADESCRIBEONLY", allow("cloudformation:DescribeStacks", "*"));
        role("ASIASTACKARNS", allow("cloudformation:*", "arn:aws:cloudformation:*:*:stack/*/*"));
        role("ASIABOTH", allow("cloudformation:DescribeStacks", "*"), allow("cloudformation:ListStacks", "*"));

        AwsServiceException noList = refused(() -> cfn("ASIADESCRIBEONLY").describeStacks(b -> { }));
        assertThat(noList.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(noList.awsErrorDetails().errorMessage()).isEqualTo("User: " + ROLE + " is not authorized to"
                + " perform: cloudformation:ListStacks because no identity-based policy allows the"
                + " cloudformation:ListStacks action");
        // stack ARNs do not cover the account-wide call
        assertThat(refused(() -> cfn("ASIASTACKARNS").describeStacks(b -> { })).awsErrorDetails().errorMessage())
                .contains("cloudformation:DescribeStacks because");
        assertThat(cfn("ASIASTACKARNS").describeStacks(b -> b.stackName("other")).stacks()).hasSize(1);
        assertThat(cfn("ASIABOTH").describeStacks(b -> { }).stacks()).hasSize(2);
    }

    @Test
    void secretsManagerRefusesWithAccessDeniedExceptionOnTheSecretsArn() {
        role("ASIAOTHERSECRET", allow("secretsmanager:DescribeSecret",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/other-??????"));
        role("ASIATHISSECRET", allow("secretsmanager:DescribeSecret",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/token-??????"));

        AwsServiceException e = refused(() -> secretsManager("ASIAOTHERSECRET").describeSecret(b -> b.secretId("app/token")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + ROLE + " is not authorized to perform:"
                + " secretsmanager:DescribeSecret on resource: " + secretArn + " because no identity-based policy"
                + " allows the secretsmanager:DescribeSecret action");
        assertThat(secretsManager("ASIATHISSECRET").describeSecret(b -> b.secretId("app/token")).arn()).isEqualTo(secretArn);
    }

    @Test
    void wildcardsMatchAsIamMatchesThem() {
        assertThat(IamModel.actionMatches("cloudformation:Describe*", "cloudformation:DescribeStacks")).isTrue();
        assertThat(IamModel.actionMatches("CloudFormation:describestacks", "cloudformation:DescribeStacks")).isTrue();
        assertThat(IamModel.actionMatches("s3:Get?bject", "s3:GetObject")).isTrue();
        assertThat(IamModel.actionMatches("s3:Get*", "s3:PutObject")).isFalse();

        assertThat(IamModel.resourceMatches("*", "arn:aws:s3:::b/k")).isTrue();
        assertThat(IamModel.resourceMatches("arn:aws:secretsmanager:us-east-1:1:secret:a-??????",
                "arn:aws:secretsmanager:us-east-1:1:secret:a-AbCdEf")).isTrue();
        assertThat(IamModel.resourceMatches("arn:aws:secretsmanager:us-east-1:1:secret:a-??????",
                "arn:aws:secretsmanager:us-east-1:1:secret:a-2-AbCdEf")).isFalse();
        // a * inside a segment stays in it; one that ends a segment may run on across colons
        assertThat(IamModel.resourceMatches("arn:aws:ssm:us-*-1:1:parameter/x", "arn:aws:ssm:us-east:1-1:1:parameter/x"))
                .isFalse();
        assertThat(IamModel.resourceMatches("arn:aws:cloudformation:*", "arn:aws:cloudformation:us-east-1:1:stack/a/b"))
                .isTrue();
        assertThat(IamModel.resourceMatches("arn:aws:s3:::bucket/runs/*", "arn:aws:s3:::bucket/runs/x/plan.json")).isTrue();
        assertThat(IamModel.resourceMatches("arn:aws:s3:::bucket/runs/*", "arn:aws:s3:::bucket/templates/x")).isFalse();
        assertThat(IamModel.resourceMatches("arn:aws:ssm:us-east-1:1:parameter/*", "arn:aws:ssm:us-east-1::parameter/aws/x"))
                .isFalse();
        assertThat(IamModel.resourceMatches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/k")).isFalse();
    }
}
