package io.tokenrotator.cli;

import io.tokenrotator.aws.AwsClients;
import picocli.CommandLine.Option;

import java.net.URI;

/** Where the operator commands reach AWS: the default credential chain, narrowed by these options. */
final class AwsOptions {
    @Option(names = "--region", description = "AWS region (default: AWS_REGION or the profile's region).")
    String region;
    @Option(names = "--profile", description = "Named profile from ~/.aws (default: AWS_PROFILE or default).")
    String profile;
    @Option(names = "--endpoint-url", description = "Send every AWS call here (default: AWS_ENDPOINT_URL, if set).")
    URI endpointUrl;

    AwsClients clients() {
        return AwsClients.forOperator(region, profile, endpointUrl);
    }
}
