package io.tokenrotator.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Each service's SDK errors are named for what they are. Error codes and messages as the services send them:
 * Secrets Manager and Step Functions answer an IAM denial with HTTP 400 {@code AccessDeniedException} (their API
 * references, "Common Errors"), whose message names the action: "User: ... is not authorized to perform:
 * secretsmanager:DescribeSecret on resource: ...".
 */
class ServiceErrorsTest {
    private static final String SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/api-token-AbCdEf";
    private static final String DENIED = "User: arn:aws:sts::123456789012:assumed-role/StartRotationRole/fn is not"
            + " authorized to perform: %s on resource: %s because no identity-based policy allows the %s action";

    private static SecretsManagerClient secretsAnswering(SecretsManagerException e) {
        return new SecretsManagerClient() {
            @Override
            public DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
                throw e;
            }

            @Override
            public String serviceName() {
                return "secretsmanager";
            }

            @Override
            public void close() {
            }
        };
    }

    private static SfnClient stepFunctionsAnswering(SfnException e) {
        return new SfnClient() {
            @Override
            public StartExecutionResponse startExecution(StartExecutionRequest request) {
                throw e;
            }

            @Override
            public String serviceName() {
                return "states";
            }

            @Override
            public void close() {
            }
        };
    }

    private static SecretsManagerException secretsError(int status, String code, String message) {
        return (SecretsManagerException) SecretsManagerException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .serviceName("SecretsManager").build()).build();
    }

    private static SfnException sfnError(int status, String code, String message) {
        return (SfnException) SfnException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .serviceName("SFN").build()).build();
    }

    @Test
    void accessDeniedFromSecretsManagerIsAccessDeniedNamingServiceActionAndGrant() {
        Throwable thrown = catchThrowable(() -> new SdkSecrets(secretsAnswering(secretsError(400,
                "AccessDeniedException", DENIED.formatted("secretsmanager:DescribeSecret", SECRET,
                        "secretsmanager:DescribeSecret")))).describeSecret(SECRET));

        assertThat(thrown.getClass().getName()).isEqualTo("io.tokenrotator.errors.AccessDeniedException");
        assertThat(thrown.getMessage()).contains("Secrets Manager").contains("secretsmanager:DescribeSecret")
                .contains("grant").contains(SECRET).doesNotContain("stack");
    }

    @Test
    void accessDeniedFromStepFunctionsIsAccessDeniedToo() {
        String machine = "arn:aws:states:eu-west-1:123456789012:stateMachine:TokenRotator-rotation";
        Throwable thrown = catchThrowable(() -> new SdkExecutionStarter(stepFunctionsAnswering(sfnError(400,
                "AccessDeniedException", DENIED.formatted("states:StartExecution", machine, "states:StartExecution"))),
                machine).start("prod-api-token-1", "{}"));

        assertThat(thrown.getClass().getName()).isEqualTo("io.tokenrotator.errors.AccessDeniedException");
        assertThat(thrown.getMessage()).contains("Step Functions").contains("states:StartExecution").contains(machine);
    }

    @Test
    void aSecretsManagerValidationErrorIsNotAStackError() {
        Throwable thrown = catchThrowable(() -> new SdkSecrets(secretsAnswering(secretsError(400,
                "InvalidParameterException", "You provided an invalid value for the SecretId parameter.")))
                .describeSecret("bad id"));

        assertThat(thrown.getClass().getName()).isEqualTo("io.tokenrotator.errors.InvalidInputException");
        assertThat(thrown.getMessage()).contains("secretId").contains("invalid value");
    }

    @Test
    void throttlingFromSecretsManagerAndServerErrorsFromStepFunctionsAreTheErrorClassesTheWorkflowRetries() {
        Throwable throttled = catchThrowable(() -> new SdkSecrets(secretsAnswering(secretsError(400,
                "ThrottlingException", "Rate exceeded"))).describeSecret(SECRET));
        Throwable unavailable = catchThrowable(() -> new SdkExecutionStarter(stepFunctionsAnswering(sfnError(500,
                "InternalFailure", "try again")), "arn:aws:states:eu-west-1:1:stateMachine:m").start("n", "{}"));

        assertThat(throttled.getClass().getName()).isEqualTo("io.tokenrotator.errors.ThrottledException");
        assertThat(unavailable.getClass().getName()).isEqualTo("io.tokenrotator.errors.AwsUnavailableException");
    }
}
