package io.tokenrotator.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * The automatic start: EventBridge rules on the watched secrets' changes, with the Start Rotation function as their
 * target, a dead-letter queue for events that could not be delivered, and an alarm on it.
 */
public final class SecretTrigger extends Construct {
    /** Creates an alarm that notifies the rotator's alarm topic. */
    @FunctionalInterface
    interface Alarms {
        Alarm alarm(String id, String description, IMetric metric);
    }

    public final List<Rule> rules = new ArrayList<>();
    public final Queue deadLetterQueue;
    public final Alarm deadLetterAlarm;

    SecretTrigger(Construct scope, String id, List<String> secrets, Function startRotation, Alarms alarms) {
        super(scope, id);
        Stack stack = Stack.of(this);
        deadLetterQueue = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED).enforceSsl(true)
                .retentionPeriod(Duration.days(14)).build();
        NagAcknowledgements.rule(deadLetterQueue, "AwsSolutions-SQS3", "This queue is the trigger's dead-letter queue.");
        List<SecretPatterns.Watched> watched = secrets.stream().map(s -> SecretPatterns.watched(stack, s)).toList();
        LambdaFunction target = LambdaFunction.Builder.create(startRotation)
                .deadLetterQueue(deadLetterQueue).retryAttempts(8).maxEventAge(Duration.hours(2)).build();
        rules.add(Rule.Builder.create(this, "SecretValueChanged")
                .description("A watched secret got a new AWSCURRENT value (PutSecretValue, UpdateSecret)")
                .eventPattern(EventPattern.builder().source(List.of("aws.secretsmanager"))
                        .detailType(List.of("AWS API Call via CloudTrail"))
                        .detail(SecretPatterns.apiCallDetail(watched)).build())
                .targets(List.of(target)).build());
        rules.add(Rule.Builder.create(this, "SecretRotationSucceeded")
                .description("A watched secret finished a rotation: the new version is AWSCURRENT")
                .eventPattern(EventPattern.builder().source(List.of("aws.secretsmanager"))
                        .detailType(List.of("AWS Service Event via CloudTrail"))
                        .detail(SecretPatterns.rotationSucceededDetail(watched)).build())
                .targets(List.of(target)).build());
        deadLetterAlarm = alarms.alarm("TriggerDeadLetterAlarm", "A secret change could not start a rotation: see"
                + " the trigger's dead-letter queue", deadLetterQueue.metricApproximateNumberOfMessagesVisible()
                .with(MetricOptions.builder().period(Duration.minutes(5)).build()));
    }
}
