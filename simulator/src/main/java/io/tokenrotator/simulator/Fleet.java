package io.tokenrotator.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds a {@link FleetSpec} into the simulated CloudFormation and Secrets Manager: the secret (then a new
 * AWSCURRENT version, the one the run must roll out) and the consumer stacks with their kinds and faults. The
 * account is CDK-bootstrapped (its SSM bootstrap version parameter exists) and AWS publishes a newer AMI id after
 * the stacks were created.
 */
public final class Fleet {
    public static final String SECRET_NAME = "prod/api-token";
    public static final String PARAMETER = "RotateToken";
    /** The in-place convention's parameter. */
    public static final String VERSION_PARAMETER = "TokenVersion";
    static final String BOOTSTRAP_VERSION = "21";
    static final String OLD_AMI = "ami-0a1b2c3d4e5f60001";
    public static final String NEW_AMI = "ami-0a1b2c3d4e5f60002";

    /**
     * What was built: the secret, the version every rotated stack must end on, and for each consumer stack its
     * intended fault and its template kind ({@code plain}, {@code iam}, {@code language-extensions},
     * {@code large-language-extensions}, {@code cdk}, {@code sam}, {@code ssm-ami}, {@code in-place},
     * {@code in-place-pinned}). An in-place stack's fault is named for what it does to one update:
     * {@code update-rollback} (phase1-failure and phase2-transient) or {@code update-rollback-always}.
     */
    public record Built(String secretArn, String oldVersionId, String newVersionId, Map<String, String> faults,
                        Map<String, String> templates, String managedUser, String initialKeyId) {
        public Built(String secretArn, String oldVersionId, String newVersionId, Map<String, String> faults,
                     Map<String, String> templates) {
            this(secretArn, oldVersionId, newVersionId, faults, templates, null, null);
        }
    }

    /**
     * The fleet's secret holds an IAM user's access key, the credential the lifecycle manages: the user (created
     * with an empty identity policy if it does not exist) gets one Active key, created at {@code createdAt}, and the
     * secret's value is {@code {"accessKeyId": ..., "secretAccessKey": ...}}, so every consumer uses that key.
     */
    public record ManagedCredential(IamUsers users, String userName, Instant createdAt) {
        public static final String DEFAULT_USER = "deploy-bot";

        public static ManagedCredential of(IamUsers users, Instant createdAt) {
            return new ManagedCredential(users, DEFAULT_USER, createdAt);
        }
    }

    /** A consumer template and the capabilities its stack was created with. */
    private record Kind(String name, String template, List<String> capabilities) {}

    private Fleet() {}

    public static Built build(FleetSpec spec, CloudFormationModel cfn, SecretsManagerModel secrets) {
        return build(spec, cfn, secrets, null);
    }

    /**
     * The fleet with a managed credential ({@code managed} not null): the secret's value is the user's key from the
     * start, and no newer version is put (the lifecycle makes the next one): {@code newVersionId} is the current
     * version, and the in-place stacks' injected failures wait for a version that never comes.
     */
    public static Built build(FleetSpec spec, CloudFormationModel cfn, SecretsManagerModel secrets,
                              ManagedCredential managed) {
        return build(spec, List.of(cfn), i -> cfn, i -> SECRET_NAME, secrets, managed, new LinkedHashMap<>());
    }

    /** An (account, region) a fleet spreads its stacks over. */
    public record Target(String account, String region) {
        public String key() {
            return account + "/" + region;
        }
    }

    /**
     * A fleet spread over targets: the fleet as {@link Built} (stack names are unique across targets), and for each
     * consumer stack its target ("account/region"), its stack ARN and how it references the secret: {@code name}
     * (the home account: the primary in the home region, its replica in another) or {@code arn} (another account: the
     * home secret's full ARN, which the secret is shared with).
     */
    public record Spread(Built built, Map<String, String> targetOf, Map<String, String> stackIdOf,
                         Map<String, String> referenceOf) {
        /** The consumer stacks of one target. */
        public List<String> stacksIn(String account, String region) {
            String key = account + "/" + region;
            return targetOf.entrySet().stream().filter(e -> e.getValue().equals(key)).map(Map.Entry::getKey).toList();
        }
    }

