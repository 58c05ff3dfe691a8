package io.tokenrotator.cdk;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/** The CDK app that cdk.json runs: {@code cdk deploy} puts Token Rotator into the current account and region. */
public final class TokenRotatorApp {
    private TokenRotatorApp() {}

    public static void main(String[] args) {
        App app = new App();
        AppConfig config = AppConfig.from(key -> app.getNode().tryGetContext(key));
        new TokenRotatorStack(app, config, StackProps.builder()
                .description("Token Rotator: re-deploys the CloudFormation stacks that consume a changed secret")
                .env(Environment.builder().account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                        .region(System.getenv("CDK_DEFAULT_REGION")).build())
                .build());
        app.synth();
    }
}
