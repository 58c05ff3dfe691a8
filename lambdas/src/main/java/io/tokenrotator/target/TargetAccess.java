package io.tokenrotator.target;

import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.port.SecretsPort;

/** How a function reaches its targets: CloudFormation in each target, Secrets Manager of the home account by region. */
public interface TargetAccess {
    Targets targets();

    /** CloudFormation in {@code target}, with the function's own credentials at home, the target's role elsewhere. */
    CloudFormationPort cloudFormation(Target target);

    /** Secrets Manager of the home account in {@code region} (a replica's region). */
    SecretsPort secretsIn(String region);

    /** One port for everything: a single-account deployment, and unit tests. */
    static TargetAccess single(CloudFormationPort cloudFormation, SecretsPort secrets) {
        Targets home = Targets.homeOnly(null, null);
        return new TargetAccess() {
            @Override
            public Targets targets() {
                return home;
            }

            @Override
            public CloudFormationPort cloudFormation(Target target) {
                return cloudFormation;
            }

            @Override
            public SecretsPort secretsIn(String region) {
                return secrets;
            }
        };
    }
}
