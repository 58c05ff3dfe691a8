package io.tokenrotator.cdk;

import io.tokenrotator.credential.ManagedCredential;
import io.tokenrotator.credential.ManagedCredentials;
import io.tokenrotator.json.Json;
import io.tokenrotator.target.Target;
import io.tokenrotator.target.Targets;
import io.tokenrotator.wiring.Grant;
import io.tokenrotator.wiring.ResourceArns;
import io.tokenrotator.wiring.ResourceKind;
import io.tokenrotator.wiring.RotatorFunction;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudtrail.ReadWriteType;
import software.amazon.awscdk.services.cloudtrail.Trail;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token Rotator in one construct: the Lambdas, the rotation state machine (its ASL inlined), the run bucket, the
 * Secrets Manager trigger, and the alarm; with managed credentials also the credential lifecycle (its state machine,
 * four functions, one Scheduler schedule per credential, its alarm). The ASL files and the Lambda jar come from this
 * construct's own jar ({@link ShippedResources}), so it works in any CDK app. Least privilege throughout; nothing may
 * read a secret value.
 */
public final class TokenRotator extends Construct {
    /** The workflow's Lambda functions by the ASL placeholder that names them. */
    public final Map<String, Function> workflowFunctions = new LinkedHashMap<>();
    public final Function findStacksFunction;
    public final Function updateStackFunction;
    public final Function stackStatusFunction;
    /** The EventBridge target that starts one execution per secret version; null without watched secrets. */
    public final Function startRotationFunction;
    public final StateMachine stateMachine;
    public final LogGroup stateMachineLogGroup;
    public final Bucket runBucket;
    public final ITopic alarmTopic;
    public final Alarm failedExecutionsAlarm;
    /** The EventBridge rules, their dead-letter queue and alarms; null without watched secrets. */
    public final SecretTrigger trigger;
    /** Null unless createTrail. */
    public final Trail trail;
    /** The credential lifecycle's functions by the ASL placeholder that names them; empty without managed credentials. */
    public final Map<String, Function> lifecycleFunctions = new LinkedHashMap<>();
    /** The credential lifecycle state machine ({@code <stack name>-credential-lifecycle}); null without managed credentials. */
    public final StateMachine lifecycleStateMachine;
    /** Its execution log group; null without managed credentials. */
    public final LogGroup lifecycleLogGroup;
    /** One EventBridge Scheduler schedule per managed credential, in the order given. */
    public final List<CfnSchedule> credentialSchedules = new ArrayList<>();
    /** Fires on a failed, timed-out or aborted lifecycle execution; null without managed credentials. */
    public final Alarm failedCyclesAlarm;
    /** The roles the functions assume in the target accounts ({@code role/<roleName>} of each); empty without targets. */
    public final List<String> targetRoleArns;

