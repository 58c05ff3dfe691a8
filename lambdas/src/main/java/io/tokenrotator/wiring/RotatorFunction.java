package io.tokenrotator.wiring;

import io.tokenrotator.handler.BeginCycleHandler;
import io.tokenrotator.handler.CreateCredentialHandler;
import io.tokenrotator.handler.FindStacksHandler;
import io.tokenrotator.handler.PropagateCredentialHandler;
import io.tokenrotator.handler.RetireCredentialHandler;
import io.tokenrotator.handler.JsonHandler;
import io.tokenrotator.handler.LoadPlannedStackHandler;
import io.tokenrotator.handler.RecordResultHandler;
import io.tokenrotator.handler.StackStatusHandler;
import io.tokenrotator.handler.StartRotationHandler;
import io.tokenrotator.handler.SummarizeHandler;
import io.tokenrotator.handler.UpdateStackHandler;

import java.util.List;

import static io.tokenrotator.wiring.Grant.objects;
import static io.tokenrotator.wiring.Grant.on;
import static io.tokenrotator.wiring.ResourceKind.ALL_STACKS;
import static io.tokenrotator.wiring.ResourceKind.ANY;
import static io.tokenrotator.wiring.ResourceKind.LIFECYCLE_EXECUTIONS;
import static io.tokenrotator.wiring.ResourceKind.MANAGED_SECRETS;
import static io.tokenrotator.wiring.ResourceKind.MANAGED_USERS;
import static io.tokenrotator.wiring.ResourceKind.ROTATION_EXECUTIONS;
import static io.tokenrotator.wiring.ResourceKind.RUN_BUCKET;
import static io.tokenrotator.wiring.ResourceKind.SSM_PARAMETERS;
import static io.tokenrotator.wiring.ResourceKind.STACKS;
import static io.tokenrotator.wiring.ResourceKind.SECRET_REPLICAS;
import static io.tokenrotator.wiring.ResourceKind.STATE_MACHINE;
import static io.tokenrotator.wiring.ResourceKind.TARGET_ROLES;
import static io.tokenrotator.wiring.ResourceKind.TRANSFORMS;
import static io.tokenrotator.wiring.ResourceKind.TRIGGER_QUEUE;
import static io.tokenrotator.wiring.ResourceKind.WATCHED_SECRETS;

/**
 * Every Lambda function of Token Rotator, its handler and the permissions it has: the one declaration both the CDK
 * construct (IAM policies) and the local run (the simulator's identity policies) are built from. A grant is listed
 * here because the function's code makes that call, or because AWS checks the action with the function's own
 * credentials on its behalf (CloudFormation reading SSM parameters, running a transform, fetching a TemplateURL).
 */
