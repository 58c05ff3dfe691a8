package io.tokenrotator.cli.local;

import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.Outcome;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.RunReport;
import io.tokenrotator.contract.StackResult;
import io.tokenrotator.simulator.CloudFormationModel;
import io.tokenrotator.simulator.ConsumerTemplates;
import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.SecretsManagerModel;
import io.tokenrotator.simulator.SimClock;
import io.tokenrotator.simulator.SimulatorServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The verifier over targets: stacks of the same name in two accounts are two stacks, each judged where it is. */
class RunVerifierTargetsTest {
    static final String DEV = "111111111111";
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", LocalPermissions.ACCOUNT);
    private final CloudFormationModel home = new CloudFormationModel(clock, secrets, "us-east-1", LocalPermissions.ACCOUNT);
    private final SimulatorServer server;

    RunVerifierTargetsTest() throws IOException {
        server = new SimulatorServer(home, secrets, new IamModel(), clock);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static String stack(CloudFormationModel cfn, String secretRef, String rotateToken) {
        return cfn.createStack(new CloudFormationModel.StackSpec("app", ConsumerTemplates.rotating(secretRef),
                Map.of("RotateToken", rotateToken), List.of(), null, null, "UPDATE_COMPLETE", Duration.ofSeconds(60),
                null));
    }

    private static RunReport reportAllRotated(List<String> ids) {
        List<StackResult> results = ids.stream().map(id -> new StackResult(ids.indexOf(id), "app", id, Outcome.ROTATED,
                null, null, "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN)).toList();
        return new RunReport("run", "RotateToken", null, null, Map.of(Outcome.ROTATED, ids.size()), results, 0, null,
                false, null);
    }

    private static Plan plan(List<String> ids) {
        return new Plan("run", "RotateToken", "TokenVersion", null, null, ids.stream().map(id -> new PlannedStack(
                ids.indexOf(id), "app", id, "UPDATE_COMPLETE", "true", Convention.ROTATE_TOKEN, "RotateToken", "true"))
                .toList(), List.of());
    }

    @Test
    void eachTargetsStackIsJudgedInItsOwnAccountAndRegion() {
        String arn = secrets.createSecret("prod/api-token", "v1");
        CloudFormationModel dev = server.addTarget(DEV, "eu-west-1");
        secrets.shareWith(arn, List.of(DEV));
        String homeId = stack(home, "prod/api-token", "true");
        String devId = stack(dev, arn, "false"); // left at false, yet reported ROTATED
        String version = secrets.describeOrThrow(arn).versionWithStage(SecretsManagerModel.AWSCURRENT);
        List<String> ids = List.of(homeId, devId);

        List<String> problems = RunVerifier.verify(List.of(home, dev), secrets, plan(ids), reportAllRotated(ids),
                version);

        assertThat(problems).containsExactly(
                DEV + "/eu-west-1/app is at RotateToken=false but is reported ROTATED",
                DEV + "/eu-west-1/app is reported ROTATED but is UPDATE_COMPLETE with RotateToken=false",
                DEV + "/eu-west-1/app is reported ROTATED but its resources resolved [], not " + version);
        assertThat(RunVerifier.verify(List.of(home, dev), secrets, plan(ids), reportAllRotated(List.of(homeId)),
                version)).contains(DEV + "/eu-west-1/app was found but reported 0 times");
    }
}
