package io.tokenrotator.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.tokenrotator.cdk.TokenRotatorStack;
import io.tokenrotator.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Token Rotator as the acceptance run deploys it: confined to the run, watching its secret, cdk-nag clean. */
class RotatorAppTest {
    private static final RunNames NAMES = new RunNames("0123abcd");
    private static TokenRotatorStack stack;
    private static Template template;
    private static Path assembly;

    @BeforeAll
    static void synthesize(@TempDir Path dir) {
        assembly = dir.resolve("cdk.out");
        stack = RotatorApp.synthesize(assembly, NAMES, false, "123456789012", "eu-west-1");
        template = Template.fromStack(stack);
    }

    @Test
    void isDeployedUnderTheRunsNameAndTouchesOnlyTheRunsStacks() {
        assertThat(stack.getStackName()).isEqualTo("tr-accept-0123abcd-rotator");
        List<String> updatable = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().forEach(policy -> Json.MAPPER.valueToTree(policy)
                .path("Properties").path("PolicyDocument").path("Statement").forEach(statement -> {
                    if (statement.path("Action").toString().contains("cloudformation:UpdateStack")) {
                        updatable.add(statement.path("Resource").toString());
                    }
                }));
        assertThat(updatable).isNotEmpty().allSatisfy(resource ->
                assertThat(resource).contains(":stack/tr-accept-0123abcd-*/*"));
        template.hasResourceProperties("AWS::Lambda::Function", Match.objectLike(Map.of("Environment", Map.of(
                "Variables", Match.objectLike(Map.of("STACK_NAME_PREFIX", "tr-accept-0123abcd-"))))));
        template.hasResourceProperties("AWS::StepFunctions::StateMachine", Match.objectLike(Map.of(
                "StateMachineName", "tr-accept-0123abcd-rotator-rotation")));
    }

    @Test
    void watchesTheThrowawaySecretAndExposesWhatTheRunReads() {
        assertThat(template.findResources("AWS::Events::Rule")).isNotEmpty().allSatisfy((id, rule) ->
                assertThat(Json.write(rule)).contains("tr-accept-0123abcd/token"));
        template.hasOutput("StateMachineArn", Match.anyValue());
        template.hasOutput("RunBucketName", Match.anyValue());
        template.resourceCountIs("AWS::CloudTrail::Trail", 0);
    }

    @Test
    void createTrailAddsTheTrail(@TempDir Path dir) {
        Template withTrail = Template.fromStack(RotatorApp.synthesize(dir.resolve("cdk.out"), NAMES, true,
                "123456789012", "eu-west-1"));
        withTrail.resourceCountIs("AWS::CloudTrail::Trail", 1);
    }

    @Test
    void cdkNagAwsSolutionsFindsNothingUnacknowledged() {
        PolicyValidationPluginReport report = new AwsSolutionsChecks().validateScope(stack);
        List<String> findings = new ArrayList<>();
        for (PolicyViolation v : report.getViolations()) {
            v.getViolatingResources().forEach(r -> findings.add(v.getRuleName() + " " + r.getConstructPath()));
        }
        assertThat(findings).isEmpty();
        assertThat(report.getSuccess()).isTrue();
    }

    @Test
    void theCloudAssemblyIsWhatCdkDeployNeeds() throws IOException {
        JsonNode manifest = Json.MAPPER.readTree(assembly.resolve("manifest.json").toFile());
        JsonNode artifact = manifest.path("artifacts").path("tr-accept-0123abcd-rotator");
        assertThat(artifact.path("type").asText()).isEqualTo("aws:cloudformation:stack");
        assertThat(artifact.path("environment").asText()).isEqualTo("aws://123456789012/eu-west-1");
        try (Stream<Path> files = Files.list(assembly)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .contains("tr-accept-0123abcd-rotator.template.json")
                    .anyMatch(name -> name.startsWith("asset.") && name.endsWith(".jar"));
        }
    }
}
