package io.tokenrotator.cdk;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The repository's files, for tests only (the construct reads what its jar ships, never the repository): the
 * {@code project.root} system property (Maven passes it to tests), else the nearest parent of the working directory
 * that holds {@value #ASL} (an IDE runs tests from infra-cdk/).
 */
final class ProjectPaths {
    static final String ASL = "statemachine/token-rotator.asl.json";
    static final String LAMBDA_JAR = "lambdas/target/token-rotator-lambdas.jar";

    private ProjectPaths() {}

    static Path root() {
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

    static Path stateMachine() {
        return root().resolve(ASL);
    }
}
