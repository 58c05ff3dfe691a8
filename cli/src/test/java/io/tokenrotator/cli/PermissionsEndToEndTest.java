package io.tokenrotator.cli;

import io.tokenrotator.cli.local.ExecutionResult;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.cli.local.LocalRotation;
import io.tokenrotator.cli.local.ProgressListener;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.settings.DeploymentSettings;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.simulator.CloudFormationModel.StackSpec;
import io.tokenrotator.simulator.ConsumerTemplates;
import io.tokenrotator.wiring.Permissions;
import io.tokenrotator.wiring.RotatorFunction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each permission AWS checks with a function's own credentials is needed: the real workflow, run locally with the
 * permissions {@link RotatorFunction} declares, rotates a fleet of plain, CDK-synthesized, SAM and
 * AWS::LanguageExtensions stacks (one over the TemplateBody limit); take one grant away and the same run fails,
 * naming the AccessDenied it met.
 */
class PermissionsEndToEndTest {
    private static final String SECRET = "prod/api-token";
    private static final DeploymentSettings SETTINGS = DeploymentSettings.of(Map.of(Setting.MAX_CONCURRENCY, 10, Setting.POLL_SECONDS, 20, Setting.MAX_WAIT_MINUTES, 20,
            Setting.RESTORE_ATTEMPTS, 1, Setting.RESTORE_DELAY_SECONDS, 30));

    /** Plain, CDK-synthesized (BootstrapVersion from SSM), SAM and LanguageExtensions consumers; then a new version. */
    private static LocalRotation rotate(Permissions permissions) {
        try (LocalEnvironment env = new LocalEnvironment(60, new InputRules.Defaults(SETTINGS),
                permissions)) {
            String arn = env.secrets.createSecret(SECRET, "s3cr3t-one");
            env.parameters.put(ConsumerTemplates.CDK_BOOTSTRAP_VERSION, "21");
            stack(env, "plain", ConsumerTemplates.rotating(SECRET), List.of());
            stack(env, "cdk-app", ConsumerTemplates.cdkSynthesized(SECRET), List.of());
            stack(env, "language-extensions", ConsumerTemplates.languageExtensions(SECRET),
                    List.of("CAPABILITY_AUTO_EXPAND"));
            stack(env, "large-language-extensions", ConsumerTemplates.largeLanguageExtensions(SECRET),
                    List.of("CAPABILITY_AUTO_EXPAND"));
            // deployed through a change set (sam deploy): no CAPABILITY_AUTO_EXPAND of its own
            stack(env, "sam-app", ConsumerTemplates.sam(SECRET), List.of("CAPABILITY_IAM"));
            String version = env.secrets.putSecretValue(SECRET, "s3cr3t-two", null);
            LocalRotation run = LocalRotation.run(env, new RotationRequest(null, arn, version, null, null, null, null),
                    version, ProgressListener.NONE);
            assertThat(run.problems()).as("verified against the simulator").isEmpty();
            return run;
        }
    }

    private static void stack(LocalEnvironment env, String name, String template, List<String> capabilities) {
        env.cloudFormation.createStack(new StackSpec(name, template, Map.of(), capabilities, null, null, null,
                Duration.ofSeconds(30), "arn:aws:iam::123456789012:role/cfn-" + name));
    }

    private static StackResult result(LocalRotation run, String stack) {
        return run.report().stacks().stream().filter(r -> r.stackName().equals(stack)).findFirst().orElseThrow();
    }

    @Test
    void withTheDeclaredPermissionsEveryKindOfStackRotates() {
        LocalRotation run = rotate(Permissions.declared());

        assertThat(run.execution().status()).isEqualTo("SUCCEEDED");
        for (String stack : List.of("plain", "cdk-app", "language-extensions", "large-language-extensions", "sam-app")) {
            assertThat(result(run, stack).outcome()).as(stack).isEqualTo(Outcome.ROTATED);
        }
    }

    /** Runs Load Planned Stack alone, through the local Lambda server, for a run that was never planned. */
    private static ExecutionResult loadUnplanned(Permissions permissions) {
        try (LocalEnvironment env = new LocalEnvironment(60, InputRules.Defaults.NONE, permissions)) {
            String definition = "{\"StartAt\": \"Load\", \"States\": {\"Load\": {\"Type\": \"Task\", \"Resource\":"
                    + " \"arn:aws:lambda:us-east-1:123456789012:function:LoadPlannedStack\", \"TimeoutSeconds\": 3600, \"End\": true}}}";
            return env.runDefinition(definition, "probe", Map.of("runId", "never-planned", "index", 0),
                    ProgressListener.NONE);
        }
    }

