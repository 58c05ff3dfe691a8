package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.s3.Bucket;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The construct reads its ASL and its Lambda code from its own jar (the classpath), never from the repository. */
class ShippedResourcesTest {

    @Test
    void theDefinitionTheConstructReadsIsByteIdenticalToTheFileInStatemachine() throws IOException {
        assertThat(ShippedResources.stateMachineDefinition().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Files.readAllBytes(ProjectPaths.stateMachine()));
    }

    @Test
    void theLifecycleDefinitionTheConstructReadsIsByteIdenticalToTheFileInStatemachine() throws IOException {
        assertThat(ShippedResources.lifecycleDefinition().getBytes(StandardCharsets.UTF_8))
                .isEqualTo(Files.readAllBytes(ProjectPaths.root().resolve("statemachine/credential-lifecycle.asl.json")));
    }

    @Test
    void theLambdaCodeTheConstructShipsIsTheShadedJarLambdasBuilds() {
        Path shipped = ShippedResources.lambdaJar();
        assertThat(shipped).isNotEqualTo(ProjectPaths.root().resolve(ProjectPaths.LAMBDA_JAR));
        assertThat(shipped).hasSameBinaryContentAs(ProjectPaths.root().resolve(ProjectPaths.LAMBDA_JAR));
    }

    @Test
    void everyFunctionDeploysTheShippedJarAsOneAsset() {
        Template template = TestApps.template(Map.of("secrets", "prod/api-token"));
        Set<String> keys = s3Keys(template);
        assertThat(keys).hasSize(1);
        // the asset of the repository's jar, staged by CDK itself, has the same content hash
        Stack reference = new Stack(new App(), "Reference");
        Function.Builder.create(reference, "Fn").runtime(Runtime.JAVA_21).handler("x::handleRequest")
                .code(Code.fromAsset(ProjectPaths.root().resolve(ProjectPaths.LAMBDA_JAR).toString())).build();
        assertThat(keys).isEqualTo(s3Keys(Template.fromStack(reference)));
    }

    @Test
    void aGivenLambdaCodeReplacesTheShippedJar() {
        Stack stack = new Stack(TestApps.app(Map.of()), "Given", TestApps.ENV);
        new TokenRotator(stack, "TokenRotator", TokenRotatorProps.builder()
                .lambdaCode(Code.fromBucket(Bucket.fromBucketName(stack, "Artifacts", "my-artifacts"),
                        "token-rotator-lambdas-0.1.0.jar"))
                .build());
        Template template = Template.fromStack(stack);
        assertThat(s3Keys(template)).containsExactly("token-rotator-lambdas-0.1.0.jar");
        assertThat(TestApps.JSON.valueToTree(template.toJSON()).toString()).doesNotContain("cdk-hnb659fds-assets");
    }

    @Test
    void theJarIsExtractedOnceToAFileNamedAfterItsSha256AndReused(@TempDir Path dir) throws Exception {
        Path resource = Files.write(dir.resolve("code.jar"), "not really a jar".getBytes(StandardCharsets.UTF_8));
        Path cache = dir.resolve("cache");

        Path first = ShippedResources.extract(resource.toUri().toURL(), cache);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(resource)));
        assertThat(first).isEqualTo(cache.resolve(sha256).resolve("token-rotator-lambdas.jar"));
        assertThat(first).hasSameBinaryContentAs(resource);

        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(first, written);
        assertThat(ShippedResources.extract(resource.toUri().toURL(), cache)).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first)).as("reused, not written again").isEqualTo(written);
        try (var files = Files.list(first.getParent())) {
            assertThat(files).containsExactly(first); // no partial copies left behind
        }
    }

    @Test
    void withoutTheJarOnTheClasspathSynthFailsInOneLineNamingTheBuildCommandAndTheProp(@TempDir Path cache) {
        assertThatThrownBy(() -> ShippedResources.extract(null, cache))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("\n")
                .hasMessageContaining("io/tokenrotator/cdk/token-rotator-lambdas.jar")
                .hasMessageContaining("mvn -DskipTests package")
                .hasMessageContaining("lambdaCode(");
        assertThat(cache).isEmptyDirectory();
    }

    private static Set<String> s3Keys(Template template) {
        JsonNode json = TestApps.JSON.valueToTree(template.toJSON());
        Set<String> keys = new TreeSet<>();
        json.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals("AWS::Lambda::Function")) {
                keys.add(r.path("Properties").path("Code").path("S3Key").asText());
            }
        });
        return keys;
    }
}