public enum RotatorFunction {
    FIND_STACKS("FindStacks", FindStacksHandler.class, true, List.of(
            on(ANY, "Lists every stack with its parameters: DescribeStacks without a stack name needs Resource '*'"
                    + " and cloudformation:ListStacks as well (DescribeStacks API reference)",
                    "cloudformation:DescribeStacks", "cloudformation:ListStacks"),
            on(STACKS, "Reads original templates for selection=referencing", "cloudformation:GetTemplate"),
            on(WATCHED_SECRETS, "Resolves the secret and its current version (names and staging labels, never a"
                    + " value)", "secretsmanager:DescribeSecret"),
            objects("runs/", "Stores the run's plan", "s3:PutObject"),
            on(TARGET_ROLES, "Lists the stacks of each target account and region with the role there",
                    "sts:AssumeRole"))),
    LOAD_PLANNED_STACK("LoadPlannedStack", LoadPlannedStackHandler.class, true, List.of(
            objects("runs/", "Reads its stack from the plan", "s3:GetObject"),
            on(RUN_BUCKET, "A plan that was never stored must read as NoSuchKey, a clear input error: without"
                    + " ListBucket S3 answers a missing key with 403 AccessDenied (GetObject API reference)",
                    "s3:ListBucket"))),
    UPDATE_STACK("UpdateStack", UpdateStackHandler.class, true, List.of(
            on(STACKS, "Reads the stack, its original template and stack policy, and updates it",
                    "cloudformation:DescribeStacks", "cloudformation:GetTemplate", "cloudformation:GetStackPolicy",
                    "cloudformation:UpdateStack"),
            on(SSM_PARAMETERS, "CloudFormation re-reads AWS::SSM::Parameter::Value parameters (CDK's"
                    + " BootstrapVersion, AMI ids) with the caller's credentials on every update, even with"
                    + " UsePreviousValue (aws-cdk #10083, #20959)", "ssm:GetParameters"),
            on(TRANSFORMS, "Updating a template with a Transform (LanguageExtensions, SAM, Include) creates a change"
                    + " set on the transform with the caller's credentials (aws-cloudformation-templates #358)",
                    "cloudformation:CreateChangeSet"),
            objects("templates/", "Templates over 51,200 bytes go as a TemplateURL: written here, then fetched by"
                    + " CloudFormation with the caller's credentials", "s3:PutObject", "s3:GetObject"),
            objects("leases/", "Takes and renews the run's lease on the stack (S3 conditional writes), so two runs"
                    + " never update one stack at the same time", "s3:GetObject", "s3:PutObject"),
            on(RUN_BUCKET, "Reading a lease that does not exist must answer NoSuchKey (no other run holds it), not"
                    + " 403 AccessDenied (GetObject API reference)", "s3:ListBucket"),
            on(TARGET_ROLES, "Updates a target account's stacks with the role there", "sts:AssumeRole"),
            objects("runs/", "Reads the run's secret and version (runs/<run>/secret.json) before updating a stack in"
                    + " another region than the secret", "s3:GetObject"),
            on(SECRET_REPLICAS, "A stack in another region resolves the secret's replica there: it is updated only"
                    + " once the replica's AWSCURRENT is the run's version (DescribeSecret of the replica)",
                    "secretsmanager:DescribeSecret"))),
    STACK_STATUS("StackStatus", StackStatusHandler.class, true, List.of(
            on(ALL_STACKS, "Polls the stack's status and parameter value", "cloudformation:DescribeStacks"),
            on(TARGET_ROLES, "Polls a target account's stacks with the role there", "sts:AssumeRole"))),
    RECORD_RESULT("RecordResult", RecordResultHandler.class, true, List.of(
            objects("runs/", "Reads its stack from the plan when the input has none, stores its result",
                    "s3:GetObject", "s3:PutObject"),
            objects("leases/", "Releases the run's lease on the stack", "s3:GetObject", "s3:DeleteObject"),
            on(RUN_BUCKET, "A plan that was never stored must read as NoSuchKey, not AccessDenied",
                    "s3:ListBucket"))),
    SUMMARIZE("Summarize", SummarizeHandler.class, true, List.of(
            objects("runs/", "Reads the plan and every result, stores the report", "s3:GetObject", "s3:PutObject"),
            on(RUN_BUCKET, "Lists the results recorded so far", "s3:ListBucket"))),
    /** The EventBridge target: created only when secrets are watched, not part of the state machine. */
    START_ROTATION("StartRotation", StartRotationHandler.class, false, List.of(
            on(WATCHED_SECRETS, "Resolves the changed secret's ARN and current version",
                    "secretsmanager:DescribeSecret"),
            on(STATE_MACHINE, "Starts one execution per secret version", "states:StartExecution"),
            on(TRIGGER_QUEUE, "Its on-failure destination: Lambda sends an event that still failed after two retries"
                    + " to the queue with the function's own role (Lambda developer guide, asynchronous invocation"
                    + " destinations)", "sqs:SendMessage"))),
    /** The credential lifecycle's functions: created only when credentials are managed. */
    BEGIN_CYCLE("BeginCycle", BeginCycleHandler.class, Workflow.LIFECYCLE, List.of(
            on(MANAGED_USERS, "Lists the user's access keys; deletes an inactive one the secret does not hold (a"
                    + " leftover of an earlier cycle) to stay within IAM's two keys", "iam:ListAccessKeys",
                    "iam:DeleteAccessKey"),
            on(MANAGED_SECRETS, "Resolves the secret and its current version (never a value)",
                    "secretsmanager:DescribeSecret"),
            on(LIFECYCLE_EXECUTIONS, "Is the execution that left a cycle unfinished still running?",
                    "states:DescribeExecution"),
            objects("credentials/", "Reads and writes the credential's record", "s3:GetObject", "s3:PutObject"),
            on(RUN_BUCKET, "A credential without a record must read as NoSuchKey, not AccessDenied",
                    "s3:ListBucket"))),
    CREATE_CREDENTIAL("CreateCredential", CreateCredentialHandler.class, Workflow.LIFECYCLE, List.of(
            on(MANAGED_USERS, "Creates the new access key (and deletes it again if it cannot be stored)",
                    "iam:CreateAccessKey", "iam:DeleteAccessKey"),
            on(MANAGED_SECRETS, "Stores the new key as the secret's AWSCURRENT version (never reads a value);"
                    + " looks for the version a lost invocation may have stored", "secretsmanager:PutSecretValue",
                    "secretsmanager:DescribeSecret"),
            objects("credentials/", "Records the new key's id before storing it, then the version that holds it",
                    "s3:GetObject", "s3:PutObject"),
            on(RUN_BUCKET, "A credential without a record must read as NoSuchKey, not AccessDenied",
                    "s3:ListBucket"))),
    PROPAGATE_CREDENTIAL("PropagateCredential", PropagateCredentialHandler.class, Workflow.LIFECYCLE, List.of(
            on(MANAGED_SECRETS, "Resolves the secret and its new version", "secretsmanager:DescribeSecret"),
            on(STATE_MACHINE, "Starts the rotation of the new version", "states:StartExecution"),
            on(ROTATION_EXECUTIONS, "Follows the rotation it started (or the trigger did)",
                    "states:DescribeExecution"),
            objects("runs/", "Reads the rotation's plan and results for the gate", "s3:GetObject"),
            objects("credentials/", "Records the propagation and the gate", "s3:GetObject", "s3:PutObject"),
            on(RUN_BUCKET, "Lists the rotation's results; a missing plan must read as NoSuchKey",
                    "s3:ListBucket"))),
    RETIRE_CREDENTIAL("RetireCredential", RetireCredentialHandler.class, Workflow.LIFECYCLE, List.of(
            on(MANAGED_USERS, "Reads the old key's last use and state, deactivates it, deletes it after the grace"
                    + " period", "iam:GetAccessKeyLastUsed", "iam:ListAccessKeys", "iam:UpdateAccessKey",
                    "iam:DeleteAccessKey"),
            objects("credentials/", "Records each retirement stage", "s3:GetObject", "s3:PutObject"),
            on(RUN_BUCKET, "A credential without a record must read as NoSuchKey, not AccessDenied",
                    "s3:ListBucket")));

