package io.tokenrotator.target;

import io.tokenrotator.errors.InvalidInputException;
import io.tokenrotator.json.Json;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The targets of a deployment: the home target (its own account and region) and every account x region of the
 * configured entries, from the environment variable {@value #VARIABLE} (JSON, the construct sets it):
 * {@code {"includeHome": true, "targets": [{"accounts": [...], "regions": [...], "roleName": "TokenRotatorTarget",
 * "externalId": "..."}]}}. Without the variable only home exists. Checked once, with errors naming the source and
 * the entry.
 */
public final class Targets {
    public static final String VARIABLE = "TARGETS";
    public static final String DEFAULT_ROLE_NAME = "TokenRotatorTarget";
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** Region names as AWS spells them: us-east-1, eu-central-2, ap-southeast-4, us-gov-west-1, cn-north-1. */
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
    /** Role names: 1-64 of {@code [\w+=,.@-]} (IAM API reference, CreateRole). */
    private static final Pattern ROLE_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    /** A stack ARN: {@code arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>}. */
    private static final Pattern STACK_ARN = Pattern.compile("arn:[a-z-]+:cloudformation:([a-z0-9-]+):(\\d{12}):stack/.*");

    /** One configured entry: accounts x regions, reached through the named role. */
    public record Entry(List<String> accounts, List<String> regions, String roleName, String externalId) {}

    /** The whole configuration, as the variable holds it. */
    public record Config(Boolean includeHome, List<Entry> targets) {}

    private final Target home;
    private final List<Target> all;

    public Targets(Target home, List<Target> all) {
        this.home = home;
        this.all = List.copyOf(all);
    }

    /** Only the home target: a single-account deployment (account and region may be unknown: null). */
    public static Targets homeOnly(String account, String region) {
        Target home = new Target(account, region, null, null);
        return new Targets(home, List.of(home));
    }

    /**
     * From the environment: {@value #VARIABLE}; home is {@value #HOME_ACCOUNT} (Lambda does not give a function its
     * account: the construct sets it with the targets) in {@code AWS_REGION} (else the region the function's clients
     * were built for), in partition {@value #PARTITION}.
     */
    public static Targets fromEnvironment(Function<String, String> env, String clientRegion) {
        String region = env.apply("AWS_REGION") != null ? env.apply("AWS_REGION") : clientRegion;
        String json = env.apply(VARIABLE);
        if (json == null || json.isBlank()) {
            return homeOnly(env.apply(HOME_ACCOUNT), region);
        }
        String account = env.apply(HOME_ACCOUNT);
        if (account == null || !ACCOUNT.matcher(account).matches()) {
            throw new IllegalStateException("environment variable " + HOME_ACCOUNT + " must be the deployment's"
                    + " 12-digit account id when " + VARIABLE + " is set, got '" + account + "'");
        }
        String partition = env.apply(PARTITION) == null ? "aws" : env.apply(PARTITION);
        return parse(json, "environment variable " + VARIABLE, partition, account, region);
    }

    /** The deployment's own account (set by the construct with {@value #VARIABLE}). */
    public static final String HOME_ACCOUNT = "HOME_ACCOUNT";
    /** The partition role ARNs are built in (default aws). */
    public static final String PARTITION = "AWS_PARTITION";

    public static Targets parse(String json, String source, String partition, String homeAccount, String homeRegion) {
        Config config;
        try {
            config = Json.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), Config.class);
        } catch (InvalidInputException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        Target home = new Target(homeAccount, homeRegion, null, null);
        Map<String, Target> all = new LinkedHashMap<>();
        if (!Boolean.FALSE.equals(config.includeHome())) {
            all.put(home.id(), home);
        }
        List<Entry> entries = config.targets() == null ? List.of() : config.targets();
        for (int i = 0; i < entries.size(); i++) {
            String where = source + " target entry " + i;
            Entry e = entries.get(i);
            if (e == null || e.accounts() == null || e.accounts().isEmpty()) {
                throw new IllegalArgumentException(where + ": accounts is missing (a list of 12-digit account ids)");
            }
            if (e.regions() == null || e.regions().isEmpty()) {
                throw new IllegalArgumentException(where + ": regions is missing (a list such as [\"eu-west-1\"])");
            }
            String roleName = e.roleName() == null ? DEFAULT_ROLE_NAME : e.roleName();
            if (!ROLE_NAME.matcher(roleName).matches()) {
                throw new IllegalArgumentException(where + ": roleName '" + roleName + "' is not an IAM role name");
            }
            if (e.externalId() != null && !e.externalId().matches("[\\w+=,.@:/-]{2,1224}")) {
                throw new IllegalArgumentException(where + ": externalId must be 2-1224 characters of letters,"
                        + " digits and +=,.@:/-");
            }
            for (String account : e.accounts()) {
                if (account == null || !ACCOUNT.matcher(account).matches()) {
                    throw new IllegalArgumentException(where + ": account '" + account + "' is not a 12-digit id");
                }
                for (String region : e.regions()) {
                    if (region == null || !REGION.matcher(region).matches()) {
                        throw new IllegalArgumentException(where + ": region '" + region + "' is not a region name");
                    }
                    Target t = account.equals(homeAccount) && region.equals(homeRegion) ? home
                            : new Target(account, region, "arn:" + partition + ":iam::" + account + ":role/"
                            + roleName, e.externalId());
                    if (all.containsKey(t.id()) && !all.get(t.id()).equals(t) && !t.home()) {
                        throw new IllegalArgumentException(where + ": " + t.id() + " is configured twice, with"
                                + " different roles");
                    }
                    all.putIfAbsent(t.id(), t);
                }
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException(source + ": no target: includeHome is false and no entry lists one");
        }
        return new Targets(home, new ArrayList<>(all.values()));
    }

    public List<Target> all() {
        return all;
    }

    public Target home() {
        return home;
    }

    public boolean multiple() {
        return all.size() > 1 || !all.get(0).home();
    }

    /** {@code <account>/<region>} of a stack ARN; empty for anything else (a bare name, null). */
    public static Optional<String> idOf(String stackId) {
        Matcher m = STACK_ARN.matcher(String.valueOf(stackId));
        return m.matches() ? Optional.of(m.group(2) + "/" + m.group(1)) : Optional.empty();
    }

    /** The target a stack ARN belongs to; empty when the ARN is of no configured target. Home-only: home. */
    public Optional<Target> forStack(String stackId) {
        if (!multiple()) {
            return Optional.of(home);
        }
        Matcher m = STACK_ARN.matcher(String.valueOf(stackId));
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(2) + "/" + m.group(1);
        return all.stream().filter(t -> t.id().equals(id)).findFirst();
    }
}