    public TokenRotator(Construct scope, String id, TokenRotatorProps props) {
        super(scope, id);
        TokenRotatorProps p = props == null ? TokenRotatorProps.builder().build() : props;
        Stack stack = Stack.of(this);
        Code code = p.lambdaCode() != null ? p.lambdaCode() : ShippedResources.lambdaCode();

        runBucket = privateBucket("RunBucket", 30);
        acknowledge(runBucket, "AwsSolutions-S1", "Holds run plans and per-stack results (names, statuses, reasons;"
                + " never secret values) for 30 days; access is through the functions' roles only.");

        String stateMachineName = stack.getStackName() + "-rotation";
        String stateMachineArn = stack.formatArn(ArnComponents.builder().service("states").resource("stateMachine")
                .resourceName(stateMachineName).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        if (p.stackNamePrefix() == null) {
            Annotations.of(this).addWarningV2("token-rotator:unscoped", "stackNamePrefix is not set: the Update Stack"
                    + " function may update any stack in this account and region, and so act with those stacks' service"
                    + " roles. Set stackNamePrefix (-c stackNamePrefix=<prefix>) to scope it (README: Deploy).");
        }
        List<String> secretArns = new ArrayList<>(p.secrets().stream()
                .map(s -> SecretPatterns.watched(stack, s).arnPrefix() + "??????").toList());
        List<ManagedCredentialProps> managed = p.managedCredentials();
        List<String> managedSecretArns = new ArrayList<>();
        for (int i = 0; i < managed.size(); i++) {
            managedSecretArns.add(managedSecretArn(stack, managed.get(i), "managedCredentials entry " + i));
        }
        // the rotation a cycle starts runs Find Stacks on the managed secret: it must be able to describe it
        if (!secretArns.isEmpty()) {
            managedSecretArns.stream().filter(a -> !secretArns.contains(a)).forEach(secretArns::add);
        }
        String lifecycleName = stack.getStackName() + "-credential-lifecycle";
        String lifecycleArn = stack.formatArn(ArnComponents.builder().service("states").resource("stateMachine")
                .resourceName(lifecycleName).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        ResourceArns arns = new ResourceArns(stack.getPartition(), stack.getRegion(), stack.getAccount(),
                p.stackNamePrefix(), secretArns, runBucket.getBucketArn(), stateMachineArn);
        if (!managed.isEmpty()) {
            arns = arns.withLifecycle(new ResourceArns.Lifecycle(managed.stream().map(ManagedCredentialProps::userName)
                    .distinct().toList(), managedSecretArns.stream().distinct().toList(), lifecycleArn));
        }

        // many accounts and regions: the target roles, and the environment that names them (none without targets)
        String targetsJson = p.targetsJson();
        targetRoleArns = targetsJson == null ? List.of() : Targets.parse(targetsJson, "targets", stack.getPartition(),
                        stack.getAccount(), stack.getRegion()).all().stream().filter(t -> !t.home())
                .map(Target::roleArn).distinct().toList();
        arns = arns.withTargetRoles(targetRoleArns);
        Map<String, String> targetEnv = new LinkedHashMap<>();
        if (targetsJson != null) {
            checkCentralRoleNames(stack);
            targetEnv.put(Targets.VARIABLE, targetsJson);
            targetEnv.put(Targets.HOME_ACCOUNT, Aws.ACCOUNT_ID);
            targetEnv.put(Targets.PARTITION, Aws.PARTITION);
        }

        Map<String, String> findEnv = new LinkedHashMap<>();
        findEnv.put("RUN_BUCKET", runBucket.getBucketName());
        findEnv.put("PARAMETER_NAME", p.parameterName());
        findEnv.put("VERSION_PARAMETER_NAME", p.versionParameterName());
        findEnv.put("SELECTION", p.selection());
        if (p.stackNamePrefix() != null) {
            findEnv.put("STACK_NAME_PREFIX", p.stackNamePrefix());
        }
        findEnv.putAll(p.settings().environment());
        findEnv.putAll(targetEnv);

        // each function's permissions come from RotatorFunction, the declaration the local run enforces too
        Map<String, String> bucketEnv = Map.of("RUN_BUCKET", runBucket.getBucketName());
        Map<String, String> updateEnv = new LinkedHashMap<>(bucketEnv);
        updateEnv.putAll(targetEnv);
        findStacksFunction = function(RotatorFunction.FIND_STACKS, code, 1024, Duration.minutes(15), findEnv, arns);
        updateStackFunction = function(RotatorFunction.UPDATE_STACK, code, 512, Duration.seconds(60), updateEnv, arns);
        stackStatusFunction = function(RotatorFunction.STACK_STATUS, code, 512, Duration.seconds(30), targetEnv, arns);
        if (!targetRoleArns.isEmpty()) {
            trustedByTargets();
        }
        Function load = function(RotatorFunction.LOAD_PLANNED_STACK, code, 512, Duration.seconds(30), bucketEnv, arns);
        Function record = function(RotatorFunction.RECORD_RESULT, code, 512, Duration.seconds(30), bucketEnv, arns);
        Function summarize = function(RotatorFunction.SUMMARIZE, code, 1024, Duration.minutes(5), bucketEnv, arns);
        workflowFunctions.put(RotatorFunction.FIND_STACKS.placeholder(), findStacksFunction);
        workflowFunctions.put(RotatorFunction.LOAD_PLANNED_STACK.placeholder(), load);
        workflowFunctions.put(RotatorFunction.UPDATE_STACK.placeholder(), updateStackFunction);
        workflowFunctions.put(RotatorFunction.STACK_STATUS.placeholder(), stackStatusFunction);
        workflowFunctions.put(RotatorFunction.RECORD_RESULT.placeholder(), record);
        workflowFunctions.put(RotatorFunction.SUMMARIZE.placeholder(), summarize);

        // vended-logs prefix: other names are added to the account's 5,120-character CloudWatch Logs resource policy
        stateMachineLogGroup = LogGroup.Builder.create(this, "StateMachineLogs")
                .logGroupName("/aws/vendedlogs/states/" + stack.getStackName() + "-rotation")
                .retention(RetentionDays.THREE_MONTHS).removalPolicy(RemovalPolicy.DESTROY).build();
        String executionArns = stack.formatArn(ArnComponents.builder().service("states").resource("execution")
                .resourceName(stateMachineName + "/*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
        Role machineRole = Role.Builder.create(this, "StateMachineRole")
                .assumedBy(new ServicePrincipal("states.amazonaws.com")).build();
        // only its own functions (unqualified ARNs, as the ASL names them) ...
        machineRole.addToPolicy(allow(List.of("lambda:InvokeFunction"),
                workflowFunctions.values().stream().map(Function::getFunctionArn).toList()));
        // ... and its own Distributed Map child executions
        machineRole.addToPolicy(allow(List.of("states:StartExecution"), List.of(stateMachineArn)));
        machineRole.addToPolicy(allow(List.of("states:DescribeExecution", "states:StopExecution"), List.of(executionArns)));
        Map<String, String> substitutions = new LinkedHashMap<>();
        workflowFunctions.forEach((placeholder, fn) -> substitutions.put(placeholder, fn.getFunctionArn()));
        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(stateMachineName)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(ShippedResources.stateMachineDefinition()))
                .definitionSubstitutions(substitutions)
                .role(machineRole)
                .tracingEnabled(true)
                .logs(LogOptions.builder().destination(stateMachineLogGroup).level(LogLevel.ALL)
                        .includeExecutionData(true).build())
                .build();
        NagAcknowledgements.wildcardResources(machineRole, List.of(executionArns, "*"), "Child executions of the"
                + " Distributed Map have generated names (execution:<name>/*); CloudWatch Logs delivery and X-Ray"
                + " tracing require Resource '*'.");

        alarmTopic = p.alarmTopic() != null ? p.alarmTopic() : Topic.Builder.create(this, "AlarmTopic")
                .displayName("Token Rotator alarms").enforceSsl(true).build();
        if (p.alarmTopic() == null) {
            acknowledge((IConstruct) alarmTopic, "AwsSolutions-SNS2", "Carries alarm state changes only (no secret"
                    + " values); CloudWatch alarms cannot publish to a topic encrypted with the AWS managed SNS key.");
        }
        failedExecutionsAlarm = alarm("FailedExecutionsAlarm", "A Token Rotator run failed or timed out: a stack is"
                + " FAILED or NEEDS_ATTENTION (see the execution's cause and the README's Operations section).",
                MathExpression.Builder.create().expression("failed + timedOut + aborted")
                        .usingMetrics(new java.util.TreeMap<>(Map.of("failed", stateMachine.metricFailed(),
                                "timedOut", stateMachine.metricTimedOut(), "aborted", stateMachine.metricAborted())))
                        .period(Duration.minutes(5)).build());

        if (p.secrets().isEmpty()) {
            startRotationFunction = null;
            trigger = null;
        } else {
            startRotationFunction = function(RotatorFunction.START_ROTATION, code, 512, Duration.seconds(30),
                    Map.of("STATE_MACHINE_ARN", stateMachineArn), arns);
            trigger = new SecretTrigger(this, "Trigger", p.secrets(), startRotationFunction, this::alarm);
            // the on-failure destination's grant, now that the queue exists (declared like every other grant)
            ResourceArns withQueue = arns.withTriggerQueue(trigger.deadLetterQueue.getQueueArn());
            RotatorFunction.START_ROTATION.grants().stream()
                    .filter(g -> g.resources() == ResourceKind.TRIGGER_QUEUE)
                    .forEach(g -> ((Role) startRotationFunction.getRole()).addToPolicy(allow(g.actions(), withQueue.of(g))));
        }

        if (managed.isEmpty()) {
            lifecycleStateMachine = null;
            lifecycleLogGroup = null;
            failedCyclesAlarm = null;
        } else {
            Map<String, String> lifecycleEnv = new LinkedHashMap<>();
            lifecycleEnv.put("RUN_BUCKET", runBucket.getBucketName());
            lifecycleEnv.put(ManagedCredentials.VARIABLE, managedCredentialsJson(managed));
            Map<String, String> propagateEnv = new LinkedHashMap<>(lifecycleEnv);
            propagateEnv.put("STATE_MACHINE_ARN", stateMachineArn);
            for (RotatorFunction f : RotatorFunction.lifecycle()) {
                boolean propagates = f == RotatorFunction.PROPAGATE_CREDENTIAL;
                lifecycleFunctions.put(f.placeholder(), function(f, code, 512, lifecycleTimeout(f),
                        propagates ? propagateEnv : lifecycleEnv, arns));
            }
            lifecycleLogGroup = LogGroup.Builder.create(this, "LifecycleLogs")
                    .logGroupName("/aws/vendedlogs/states/" + lifecycleName)
                    .retention(RetentionDays.THREE_MONTHS).removalPolicy(RemovalPolicy.DESTROY).build();
            Role lifecycleRole = Role.Builder.create(this, "LifecycleRole")
                    .assumedBy(new ServicePrincipal("states.amazonaws.com")).build();
            lifecycleRole.addToPolicy(allow(List.of("lambda:InvokeFunction"),
                    lifecycleFunctions.values().stream().map(Function::getFunctionArn).toList()));
            Map<String, String> lifecycleSubstitutions = new LinkedHashMap<>();
            lifecycleFunctions.forEach((placeholder, fn) -> lifecycleSubstitutions.put(placeholder, fn.getFunctionArn()));
            lifecycleStateMachine = StateMachine.Builder.create(this, "Lifecycle")
                    .stateMachineName(lifecycleName)
                    .stateMachineType(StateMachineType.STANDARD)
                    .definitionBody(DefinitionBody.fromString(ShippedResources.lifecycleDefinition()))
                    .definitionSubstitutions(lifecycleSubstitutions)
                    .role(lifecycleRole)
                    .tracingEnabled(true)
                    .logs(LogOptions.builder().destination(lifecycleLogGroup).level(LogLevel.ALL)
                            .includeExecutionData(true).build())
                    .build();
            NagAcknowledgements.wildcardResources(lifecycleRole, List.of("*"), "CloudWatch Logs delivery and X-Ray"
                    + " tracing require Resource '*'.");
            failedCyclesAlarm = alarm("FailedCyclesAlarm", "A credential lifecycle execution failed: a cycle stopped"
                    + " (CycleStopped, RetirementBlocked, OldKeyStillInUse, OldKeyReactivated or a task failure); the"
                    + " old key is still active. See the execution's cause and the README's Credential lifecycle.",
                    MathExpression.Builder.create().expression("failed + timedOut + aborted")
                            .usingMetrics(new java.util.TreeMap<>(Map.of("failed", lifecycleStateMachine.metricFailed(),
                                    "timedOut", lifecycleStateMachine.metricTimedOut(),
                                    "aborted", lifecycleStateMachine.metricAborted())))
                            .period(Duration.minutes(5)).build());
            schedules(managed, lifecycleArn);
        }

        if (p.createTrail()) {
            Bucket trailBucket = privateBucket("TrailBucket", 90);
            acknowledge(trailBucket, "AwsSolutions-S1", "CloudTrail log bucket created only so that Secrets Manager"
                    + " API calls reach EventBridge; CloudTrail itself records access to these logs.");
            trail = Trail.Builder.create(this, "Trail").bucket(trailBucket).isMultiRegionTrail(false)
                    .includeGlobalServiceEvents(false).managementEvents(ReadWriteType.WRITE_ONLY)
                    .enableFileValidation(true).build();
            acknowledge(trail, "AwsSolutions-CT1", "The trail exists to deliver write management events to"
                    + " EventBridge; its logs stay in S3 (CloudWatch Logs delivery is left to the account's own trail).");
        } else {
            trail = null;
        }
    }

    /** The functions that act in the target accounts, with the target roles there (README, "Many accounts and regions"). */
    static final List<RotatorFunction> TARGET_FUNCTIONS = List.of(RotatorFunction.FIND_STACKS,
            RotatorFunction.UPDATE_STACK, RotatorFunction.STACK_STATUS);

    /**
     * The central side of the target roles' trust. The three functions' roles get stable names, {@code
     * <stackName>-<function id>} ({@link #centralRoleName}), which each target role trusts (as aws:PrincipalArn:
     * a name survives the role being replaced, and the target role can be created before or after it). The run
     * bucket lets the target roles read {@code templates/}: CloudFormation fetches a TemplateURL with the caller's
     * credentials, which are the target role's (CloudFormation user guide, "Template URL"); cross-account, both the
     * bucket policy and the caller's own policy must allow it (S3 user guide, "Bucket owner granting cross-account
     * bucket permissions"). The principals are the target accounts, narrowed to their target roles by
     * aws:PrincipalArn: not the roles themselves, because S3 rejects a policy naming a role that does not exist yet
     * ("Invalid principal in policy") and the targets may deploy their roles after this stack; not '*', which with
     * BlockPublicPolicy could be judged public (S3 user guide, "The meaning of public": a fixed principal is not).
     */
    private void trustedByTargets() {
        runBucket.addToResourcePolicy(PolicyStatement.Builder.create().effect(Effect.ALLOW)
                .principals(targetRoleArns.stream().map(a -> a.split(":")[4]).distinct()
                        .map(a -> (software.amazon.awscdk.services.iam.IPrincipal)
                                new software.amazon.awscdk.services.iam.AccountPrincipal(a)).toList())
                .actions(List.of("s3:GetObject"))
                .resources(List.of(runBucket.arnForObjects("templates/*")))
                .conditions(Map.of("ArnEquals", Map.of("aws:PrincipalArn", targetRoleArns)))
                .build());
    }

    private static void checkCentralRoleNames(Stack stack) {
        for (RotatorFunction f : TARGET_FUNCTIONS) {
            String name = centralRoleName(stack.getStackName(), f);
            if (!software.amazon.awscdk.Token.isUnresolved(name) && name.length() > 64) {
                throw new IllegalArgumentException("targets: the role name " + name + " (stack name + '-"
                        + f.id() + "') is longer than IAM's 64 characters; choose a shorter stack name");
            }
        }
    }

    /** The stable name of a target-acting function's role: {@code <stackName>-<function id>}, with targets only. */
    static String centralRoleName(String stackName, RotatorFunction f) {
        return stackName + "-" + f.id();
    }

    /**
     * One EventBridge Scheduler schedule per credential, starting the lifecycle with {@code {"secretId": ...}}
     * (Scheduler's universal target {@code states:StartExecution} is the default for a state machine ARN target:
     * Scheduler user guide, "Templated targets"). The schedules' role may only start the lifecycle, and only on
     * behalf of this account's schedules (aws:SourceAccount, Scheduler user guide, "Confused deputy prevention").
     * No flexible time window: a cycle starts when its schedule says.
     */
    private void schedules(List<ManagedCredentialProps> managed, String lifecycleArn) {
        Stack stack = Stack.of(this);
        Role role = Role.Builder.create(this, "ScheduleRole")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()))))
                .build();
        role.addToPolicy(allow(List.of("states:StartExecution"), List.of(lifecycleArn)));
        for (int i = 0; i < managed.size(); i++) {
            ManagedCredentialProps c = managed.get(i);
            credentialSchedules.add(CfnSchedule.Builder.create(this, "CredentialSchedule" + i)
                    .description("Token Rotator: starts a credential lifecycle cycle for user " + c.userName())
                    .scheduleExpression(c.schedule())
                    .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                    .state("ENABLED")
                    .target(CfnSchedule.TargetProperty.builder()
                            .arn(lifecycleArn)
                            .roleArn(role.getRoleArn())
                            .input(stack.toJsonString(Map.of("secretId", c.secretId())))
                            .build())
                    .build());
        }
    }

    /**
     * The IAM resource pattern of a managed secret: {@code secret:<name>-??????} for a name or ARN (checked like a
     * watched secret), an ISecret's full ARN or its partial ARN's pattern.
     */
    private static String managedSecretArn(Stack stack, ManagedCredentialProps c, String where) {
        if (c.secretRef() != null) {
            // a full ARN when it is known (a secret of this app, fromSecretCompleteArn), else the partial ARN's pattern
            String full = c.secretRef().getSecretFullArn();
            return full != null ? full : c.secretRef().getSecretArn() + "-??????";
        }
        try {
            return SecretPatterns.watched(stack, c.secret()).arnPrefix() + "??????";
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^secrets: ", where + ": secret "), e);
        }
    }

    /** The lifecycle functions' MANAGED_CREDENTIALS: the JSON array {@link ManagedCredentials} reads. */
    private static String managedCredentialsJson(List<ManagedCredentialProps> managed) {
        return Json.write(managed.stream().map(c -> new ManagedCredentials.Entry(c.secretId(),
                ManagedCredential.IAM_ACCESS_KEY, c.userName(), c.quietPeriod().toSeconds().longValue(),
                c.gracePeriod().toSeconds().longValue())).toList());
    }

    /**
     * Create Credential runs longer than its Task's TimeoutSeconds (300): the workflow's timeout decides when a
     * creation is given up, never Lambda's (a creation the workflow gave up on is found by the next run: its key id is
     * recorded before PutSecretValue). The others end well within their Tasks' 120 seconds.
     */
    static Duration lifecycleTimeout(RotatorFunction f) {
        return f == RotatorFunction.CREATE_CREDENTIAL ? Duration.seconds(330) : Duration.seconds(90);
    }

    /** A bucket only Token Rotator's roles reach: encrypted, TLS only, no public access, objects expiring. */
    private Bucket privateBucket(String id, int expiryDays) {
        return Bucket.Builder.create(this, id)
                .encryption(BucketEncryption.S3_MANAGED).enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(expiryDays)).build()))
                .removalPolicy(RemovalPolicy.RETAIN).build();
    }

    /** An alarm that fires on the first occurrence in five minutes and notifies the alarm topic. */
    Alarm alarm(String id, String description, software.amazon.awscdk.services.cloudwatch.IMetric metric) {
        Alarm alarm = Alarm.Builder.create(this, id).alarmDescription(description).metric(metric)
                .threshold(1).evaluationPeriods(1)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build();
        alarm.addAlarmAction(new SnsAction(alarmTopic));
        return alarm;
    }

    private Function function(RotatorFunction declared, Code code, int memory, Duration timeout,
                              Map<String, String> env, ResourceArns arns) {
        String id = declared.id();
        LogGroup logs = LogGroup.Builder.create(this, id + "Logs").retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY).build();
        Role.Builder roleBuilder = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"));
        if (!arns.targetRoleArns().isEmpty() && TARGET_FUNCTIONS.contains(declared)) {
            roleBuilder.roleName(centralRoleName(Stack.of(this).getStackName(), declared));
        }
        Role role = roleBuilder.build();
        role.addToPolicy(allow(List.of("logs:CreateLogStream", "logs:PutLogEvents"), List.of(logs.getLogGroupArn())));
        grant(declared, role, arns);
        NagAcknowledgements.wildcardResources(role, List.of("*"), "X-Ray tracing (xray:PutTraceSegments,"
                + " xray:PutTelemetryRecords) requires Resource '*'.");
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("JAVA_TOOL_OPTIONS", RotatorFunction.JAVA_TOOL_OPTIONS);
        Function fn = Function.Builder.create(this, id)
                .runtime(Runtime.JAVA_21).architecture(Architecture.ARM_64)
                .code(code).handler(declared.handlerName())
                .memorySize(memory).timeout(timeout).environment(environment)
                .role(role).logGroup(logs).tracing(Tracing.ACTIVE).build();
        acknowledge(fn, "AwsSolutions-L1", "The handlers target the java21 runtime on purpose (bytecode 17, tested on"
                + " 17 and 21); moving to a newer Java runtime is a deliberate upgrade, not an automatic one.");
        return fn;
    }

    /** The declared grants whose resources {@code arns} knows (the trigger queue exists only after the trigger). */
    private static void grant(RotatorFunction declared, Role role, ResourceArns arns) {
        for (Grant grant : declared.grants()) {
            List<String> resources = arns.of(grant);
            if (!resources.isEmpty()) {
                role.addToPolicy(allow(grant.actions(), resources));
                NagAcknowledgements.wildcardResources(role, resources, grant.why());
            }
        }
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().effect(Effect.ALLOW).actions(actions).resources(resources).build();
    }

    private static void acknowledge(IConstruct scope, String rule, String reason) {
        NagAcknowledgements.rule(scope, rule, reason);
    }
}
