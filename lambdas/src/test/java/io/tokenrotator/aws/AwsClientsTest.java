package io.tokenrotator.aws;

import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.testing.SimulatedAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * In Lambda the clients take region and credentials from the variables Lambda sets, not from the SDK's provider
 * chains. The chains would find other ones here: the SDK's system properties name the simulator's administrator
 * and another region.
 */
class AwsClientsTest {
    private static final String ROLE = "arn:aws:sts::123456789012:assumed-role/TokenRotator-StackStatusRole/StackStatus";
    private final SimulatedAws aws = new SimulatedAws();
    private final Map<String, String> chains = Map.of("aws.endpointUrl", aws.server.endpoint().toString(),
            "aws.region", "eu-west-1", "aws.accessKeyId", "local", "aws.secretAccessKey", "local");

    AwsClientsTest() {
        chains.forEach(System::setProperty);
        aws.iam.add(new IamModel.Principal("ASIASTACKSTATUS", ROLE, List.of(new IamModel.Statement(
                List.of("cloudformation:DescribeStacks"), List.of("arn:aws:cloudformation:us-east-1:*")))));
    }

    @AfterEach
    void close() {
        chains.keySet().forEach(System::clearProperty);
        aws.close();
    }

    @Test
    void signsWithTheRoleCredentialsAndRegionLambdaSets() {
        try (CloudFormationClient cfn = AwsClients.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "ASIASTACKSTATUS", "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_SESSION_TOKEN", "token")::get).cloudFormation()) {
            AwsServiceException denied = catchThrowableOfType(AwsServiceException.class,
                    () -> cfn.describeStacks(r -> r.stackName("arn:aws:cloudformation:eu-west-1:123456789012:stack/app/1")));

            assertThat(denied.awsErrorDetails().errorMessage()).startsWith("User: " + ROLE + " is not authorized");
            assertThat(cfn.serviceClientConfiguration().region().id()).isEqualTo("us-east-1");
        }
    }

    @Test
    void withoutThoseVariablesTheSdkChainsDecide() {
        try (CloudFormationClient cfn = AwsClients.fromEnvironment(Map.<String, String>of()::get).cloudFormation()) {
            assertThat(cfn.describeStacks().stacks()).isEmpty(); // as the administrator of the system properties
            assertThat(cfn.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
        }
    }
}