    /**
     * The JVM options every function runs with (its {@code JAVA_TOOL_OPTIONS}): C1 only, the fastest start for
     * short invocations (Lambda developer guide, "Customize Java runtime startup behavior"). The cold-start bench
     * starts its JVMs with the same options.
     */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private final String id;
    private final Class<? extends JsonHandler<?, ?>> handler;
    private final Workflow workflow;
    private final List<Grant> grants;

    /** Which state machine invokes a function (none: the trigger). */
    public enum Workflow { ROTATION, LIFECYCLE, NONE }

    RotatorFunction(String id, Class<? extends JsonHandler<?, ?>> handler, boolean inWorkflow, List<Grant> grants) {
        this(id, handler, inWorkflow ? Workflow.ROTATION : Workflow.NONE, grants);
    }

    RotatorFunction(String id, Class<? extends JsonHandler<?, ?>> handler, Workflow workflow, List<Grant> grants) {
        this.id = id;
        this.handler = handler;
        this.workflow = workflow;
        this.grants = List.copyOf(grants);
    }

    /** The construct id and the function name the local run serves it under, e.g. {@code FindStacks}. */
    public String id() {
        return id;
    }

    public Class<? extends JsonHandler<?, ?>> handler() {
        return handler;
    }

    /** The Lambda handler string: {@code <class>::handleRequest}. */
    public String handlerName() {
        return handler.getName() + "::handleRequest";
    }

    /** True for the functions the rotation state machine invokes. */
    public boolean inWorkflow() {
        return workflow == Workflow.ROTATION;
    }

    /** True for the credential lifecycle's functions. */
    public boolean inLifecycle() {
        return workflow == Workflow.LIFECYCLE;
    }

    /** The ASL's placeholder for this function's ARN, e.g. {@code FindStacksFunctionArn}. */
    public String placeholder() {
        return id + "FunctionArn";
    }

    /** The permissions as declared. */
    public List<Grant> grants() {
        return grants;
    }

    public static List<RotatorFunction> workflow() {
        return java.util.Arrays.stream(values()).filter(RotatorFunction::inWorkflow).toList();
    }

    /** The credential lifecycle state machine's functions. */
    public static List<RotatorFunction> lifecycle() {
        return java.util.Arrays.stream(values()).filter(RotatorFunction::inLifecycle).toList();
    }
}
