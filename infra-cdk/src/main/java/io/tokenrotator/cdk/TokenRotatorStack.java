package io.tokenrotator.cdk;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/** The deployable stack: one {@link TokenRotator}, configured from {@link AppConfig}, and its outputs. */
public final class TokenRotatorStack extends Stack {
    /** The output that names the credential lifecycle state machine (only when credentials are managed). */
    public static final String LIFECYCLE_OUTPUT = "LifecycleStateMachineArn";
    public final TokenRotator rotator;

    public TokenRotatorStack(Construct scope, AppConfig config, StackProps stackProps) {
        super(scope, config.stackName(), stackProps);
        TokenRotatorProps props = config.props();
        if (config.alarmTopicArn() != null) {
            ITopic topic = Topic.fromTopicArn(this, "ExistingAlarmTopic", config.alarmTopicArn());
            props = props.toBuilder().alarmTopic(topic).build();
        }
        rotator = new TokenRotator(this, "TokenRotator", props);
        if (config.alarmEmail() != null) {
            rotator.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail()));
        }
        CfnOutput.Builder.create(this, "StateMachineArn").value(rotator.stateMachine.getStateMachineArn())
                .description("Start a rotation: aws stepfunctions start-execution --state-machine-arn <this>").build();
        CfnOutput.Builder.create(this, "RunBucketName").value(rotator.runBucket.getBucketName())
                .description("Plans, per-stack results and reports of every run, under runs/<execution name>/").build();
        CfnOutput.Builder.create(this, "AlarmTopicArn").value(rotator.alarmTopic.getTopicArn()).build();
        if (rotator.lifecycleStateMachine != null) {
            CfnOutput.Builder.create(this, LIFECYCLE_OUTPUT).value(rotator.lifecycleStateMachine.getStateMachineArn())
                    .description("Start a credential cycle: ./token-rotator start --credential <secret>").build();
        }
    }
}
