package io.tokenrotator.testing;

import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.simulator.SimClock;
import io.tokenrotator.simulator.SimulatorServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The simulated CloudFormation and Secrets Manager served over HTTP, with the real SDK v2 clients pointed at it:
 * every test goes through the production adapters and the real wire protocols. The clock is manual.
 */
public final class SimulatedAws implements AutoCloseable {
    public final SimClock.Manual clock = SimClock.manual();
    public final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    public final CloudFormationModel cloudFormation = new CloudFormationModel(clock, secrets, "us-east-1", "123456789012");
    public final SimulatorServer server;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    public final CloudFormationClient cfnClient;
    public final SecretsManagerClient smClient;

    public SimulatedAws() {
        try {
            server = new SimulatorServer(cloudFormation, secrets, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
        // The SDK's standard retry strategy, with short delays so a throttling test takes milliseconds.
        var retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(1), Duration.ofMillis(5)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(1), Duration.ofMillis(5)))
                .build();
        cfnClient = CloudFormationClient.builder().httpClient(http).region(Region.US_EAST_1)
                .credentialsProvider(credentials).endpointOverride(server.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(retry)).build();
        smClient = SecretsManagerClient.builder().httpClient(http).region(Region.US_EAST_1)
                .credentialsProvider(credentials).endpointOverride(server.endpoint()).build();
    }

    public SdkCloudFormation cloudFormationPort() {
        return new SdkCloudFormation(cfnClient);
    }

    public SdkSecrets secretsPort() {
        return new SdkSecrets(smClient);
    }

    /** Lets simulated time pass, e.g. past an update's duration. */
    public void advance(Duration by) {
        clock.advance(by);
    }

    @Override
    public void close() {
        server.close();
        cfnClient.close();
        smClient.close();
        http.close();
    }
}
