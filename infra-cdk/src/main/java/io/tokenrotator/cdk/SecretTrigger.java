package io.tokenrotator.cdk;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.CfnEventInvokeConfig;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.List;

/**
 * The automatic start: two EventBridge rules on the watched secrets' changes with the Start Rotation function as
 * their target, one queue for every trigger failure, and an alarm on it.
 *
 * <ul>
 *   <li>{@code SecretLabelUpdated}: Secrets Manager's native event when AWSCURRENT moves (PutSecretValue,
 *       UpdateSecret, UpdateSecretVersionStage, a rotation's finishSecret alike). Needs no CloudTrail.</li>
 *   <li>{@code SecretApiCall}: the CloudTrail records of PutSecretValue, UpdateSecret and UpdateSecretVersionStage
 *       (needs a trail). CloudTrail-derived events are delivered on a best-effort basis; the two rules back each
 *       other up, and execution names make the overlap harmless.</li>
 * </ul>
 * RotationSucceeded is not a trigger any more: a rotation ends by moving AWSCURRENT, which both rules see.
 *
 * <p>Failures are never silent. EventBridge invokes the function asynchronously: the rule target's dead-letter
 * queue receives only events EventBridge could not deliver; an error inside the function is retried twice by Lambda
 * and then dropped unless the function has an on-failure destination (EventBridge user guide, "Using dead-letter
 * queues"; Lambda developer guide, "Asynchronous invocation"). Both go to the same queue, whose alarm fires on the
 * first message.
 */
public final class SecretTrigger extends Construct {
    /** Creates an alarm that notifies the rotator's alarm topic. */
    @FunctionalInterface
    interface Alarms {
        Alarm alarm(String id, String description, IMetric metric);
    }

    public final List<Rule> rules;
    /** Undeliverable events (the rules' dead-letter queue) and failed invocations (the on-failure destination). */
    public final Queue deadLetterQueue;
    public final Alarm deadLetterAlarm;

    SecretTrigger(Construct scope, String id, List<String> secrets, Function startRotation, Alarms alarms) {
        super(scope, id);
        Stack stack = Stack.of(this);
        List<SecretPatterns.Watched> watched = secrets.stream().map(s -> SecretPatterns.watched(stack, s)).toList();
        watched.stream().filter(w -> SecretPatterns.uncheckedAtSynth(stack, w)).forEach(w -> Annotations.of(this)
                .addWarningV2("token-rotator:secret-env", "secrets: '" + w.configured() + "' names a region and"
                        + " account that cannot be checked against an environment-agnostic stack; Start Rotation"
                        + " checks them at run time. Give the stack an explicit env to check them at synth."));
        startRotation.addEnvironment("WATCHED_SECRETS", SecretPatterns.watchedJson(stack, watched));

        deadLetterQueue = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).build();
        NagAcknowledgements.rule(deadLetterQueue, "AwsSolutions-SQS3", "This queue is the trigger's dead-letter queue.");
        // L1, so that no grant is added behind the declaration's back: RotatorFunction.START_ROTATION declares
        // sqs:SendMessage on this queue and the construct grants it
        CfnEventInvokeConfig.Builder.create(this, "StartRotationAsyncInvoke")
                .functionName(startRotation.getFunctionName()).qualifier("$LATEST")
                .maximumRetryAttempts(2).maximumEventAgeInSeconds((int) Duration.hours(6).toSeconds().longValue())
                .destinationConfig(CfnEventInvokeConfig.DestinationConfigProperty.builder()
                        .onFailure(CfnEventInvokeConfig.OnFailureProperty.builder()
                                .destination(deadLetterQueue.getQueueArn()).build()).build())
                .build();

        LambdaFunction target = LambdaFunction.Builder.create(startRotation)
                .deadLetterQueue(deadLetterQueue).retryAttempts(8).maxEventAge(Duration.hours(2)).build();
        rules = List.of(
                Rule.Builder.create(this, "SecretLabelUpdated")
                        .description("AWSCURRENT moved on a watched secret (Secrets Manager's own event, no trail needed)")
                        .eventPattern(EventPattern.builder().source(List.of("aws.secretsmanager"))
                                .detailType(List.of("Secret Label Updated"))
                                .account(List.of(stack.getAccount())).region(List.of(stack.getRegion()))
                                .detail(SecretPatterns.labelUpdatedDetail(watched)).build())
                        .targets(List.of(target)).build(),
                Rule.Builder.create(this, "SecretApiCall")
                        .description("PutSecretValue, UpdateSecret or UpdateSecretVersionStage on a watched secret"
                                + " (CloudTrail)")
                        .eventPattern(EventPattern.builder().source(List.of("aws.secretsmanager"))
                                .detailType(List.of("AWS API Call via CloudTrail"))
                                .account(List.of(stack.getAccount())).region(List.of(stack.getRegion()))
                                .detail(SecretPatterns.apiCallDetail(watched)).build())
                        .targets(List.of(target)).build());
        deadLetterAlarm = alarms.alarm("TriggerDeadLetterAlarm", "A secret change did not start a rotation: Start"
                + " Rotation failed after Lambda's retries, or EventBridge could not deliver the event. The messages"
                + " in the trigger's queue carry the event and the error.", deadLetterQueue
                .metricApproximateNumberOfMessagesVisible().with(MetricOptions.builder()
                        .period(Duration.minutes(5)).build()));
    }
}
