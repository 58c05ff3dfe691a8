package io.tokenrotator.testing;

import io.tokenrotator.store.InMemoryStackLeases;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.simulator.SimClock;
import io.tokenrotator.simulator.SimulatorServer;
import io.tokenrotator.store.S3RunStore;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import io.tokenrotator.aws.AwsClients;

/**
 * The simulated CloudFormation, Secrets Manager and S3 served over HTTP, with the real SDK v2 clients pointed at it:
 * every test goes through the production adapters and the real wire protocols. The clock is manual. The clients
 * sign as an administrator: these tests are about behaviour, the local end-to-end tests about permissions.
 */
public final class SimulatedAws implements AutoCloseable {
    /** The bucket {@link #runStore()} keeps runs and uploaded templates in. */
    public static final String RUN_BUCKET = "token-rotator-runs-test";
    public final SimClock.Manual clock = SimClock.manual();
    public final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    public final CloudFormationModel cloudFormation = new CloudFormationModel(clock, secrets, "us-east-1", "123456789012");
    public final IamModel iam = new IamModel();
    /** The stack leases, on the simulated clock (S3StackLeasesTest covers them over the simulator's S3). */
    public final InMemoryStackLeases leases = new InMemoryStackLeases(clock.asJavaClock());
    public final SimulatorServer server;
    public final CloudFormationClient cfnClient;
    public final SecretsManagerClient smClient;
    public final S3Client s3Client;
    /** The clients' factory: {@code clients.as(key)} signs as another principal of {@link #iam}. */
    public final AwsClients clients;

    public SimulatedAws() {
        try {
            iam.addAdministrator(AwsClients.LOCAL_ACCESS_KEY_ID, "arn:aws:iam::123456789012:user/tests");
            server = new SimulatorServer(cloudFormation, secrets, iam, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the production client factory; its time scale makes the SDK's retry delays a few milliseconds
        clients = AwsClients.local(server.endpoint(), 1000);
        cfnClient = clients.cloudFormation();
        smClient = clients.secretsManager();
        s3Client = clients.s3();
    }

    public SdkCloudFormation cloudFormationPort() {
        return new SdkCloudFormation(cfnClient);
    }

    public SdkSecrets secretsPort() {
        return new SdkSecrets(smClient);
    }

    /** The production run store (and template store) over the simulated S3, in {@link #RUN_BUCKET}. */
    public S3RunStore runStore() {
        cloudFormation.s3().createBucket(RUN_BUCKET);
        return new S3RunStore(s3Client, RUN_BUCKET);
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
        s3Client.close();
    }
}
