package io.tokenrotator.cdk;

import io.tokenrotator.service.Hashes;
import software.amazon.awscdk.services.lambda.Code;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What the token-rotator-cdk jar carries for the construct, read from the classpath and never from the working
 * directory: the state machine definition (copied from statemachine/ at build time) and the shaded Lambda jar
 * (lambdas/target/token-rotator-lambdas.jar, built by the lambdas module's package phase).
 */
final class ShippedResources {
    static final String STATE_MACHINE = "token-rotator.asl.json";
    static final String LIFECYCLE_STATE_MACHINE = "credential-lifecycle.asl.json";
    static final String LAMBDA_JAR = "token-rotator-lambdas.jar";
    private static final String PACKAGE = "io/tokenrotator/cdk/";

    private ShippedResources() {}

    /** The ASL, as statemachine/token-rotator.asl.json held it when this jar was built. */
    static String stateMachineDefinition() {
        return definition(STATE_MACHINE);
    }

    /** The credential lifecycle's ASL, as statemachine/credential-lifecycle.asl.json held it. */
    static String lifecycleDefinition() {
        return definition(LIFECYCLE_STATE_MACHINE);
    }

    private static String definition(String file) {
        URL resource = ShippedResources.class.getResource(file);
        if (resource == null) {
            throw new IllegalStateException("token-rotator-cdk: " + PACKAGE + file + " is not on the"
                    + " classpath: build the construct with 'mvn -DskipTests package' at the Token Rotator repository"
                    + " root");
        }
        try (InputStream in = resource.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default of {@code lambdaCode}: the shipped jar, as an asset (CDK uploads a .jar file as it is). */
    static Code lambdaCode() {
        return Code.fromAsset(lambdaJar().toString());
    }

    /** The shipped jar as a file, extracted once into the temporary directory's cache. */
    static Path lambdaJar() {
        return extract(ShippedResources.class.getResource(LAMBDA_JAR), Path.of(System.getProperty("java.io.tmpdir"),
                "token-rotator-cdk-" + System.getProperty("user.name")));
    }

    /**
     * {@code resource} as {@code <cache>/<its SHA-256>/token-rotator-lambdas.jar}: written once (through a temporary
     * file and an atomic move, so a concurrent synth never sees half a jar), then reused by every synth that follows.
     */
    static Path extract(URL resource, Path cache) {
        if (resource == null) {
            throw new IllegalStateException("token-rotator-cdk: the Lambda code " + PACKAGE + LAMBDA_JAR + " is not"
                    + " on the classpath: build it with 'mvn -DskipTests package' at the Token Rotator repository root"
                    + " (lambdas/ packages it before infra-cdk/), or pass TokenRotatorProps.builder().lambdaCode(...)");
        }
        try {
            String sha256;
            try (InputStream in = resource.openStream()) {
                sha256 = Hashes.sha256Hex(in);
            }
            Path file = cache.resolve(sha256).resolve(LAMBDA_JAR);
            if (!Files.isRegularFile(file)) {
                Files.createDirectories(file.getParent());
                Path partial = Files.createTempFile(file.getParent(), LAMBDA_JAR, ".partial");
                try (InputStream in = resource.openStream()) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("token-rotator-cdk: cannot extract the Lambda code into " + cache, e);
        }
    }
}