    /**
     * Builds {@code spec} over {@code targets} of {@code server}, stack i in target i mod n (list the server's home
     * account and region to have stacks there too): the home secret in the home account (its replicas
     * in every target region: "Replicate secrets"), shared with every other target account (replicas carry the
     * resource policy); consumers in the home account reference it by name, the others by the full ARN of the
     * primary or replica in their own region (cross-account references must use the ARN: Secrets Manager user guide,
     * "Access AWS Secrets Manager secrets from a different account"). Unrelated stacks are spread
     * the same way. Every target is CDK-bootstrapped and sees the newer AMI published after the stacks were made.
     */
    public static Spread buildAcross(FleetSpec spec, SimulatorServer server, List<Target> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("a fleet needs at least one target");
        }
        List<CloudFormationModel> models = targets.stream().map(t -> server.addTarget(t.account(), t.region())).toList();
        SecretsManagerModel home = server.secretsManager(server.homeAccount(), server.homeRegion());
        String homeAccount = server.homeAccount();
        // the home secret is replicated to every target region: another account's consumer there references the
        // replica in its own region by ARN
        targets.forEach(t -> server.secretsManager(homeAccount, t.region()));
        String[] arn = new String[1];
        Map<String, String> stackIds = new LinkedHashMap<>();
        Built built = build(spec, models, i -> models.get(i % models.size()),
                i -> models.get(i % models.size()).account().equals(homeAccount) ? SECRET_NAME
                        : arn[0].replaceFirst("^(arn:[^:]+:secretsmanager:)[^:]*:",
                        "$1" + models.get(i % models.size()).region() + ":"),
                home, null, stackIds, created -> {
                    arn[0] = created;
                    home.replicatedLongAgo(created);
                    home.shareWith(created, targets.stream().map(Target::account)
                            .filter(a -> !a.equals(homeAccount)).distinct().toList());
                });
        Map<String, String> targetOf = new LinkedHashMap<>();
        Map<String, String> referenceOf = new LinkedHashMap<>();
        stackIds.forEach((name, id) -> {
            String[] parts = id.split(":");
            targetOf.put(name, parts[4] + "/" + parts[3]);
            referenceOf.put(name, parts[4].equals(homeAccount) ? "name" : "arn");
        });
        targetOf.keySet().retainAll(built.faults().keySet());
        referenceOf.keySet().retainAll(built.faults().keySet());
        stackIds.keySet().retainAll(built.faults().keySet());
        return new Spread(built, targetOf, stackIds, referenceOf);
    }

    private static Built build(FleetSpec spec, List<CloudFormationModel> models,
                               java.util.function.IntFunction<CloudFormationModel> where,
                               java.util.function.IntFunction<String> reference, SecretsManagerModel secrets,
                               ManagedCredential managed, Map<String, String> stackIds) {
        return build(spec, models, where, reference, secrets, managed, stackIds, created -> { });
    }

    private static Built build(FleetSpec spec, List<CloudFormationModel> models,
                               java.util.function.IntFunction<CloudFormationModel> where,
                               java.util.function.IntFunction<String> reference, SecretsManagerModel secrets,
                               ManagedCredential managed, Map<String, String> stackIds,
                               java.util.function.Consumer<String> secretCreated) {
        Random random = new Random(spec.seed());
        String initialValue = "s3cr3t-initial-" + Long.toHexString(random.nextLong());
        String keyId = null;
        if (managed != null) {
            if (managed.users().user(managed.userName()).isEmpty()) {
                managed.users().createUser(managed.userName(), List.of());
            }
            IamUsers.NewKey key = managed.users().createAccessKey(managed.userName(), managed.createdAt());
            keyId = key.metadata().accessKeyId();
            initialValue = "{\"accessKeyId\":\"" + keyId + "\",\"secretAccessKey\":\"" + key.secretAccessKey() + "\"}";
        }
        String arn = secrets.createSecret(SECRET_NAME, initialValue);
        secretCreated.accept(arn);
        String oldVersion = secrets.describeOrThrow(SECRET_NAME).versionWithStage(SecretsManagerModel.AWSCURRENT);
        for (CloudFormationModel model : models) {
            model.parameterStore().put(ConsumerTemplates.CDK_BOOTSTRAP_VERSION, BOOTSTRAP_VERSION);
            model.parameterStore().put(ConsumerTemplates.LATEST_AMI, OLD_AMI);
        }
        Map<String, String> faults = new LinkedHashMap<>();
        Map<String, String> templates = new LinkedHashMap<>();
        Map<CloudFormationModel, List<String>> rootsIn = new java.util.IdentityHashMap<>();
        Map<String, Integer> inPlaceFailures = new LinkedHashMap<>(); // set once the new version exists
        Map<String, CloudFormationModel> modelOf = new LinkedHashMap<>();
        for (int i = 0; i < spec.stacks(); i++) {
            CloudFormationModel cfn = where.apply(i);
            String secretRef = reference.apply(i);
            List<String> roots = rootsIn.computeIfAbsent(cfn, m -> new ArrayList<>());
            String name = String.format("app-%04d", i);
            double roll = random.nextDouble();
            Kind kind = kind(spec, random, secretRef);
            long spreadMillis = spec.updateSpread().toMillis();
            Duration duration = spec.updateDuration().plusMillis(spreadMillis == 0 ? 0
                    : (long) ((random.nextDouble() * 2 - 1) * spreadMillis));
            String fault = pick(spec, roll, !roots.isEmpty());
            boolean inPlace = kind.name().startsWith("in-place");
            if (inPlace && fault.equals("nested-consumer")) { // its root passes RotateToken down
                kind = new Kind("plain", ConsumerTemplates.rotating(secretRef), List.of());
                inPlace = false;
            }
            if (inPlace) {
                fault = switch (fault) {
                    case "phase1-failure", "phase2-transient" -> "update-rollback";
                    case "phase2-permanent" -> "update-rollback-always";
                    case "left-at-false" -> "none"; // nothing is ever at false in place
                    default -> fault;
                };
            }
            String status = switch (fault) {
                case "not-updatable" -> random.nextBoolean() ? "ROLLBACK_COMPLETE" : "UPDATE_ROLLBACK_FAILED";
                case "update-failed" -> "UPDATE_FAILED";
                default -> null;
            };
            String parent = switch (fault) {
                case "nested" -> roots.get(random.nextInt(roots.size()));
                case "nested-consumer" -> rootOfNestedConsumer(cfn, name);
                default -> null;
            };
            String stackName = switch (fault) {
                case "nested" -> parent + "-Nested-" + i;
                // as CloudFormation names a nested stack: <root>-<logical id>-<12 random characters>
                case "nested-consumer" -> parent + "-Consumer-"
                        + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(Locale.ROOT);
                default -> name;
            };
            // half of the broken stacks were left at false by an earlier run: their resources are already gone
            boolean atFalse = !inPlace && (fault.equals("left-at-false")
                    || fault.equals("not-updatable") && random.nextBoolean());
            Map<String, String> params = atFalse ? Map.of(PARAMETER, "false")
                    : inPlace ? Map.of(VERSION_PARAMETER, oldVersion) : Map.of();
            stackIds.put(stackName, cfn.createStack(new CloudFormationModel.StackSpec(stackName, kind.template(),
                    params, kind.capabilities(), parent, null, status, duration,
                    "arn:aws:iam::" + cfn.account() + ":role/cfn-" + name)));
            modelOf.put(stackName, cfn);
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
                case "update-rollback" -> inPlaceFailures.put(stackName, 1);
                case "update-rollback-always" -> inPlaceFailures.put(stackName, 1000);
                default -> { }
            }
            if (parent == null && !fault.equals("not-updatable")) {
                roots.add(name);
            }
            faults.put(stackName, fault);
            templates.put(stackName, kind.name());
        }
        for (int i = 0; i < spec.unrelated(); i++) {
            where.apply(i).createStack(new CloudFormationModel.StackSpec(String.format("other-%04d", i),
                    ConsumerTemplates.unrelated(), Map.of()));
        }
        // AWS publishes a newer AMI: updating an SSM AMI stack now also moves it to that AMI
        for (CloudFormationModel model : models) {
            model.parameterStore().put(ConsumerTemplates.LATEST_AMI, NEW_AMI);
        }
        String rotated = "s3cr3t-rotated-" + Long.toHexString(random.nextLong());
        String newVersion = managed != null ? oldVersion : secrets.putSecretValue(SECRET_NAME, rotated, null);
        inPlaceFailures.forEach((stackName, times) -> modelOf.get(stackName).failUpdates(stackName, VERSION_PARAMETER,
                newVersion, times, CloudFormationModel.FailureMode.ROLLBACK,
                "Resource handler returned message: \"Service Unavailable\""));
        return new Built(arn, oldVersion, newVersion, faults, templates,
                managed == null ? null : managed.userName(), keyId);
    }

    /** The template kind: IAM, LanguageExtensions, then the realistic kinds, each among the stacks left. */
    private static Kind kind(FleetSpec spec, Random random, String secretRef) {
        FleetSpec.Kinds k = spec.kinds();
        if (random.nextDouble() < k.inPlace()) {
            return random.nextBoolean() ? new Kind("in-place", ConsumerTemplates.inPlace(secretRef), List.of())
                    : new Kind("in-place-pinned", ConsumerTemplates.inPlacePinned(secretRef), List.of());
        }
        if (random.nextDouble() < spec.withCapabilities()) {
            return new Kind("iam", ConsumerTemplates.withIamRole(secretRef), List.of("CAPABILITY_IAM"));
        }
        if (random.nextDouble() < spec.languageExtensions()) {
            return new Kind("language-extensions", ConsumerTemplates.languageExtensions(secretRef),
                    List.of("CAPABILITY_AUTO_EXPAND"));
        }
        if (random.nextDouble() < k.largeLanguageExtensions()) {
            return new Kind("large-language-extensions", ConsumerTemplates.largeLanguageExtensions(secretRef),
                    List.of("CAPABILITY_AUTO_EXPAND"));
        }
        if (random.nextDouble() < k.cdkSynthesized()) {
            return new Kind("cdk", ConsumerTemplates.cdkSynthesized(secretRef), List.of());
        }
        if (random.nextDouble() < k.sam()) {
            // deployed with sam deploy, through a change set: CAPABILITY_IAM only
            return new Kind("sam", ConsumerTemplates.sam(secretRef), List.of("CAPABILITY_IAM"));
        }
        if (random.nextDouble() < k.ssmAmi()) {
            return new Kind("ssm-ami", ConsumerTemplates.withSsmAmi(secretRef), List.of());
        }
        return new Kind("plain", ConsumerTemplates.rotating(secretRef), List.of());
    }

    /** A root stack that holds only the nested consumer; returns its name. */
    private static String rootOfNestedConsumer(CloudFormationModel cfn, String name) {
        cfn.createStack(new CloudFormationModel.StackSpec(name, ConsumerTemplates.rootOfNested(
                "https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-123456789012-us-east-1/" + name
                        + "-consumer.json"), Map.of()));
        return name;
    }

    private static String pick(FleetSpec spec, double roll, boolean canNest) {
        double[] rates = {spec.phase1Failures(), spec.phase2Transient(), spec.phase2Permanent(), spec.busy(),
                spec.leftAtFalse(), canNest ? spec.nested() : 0, spec.notUpdatable(), spec.kinds().updateFailed(),
                spec.kinds().nestedConsumers()};
        String[] names = {"phase1-failure", "phase2-transient", "phase2-permanent", "busy", "left-at-false", "nested",
                "not-updatable", "update-failed", "nested-consumer"};
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
