package io.tokenrotator.cdk;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository's statemachine/ and the Lambda jar one way from anywhere: the {@code project.root} system
 * property (Maven passes it to tests), else the nearest parent of the working directory that holds
 * {@value #ASL}. cdk.json runs from the root; surefire runs from infra-cdk/.
 */
public final class ProjectPaths {
    public static final String ASL = "statemachine/token-rotator.asl.json";
    public static final String LAMBDA_JAR = "lambdas/target/token-rotator-lambdas.jar";

    private ProjectPaths() {}

    public static Path root() {
        String configured = System.getProperty("project.root");
        if (configured != null && Files.exists(Path.of(configured, ASL))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(ASL))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find " + ASL + " above " + Path.of("").toAbsolutePath()
                + ": run from the Token Rotator repository, or set -Dproject.root=<repo>");
    }

    public static Path stateMachine() {
        return root().resolve(ASL);
    }

    /** The shaded Lambda jar; fails with the command that builds it when it is missing. */
    public static Path lambdaJar() {
        Path jar = root().resolve(LAMBDA_JAR);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the Lambda jar " + jar + " does not exist: build it with"
                    + " 'mvn -q -DskipTests package' at the repository root (cdk.json's build step does this)");
        }
        return jar;
    }
}
