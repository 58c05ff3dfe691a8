package io.tokenrotator.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;

/**
 * Builds SDK clients over one shared URL-connection HTTP client (no Netty, no Apache: a smaller jar and a faster
 * cold start). Three ways: {@link #fromEnvironment()} in Lambda (region, credentials and {@code AWS_ENDPOINT_URL}
 * from the environment, read by the SDK itself); {@link #forOperator} for the CLI (the default chain, with
 * optional region, profile and endpoint); {@link #local} for a simulator (static credentials, time-scaled
 * retries), and {@link #as} for another principal of the same simulator.
 */
public final class AwsClients {
    /** The access key id {@link #local} signs with: the simulator's operator, a principal with full access. */
    public static final String LOCAL_ACCESS_KEY_ID = "local";

    private final SdkHttpClient http;
    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final RetryStrategy retry;
    private final boolean pathStyle;

    private AwsClients(SdkHttpClient http, URI endpoint, Region region, AwsCredentialsProvider credentials,
                       RetryStrategy retry, boolean pathStyle) {
        this.http = http;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.retry = retry;
        this.pathStyle = pathStyle;
    }

    public static AwsClients fromEnvironment() {
        return fromEnvironment(System::getenv);
    }

    /**
     * In Lambda: the region from AWS_REGION and the function role's credentials from AWS_ACCESS_KEY_ID,
     * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which Lambda sets for the life of the execution environment
     * (Lambda developer guide, "Defined runtime environment variables"). Naming them skips the SDK's region and
     * credential provider chains at every client's construction, as the SDK advises for Lambda (SDK developer guide,
     * "Reduce SDK startup time for AWS Lambda"). Where they are missing the SDK's default chains decide.
     * {@code AWS_ENDPOINT_URL} (the local run) is read by the SDK itself.
     */
    static AwsClients fromEnvironment(Function<String, String> env) {
        String region = env.apply("AWS_REGION");
        String keyId = env.apply("AWS_ACCESS_KEY_ID");
        String secretKey = env.apply("AWS_SECRET_ACCESS_KEY");
        String sessionToken = env.apply("AWS_SESSION_TOKEN");
        AwsCredentialsProvider credentials = isBlank(keyId) || isBlank(secretKey) ? null
                : StaticCredentialsProvider.create(isBlank(sessionToken) ? AwsBasicCredentials.create(keyId, secretKey)
                        : AwsSessionCredentials.create(keyId, secretKey, sessionToken));
        return new AwsClients(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build(), null, isBlank(region) ? null : Region.of(region), credentials, null, false);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** For a person's shell. Null arguments keep the SDK's defaults (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL). */
    public static AwsClients forOperator(String region, String profile, URI endpoint) {
        return new AwsClients(UrlConnectionHttpClient.create(), endpoint, region == null ? null : Region.of(region),
                profile == null ? null : ProfileCredentialsProvider.create(profile), null, false);
    }

    /**
     * Clients for a local endpoint (us-east-1, access key {@value #LOCAL_ACCESS_KEY_ID}). The SDK's standard retry
     * strategy with its default delays (100 ms base, 1 s for throttling, 20 s cap) divided by {@code timeScale}, so a
     * simulation that runs N times faster than real time sees the same retry behaviour. S3 is addressed path-style
     * ({@code <endpoint>/<bucket>/<key>}): a bucket cannot be a subdomain of 127.0.0.1. The SDK's default request
     * checksums stay on: the simulator verifies them as S3 does.
     */
    public static AwsClients local(URI endpoint, double timeScale) {
        Duration cap = scaled(Duration.ofSeconds(20), timeScale);
        RetryStrategy retry = AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .backoffStrategy(BackoffStrategy.exponentialDelay(scaled(Duration.ofMillis(100), timeScale), cap))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(scaled(Duration.ofSeconds(1), timeScale), cap))
                .build();
        return new AwsClients(UrlConnectionHttpClient.create(), endpoint, Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCAL_ACCESS_KEY_ID, "local")), retry, true);
    }

    /**
     * The same endpoint, HTTP client and retries, signing as another principal: the simulator knows the caller by
     * the access key id in each request's SigV4 header.
     */
    public AwsClients as(String accessKeyId) {
        return new AwsClients(http, endpoint, region,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "local")), retry, pathStyle);
    }

    /** The region the clients are built for; null when the SDK's own chain decides. */
    public String regionId() {
        return region == null ? null : region.id();
    }

    /** The same principal in another region (a target region of the home account, a secret's replica region). */
    public AwsClients inRegion(String regionId) {
        return new AwsClients(http, endpoint, Region.of(regionId), credentials, retry, pathStyle);
    }

    /**
     * A target account's clients: credentials from STS AssumeRole of {@code roleArn} (with {@code externalId} when
     * given), signed for {@code regionId}. The SDK's provider caches the role's credentials and refreshes them before
     * they expire (StsAssumeRoleCredentialsProvider: "a background thread ... before they expire"), so a
     * container assumes each role about once an hour, not once a call. STS is called in the home region.
     */
    public AwsClients assumingRole(String roleArn, String externalId, String sessionName, String regionId) {
        StsClientBuilder sts = StsClient.builder().httpClient(http);
        if (endpoint != null) {
            sts.endpointOverride(endpoint);
        }
        if (region != null) {
            sts.region(region);
        }
        if (credentials != null) {
            sts.credentialsProvider(credentials);
        }
        if (retry != null) {
            sts.overrideConfiguration(o -> o.retryStrategy(retry));
        }
        StsAssumeRoleCredentialsProvider role = StsAssumeRoleCredentialsProvider.builder().stsClient(sts.build())
                .refreshRequest(r -> {
                    r.roleArn(roleArn).roleSessionName(sessionName);
                    if (externalId != null) {
                        r.externalId(externalId);
                    }
                }).build();
        return new AwsClients(http, endpoint, Region.of(regionId), role, retry, pathStyle);
    }

    /** STS with these clients' own credentials (the CLI asks who it is). */
    public StsClient sts() {
        return configure(StsClient.builder());
    }

    public CloudFormationClient cloudFormation() {
        return configure(CloudFormationClient.builder());
    }

    public SecretsManagerClient secretsManager() {
        return configure(SecretsManagerClient.builder());
    }

    public SfnClient stepFunctions() {
        return configure(SfnClient.builder());
    }

    /**
     * IAM has one global endpoint per partition: a client built for a regional Region would call
     * {@code iam.<region>.amazonaws.com}, which does not exist (aws/aws-sdk-java-v2#206), so it is built for the
     * partition's global region.
     */
    public IamClient iam() {
        return configure(IamClient.builder(), endpoint != null || region == null ? region : globalRegion(region));
    }

    static Region globalRegion(Region region) {
        String id = region.id();
        return id.startsWith("cn-") ? Region.AWS_CN_GLOBAL : id.startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL
                : Region.AWS_GLOBAL;
    }

    /**
     * An STS client that signs with the given access key (and nothing else): GetCallerIdentity answers only once IAM
     * has propagated a new key, and needs no permission ("No permissions are required to perform this operation",
     * GetCallerIdentity API reference).
     */
    public StsClient stsSignedWith(String accessKeyId, String secretAccessKey) {
        StsClientBuilder builder = StsClient.builder().httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId,
                        secretAccessKey)));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (region != null) {
            builder.region(region);
        }
        // a new key fails until it has propagated: each check is one attempt, the caller decides when to look again
        builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        return builder.build();
    }

    public S3Client s3() {
        return configure(S3Client.builder().forcePathStyle(pathStyle));
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder) {
        return configure(builder, region);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(B builder, Region in) {
        builder.httpClient(http);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        if (in != null) {
            builder.region(in);
        }
        if (credentials != null) {
            builder.credentialsProvider(credentials);
        }
        if (retry != null) {
            builder.overrideConfiguration(o -> o.retryStrategy(retry));
        }
        return builder.build();
    }

    private static Duration scaled(Duration d, double scale) {
        return Duration.ofNanos(Math.max(1_000, (long) (d.toNanos() / scale)));
    }
}
