package io.tokenrotator.aws;

import io.tokenrotator.errors.AccessDeniedException;
import io.tokenrotator.errors.AwsUnavailableException;
import io.tokenrotator.errors.StackBusyException;
import io.tokenrotator.errors.StackNotUpdatableException;
import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.port.StackUpdate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.UpdateStackRequest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SdkCloudFormationTest {
    private static final String ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1";

    @Test
    void buildsTheExactUpdateStackRequest() {
        UpdateStackRequest request = SdkCloudFormation.toRequest(new StackUpdate(ID, null, List.of(
                new StackUpdate.Parameter("RotateToken", "false"), new StackUpdate.Parameter("DbPassword", null)),
                List.of("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"), "tr-off-0-abc"));

        assertThat(request).isEqualTo(UpdateStackRequest.builder()
                .stackName(ID)
                .usePreviousTemplate(true)
                .parameters(Parameter.builder().parameterKey("RotateToken").parameterValue("false").build(),
                        Parameter.builder().parameterKey("DbPassword").usePreviousValue(true).build())
                .capabilitiesWithStrings("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND")
                .clientRequestToken("tr-off-0-abc")
                .build());
        assertThat(request.roleARN()).isNull();
        assertThat(request.templateBody()).isNull();
        assertThat(request.parameters().get(1).parameterValue()).isNull();
    }

    @Test
    void aTemplateBodyReplacesUsePreviousTemplate() {
        UpdateStackRequest request = SdkCloudFormation.toRequest(new StackUpdate(ID, "{\"Resources\":{}}",
                List.of(), List.of(), "t"));

        assertThat(request.templateBody()).isEqualTo("{\"Resources\":{}}");
        assertThat(request.usePreviousTemplate()).isNull();
    }

    @Test
    void aTemplateUrlReplacesUsePreviousTemplate() {
        String url = "https://runs.s3.eu-west-1.amazonaws.com/templates/run-1/abc.json";
        UpdateStackRequest request = SdkCloudFormation.toRequest(new StackUpdate(ID, null, url, List.of(),
                List.of("CAPABILITY_AUTO_EXPAND"), "t"));

        assertThat(request.templateURL()).isEqualTo(url);
        assertThat(request.templateBody()).isNull();
        assertThat(request.usePreviousTemplate()).isNull();
    }

    private static AwsServiceException error(int status, String code, String message) {
        return CloudFormationException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage(message).serviceName("CloudFormation").build()).build();
    }

    @Test
    void translatesCloudFormationErrorsIntoRetryableAndTerminalTypes() {
        assertThat(CloudFormationErrors.translate("app", error(400, "Throttling", "Rate exceeded")))
                .isExactlyInstanceOf(ThrottledException.class);
        assertThat(CloudFormationErrors.translate("app", error(400, "ValidationError",
                "Stack:arn is in UPDATE_ROLLBACK_IN_PROGRESS state and can not be updated.")))
                .isExactlyInstanceOf(StackBusyException.class);
        assertThat(CloudFormationErrors.translate("app", error(400, "ValidationError",
                "Stack:arn is in ROLLBACK_COMPLETE state and can not be updated.")))
                .isExactlyInstanceOf(StackNotUpdatableException.class).hasMessageContaining("ROLLBACK_COMPLETE");
        assertThat(CloudFormationErrors.translate("app", error(400, "ValidationError",
                "Stack:arn is in REVIEW_IN_PROGRESS state and can not be updated.")))
                .isExactlyInstanceOf(StackNotUpdatableException.class);
        assertThat(CloudFormationErrors.translate("app", error(403, "AccessDenied", "User: arn:aws:sts::1:assumed-role/r/f"
                + " is not authorized to perform: cloudformation:UpdateStack on resource: " + ID)))
                .isExactlyInstanceOf(AccessDeniedException.class).hasMessageContaining("stack app")
                .hasMessageContaining("CloudFormation refused cloudformation:UpdateStack on " + ID);
        assertThat(CloudFormationErrors.translate("app", error(503, "ServiceUnavailable", "try later")))
                .isExactlyInstanceOf(AwsUnavailableException.class);
        assertThat(CloudFormationErrors.translate("app", SdkClientException.create("connection reset")))
                .isExactlyInstanceOf(AwsUnavailableException.class);
        assertThat(CloudFormationErrors.isNoUpdates(error(400, "ValidationError", "No updates are to be performed.")))
                .isTrue();
    }
}
