package io.tokenrotator.aws;

import io.tokenrotator.errors.ThrottledException;
import io.tokenrotator.port.StackUpdate;
import io.tokenrotator.testing.SimulatedAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A throttled UpdateStack reaches the workflow after one request: the SDK does not retry it (the workflow's phase
 * loop does, later, with the same token), while other calls keep the SDK's retries.
 */
class SdkCloudFormationRetryTest {
    private static final String ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1";
    private final SimulatedAws aws = new SimulatedAws();

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void aThrottledUpdateStackIsSentOnceAndOtherCallsAreRetriedBySdk() {
        // the manual clock never refills the buckets: every call after the first is throttled
        aws.server.limit("UpdateStack", 1, 1);
        aws.server.limit("DescribeStacks", 1, 1);
        SdkCloudFormation port = aws.cloudFormationPort();
        StackUpdate update = new StackUpdate(ID, null, List.of(new StackUpdate.Parameter("RotateToken", "false")),
                List.of(), "tr-off-0-abc");
        catchThrowable(() -> port.updateStack(update)); // takes the one token (the stack does not exist)

        assertThat(catchThrowable(() -> port.updateStack(update))).isInstanceOf(ThrottledException.class);
        assertThat(aws.server.throttledCounts()).containsEntry("UpdateStack", 1L);

        port.describeStack(ID); // the one token (an absent stack)
        assertThat(catchThrowable(() -> port.describeStack(ID))).isInstanceOf(ThrottledException.class);
        assertThat(aws.server.throttledCounts().get("DescribeStacks")).as("the SDK's standard retries")
                .isGreaterThan(1L);
    }
}
