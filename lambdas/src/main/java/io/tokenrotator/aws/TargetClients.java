package io.tokenrotator.aws;

import io.tokenrotator.port.CloudFormationPort;
import io.tokenrotator.port.SecretsPort;
import io.tokenrotator.target.Target;
import io.tokenrotator.target.TargetAccess;
import io.tokenrotator.target.Targets;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TargetAccess} over the SDK: the home target with the function's own clients, every other target through
 * its role ({@link AwsClients#assumingRole}); one client per target and per replica region, built on first use and
 * kept for the container's life (the role's credentials refresh themselves).
 */
public final class TargetClients implements TargetAccess {
    private final AwsClients home;
    private final Targets targets;
    private final String sessionName;
    private final Map<String, CloudFormationPort> cloudFormation = new ConcurrentHashMap<>();
    private final Map<String, SecretsPort> secrets = new ConcurrentHashMap<>();

    /** @param sessionName the AssumeRole session name: which function acts (CloudTrail shows it in the target) */
    public TargetClients(AwsClients home, Targets targets, String sessionName) {
        this.home = home;
        this.targets = targets;
        this.sessionName = sessionName;
    }

    @Override
    public Targets targets() {
        return targets;
    }

    @Override
    public CloudFormationPort cloudFormation(Target target) {
        return cloudFormation.computeIfAbsent(target.id(), id -> new SdkCloudFormation((target.home() || !targets.multiple()
                ? home : home.assumingRole(target.roleArn(), target.externalId(), sessionName, target.region()))
                .cloudFormation()));
    }

    @Override
    public SecretsPort secretsIn(String region) {
        return secrets.computeIfAbsent(String.valueOf(region), r -> new SdkSecrets(region == null
                || region.equals(targets.home().region()) ? home.secretsManager()
                : home.inRegion(region).secretsManager()));
    }
}
