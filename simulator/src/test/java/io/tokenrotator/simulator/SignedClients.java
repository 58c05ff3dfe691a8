package io.tokenrotator.simulator;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Real SDK clients against a simulator, each signing with the access key id of one principal; closes them all. */
final class SignedClients implements AutoCloseable {
    private final URI endpoint;
    private final List<SdkAutoCloseable> open = new ArrayList<>();

    SignedClients(URI endpoint) {
        this.endpoint = endpoint;
    }

    CloudFormationClient cloudFormation(String accessKeyId) {
        return cloudFormation(AwsBasicCredentials.create(accessKeyId, "x"));
    }

    SecretsManagerClient secretsManager(String accessKeyId) {
        return keep(SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials(accessKeyId)).build());
    }

    SfnClient stepFunctions(String accessKeyId) {
        return keep(SfnClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials(accessKeyId)).build());
    }

    /** Path-style, with the SDK's default request checksums. */
    S3Client s3(String accessKeyId) {
        return keep(S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials(accessKeyId)).build());
    }

    /** IAM is a global service: the SDK signs its requests for us-east-1 when the region is aws-global. */
    IamClient iam(String accessKeyId) {
        return iam(AwsBasicCredentials.create(accessKeyId, "x"));
    }

    IamClient iam(AwsBasicCredentials credentials) {
        return keep(IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build());
    }

    StsClient sts(AwsBasicCredentials credentials, Region region) {
        return keep(StsClient.builder().endpointOverride(endpoint).region(region)
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build());
    }

    CloudFormationClient cloudFormation(AwsBasicCredentials credentials) {
        return keep(CloudFormationClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .credentialsProvider(StaticCredentialsProvider.create(credentials)).build());
    }

    /** The service error a call was refused with. */
    static AwsServiceException refused(Runnable call) {
        AwsServiceException e = catchThrowableOfType(AwsServiceException.class, call::run);
        assertThat(e).as("the call was refused").isNotNull();
        return e;
    }

    @Override
    public void close() {
        open.forEach(SdkAutoCloseable::close);
    }

    private <C extends SdkAutoCloseable> C keep(C client) {
        open.add(client);
        return client;
    }

    private static StaticCredentialsProvider credentials(String accessKeyId) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "x"));
    }
}
