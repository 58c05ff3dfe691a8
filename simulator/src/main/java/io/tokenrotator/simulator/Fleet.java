package io.tokenrotator.simulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds a {@link FleetSpec} into the simulated CloudFormation and Secrets Manager: the secret (then a new
 * AWSCURRENT version, the one the run must roll out) and the consumer stacks with their faults.
 */
public final class Fleet {
    public static final String SECRET_NAME = "prod/api-token";
    public static final String PARAMETER = "RotateToken";

    /** What was built: the secret, the version every rotated stack must end on, and each stack's intended fault. */
    public record Built(String secretArn, String oldVersionId, String newVersionId, Map<String, String> faults) {}

    private Fleet() {}

    public static Built build(FleetSpec spec, CloudFormationModel cfn, SecretsManagerModel secrets) {
        Random random = new Random(spec.seed());
        String arn = secrets.createSecret(SECRET_NAME, "s3cr3t-initial-" + Long.toHexString(random.nextLong()));
        String oldVersion = secrets.describeOrThrow(SECRET_NAME).versionWithStage(SecretsManagerModel.AWSCURRENT);
        Map<String, String> faults = new LinkedHashMap<>();
        List<String> roots = new ArrayList<>();
        for (int i = 0; i < spec.stacks(); i++) {
            String name = String.format("app-%04d", i);
            double roll = random.nextDouble();
            String template = ConsumerTemplates.rotating(SECRET_NAME);
            List<String> capabilities = List.of();
            if (random.nextDouble() < spec.withCapabilities()) {
                template = ConsumerTemplates.withIamRole(SECRET_NAME);
                capabilities = List.of("CAPABILITY_IAM");
            } else if (random.nextDouble() < spec.languageExtensions()) {
                template = ConsumerTemplates.languageExtensions(SECRET_NAME);
                capabilities = List.of("CAPABILITY_AUTO_EXPAND");
            }
            long spreadMillis = spec.updateSpread().toMillis();
            Duration duration = spec.updateDuration().plusMillis(spreadMillis == 0 ? 0
                    : (long) ((random.nextDouble() * 2 - 1) * spreadMillis));
            String fault = pick(spec, roll, !roots.isEmpty());
            String status = fault.equals("not-updatable")
                    ? (random.nextBoolean() ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_FAILED") : null;
            String parent = fault.equals("nested") ? roots.get(random.nextInt(roots.size())) : null;
            // half of the broken stacks were left at false by an earlier run: their resources are already gone
            boolean atFalse = fault.equals("left-at-false") || fault.equals("not-updatable") && random.nextBoolean();
            Map<String, String> params = atFalse ? Map.of(PARAMETER, "false") : Map.of();
            cfn.createStack(new CloudFormationModel.StackSpec(parent == null ? name : parent + "-Nested-" + i, template,
                    params, capabilities, parent, null, status, duration,
                    "arn:aws:iam::123456789012:role/cfn-" + name));
            String stackName = parent == null ? name : parent + "-Nested-" + i;
            switch (fault) {
                case "phase1-failure" -> cfn.failUpdates(stackName, PARAMETER, "false", 1,
                        CloudFormationModel.FailureMode.ROLLBACK, "Resource handler returned message: \"Rate exceeded\"");
                case "phase2-transient" -> cfn.failUpdates(stackName, PARAMETER, "true", 1,
                        CloudFormationModel.FailureMode.ROLLBACK,
                        "Resource handler returned message: \"Service Unavailable\"");
                case "phase2-permanent" -> cfn.failUpdates(stackName, PARAMETER, "true", 1000,
                        CloudFormationModel.FailureMode.ROLLBACK,
                        "Resource handler returned message: \"Connection name already exists\"");
                case "busy" -> cfn.occupy(stackName, spec.updateDuration().multipliedBy(2));
                default -> { }
            }
            if (parent == null && !fault.equals("not-updatable")) {
                roots.add(name);
            }
            faults.put(stackName, fault);
        }
        for (int i = 0; i < spec.unrelated(); i++) {
            cfn.createStack(new CloudFormationModel.StackSpec(String.format("other-%04d", i),
                    ConsumerTemplates.unrelated(), Map.of()));
        }
        String newVersion = secrets.putSecretValue(SECRET_NAME, "s3cr3t-rotated-" + Long.toHexString(random.nextLong()),
                null);
        return new Built(arn, oldVersion, newVersion, faults);
    }

    private static String pick(FleetSpec spec, double roll, boolean canNest) {
        double[] rates = {spec.phase1Failures(), spec.phase2Transient(), spec.phase2Permanent(), spec.busy(),
                spec.leftAtFalse(), canNest ? spec.nested() : 0, spec.notUpdatable()};
        String[] names = {"phase1-failure", "phase2-transient", "phase2-permanent", "busy", "left-at-false", "nested",
                "not-updatable"};
        double acc = 0;
        for (int i = 0; i < rates.length; i++) {
            acc += rates[i];
            if (roll < acc) {
                return names[i];
            }
        }
        return "none";
    }
}
