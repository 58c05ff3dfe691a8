package io.tokenrotator.acceptance;

import java.nio.file.Path;

/** Deploys a synthesized Token Rotator cloud assembly: {@link CdkCli}, or a fake in the tests. */
@FunctionalInterface
public interface RotatorDeployer {
    void deploy(Path cloudAssembly, String stackName);
}