    @Test
    void loadPlannedStackNeedsListBucketToTellAMissingPlanFromADeniedRead() {
        ExecutionResult declared = loadUnplanned(Permissions.declared());
        assertThat(declared.error()).isEqualTo("io.tokenrotator.errors.InvalidInputException");
        assertThat(declared.cause()).contains("index").contains("never-planned");

        ExecutionResult noList = loadUnplanned(Permissions.declared().without(RotatorFunction.LOAD_PLANNED_STACK,
                "s3:ListBucket"));
        assertThat(noList.error()).isEqualTo("io.tokenrotator.errors.AccessDeniedException");
        assertThat(noList.cause()).contains("Access Denied");
    }

    @Test
    void findStacksWithoutListStacksCannotListTheStacks() {
        LocalRotation run = rotate(Permissions.declared().without(RotatorFunction.FIND_STACKS,
                "cloudformation:ListStacks"));

        assertThat(run.execution().status()).isEqualTo("FAILED");
        assertThat(run.execution().error()).isEqualTo("io.tokenrotator.errors.AccessDeniedException");
        assertThat(run.execution().cause()).contains("User: arn:aws:sts::123456789012:assumed-role/"
                        + "TokenRotator-FindStacksRole/TokenRotator-FindStacks is not authorized to perform:"
                        + " cloudformation:ListStacks because no identity-based policy allows the"
                        + " cloudformation:ListStacks action");
        assertThat(run.report()).as("nothing was planned").isNull();
    }

    @Test
    void updateStackWithoutSsmGetParametersCannotUpdateACdkStack() {
        LocalRotation run = rotate(Permissions.declared().without(RotatorFunction.UPDATE_STACK, "ssm:GetParameters"));

        assertThat(run.execution().status()).isEqualTo("FAILED");
        StackResult cdk = result(run, "cdk-app");
        assertThat(cdk.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(cdk.reason()).contains("ValidationError: AccessDenied. User doesn't have permission to call"
                + " ssm:GetParameters");
        for (String stack : List.of("plain", "language-extensions", "large-language-extensions", "sam-app")) {
            assertThat(result(run, stack).outcome()).as(stack).isEqualTo(Outcome.ROTATED);
        }
    }

    @Test
    void updateStackWithoutCreateChangeSetCannotRunATransform() {
        LocalRotation run = rotate(Permissions.declared().without(RotatorFunction.UPDATE_STACK,
                "cloudformation:CreateChangeSet"));

        assertThat(run.execution().status()).isEqualTo("FAILED");
        StackResult le = result(run, "language-extensions");
        assertThat(le.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(le.reason()).contains("AccessDeniedException").contains("User: arn:aws:sts::123456789012:assumed-role/"
                + "TokenRotator-UpdateStackRole/TokenRotator-UpdateStack is not authorized to perform:"
                + " cloudformation:CreateChangeSet on resource: arn:aws:cloudformation:us-east-1:aws:transform/"
                + "LanguageExtensions");
        assertThat(result(run, "large-language-extensions").reason()).contains("transform/LanguageExtensions");
        assertThat(result(run, "sam-app").outcome()).isEqualTo(Outcome.FAILED);
        assertThat(result(run, "sam-app").reason()).contains("cloudformation:CreateChangeSet on resource:"
                + " arn:aws:cloudformation:us-east-1:aws:transform/Serverless-2016-10-31");
        assertThat(result(run, "plain").outcome()).isEqualTo(Outcome.ROTATED);
        assertThat(result(run, "cdk-app").outcome()).isEqualTo(Outcome.ROTATED);
    }

    @Test
    void updateStackWithoutS3GetObjectCannotLetCloudFormationFetchALargeTemplate() {
        LocalRotation run = rotate(Permissions.declared().without(RotatorFunction.UPDATE_STACK, "s3:GetObject",
                "templates/"));

        assertThat(run.execution().status()).isEqualTo("FAILED");
        StackResult large = result(run, "large-language-extensions");
        assertThat(large.outcome()).isEqualTo(Outcome.FAILED);
        // CloudFormation reads the TemplateURL with the caller's credentials, not its own
        assertThat(large.reason()).contains("ValidationError: S3 error: Access Denied");
        assertThat(result(run, "language-extensions").outcome()).isEqualTo(Outcome.ROTATED);
    }
}
