package io.tokenrotator.cli.local;

import io.tokenrotator.simulator.Fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The accounts x regions a local run rotates stacks in besides home (issue 12): each account gets the target role
 * {@value #ROLE_NAME}, each (account, region) its own simulated CloudFormation; the home account's other regions hold
 * replicas of the home secrets, {@code replicaLag} behind the primary. {@link #HOME_ONLY}: the single-account setup.
 */
public record LocalTargets(List<String> accounts, List<String> regions, Duration replicaLag) {
    public static final String ROLE_NAME = "TokenRotatorTarget";
    public static final LocalTargets HOME_ONLY = new LocalTargets(List.of(), List.of(), Duration.ZERO);

    public LocalTargets {
        accounts = List.copyOf(accounts);
        regions = List.copyOf(regions);
        for (String account : accounts) {
            if (!account.matches("\\d{12}")) {
                throw new IllegalArgumentException("target account '" + account + "' is not a 12-digit account id");
            }
        }
        if (accounts.isEmpty() != regions.isEmpty()) {
            throw new IllegalArgumentException("targets need both accounts and regions, got accounts " + accounts
                    + " and regions " + regions);
        }
        if (replicaLag.isNegative()) {
            throw new IllegalArgumentException("replicaLag must be 0 or more, got " + replicaLag);
        }
    }

    /** The regions a simulated organization uses, home's first. */
    public static final List<String> REGIONS = List.of(LocalPermissions.REGION, "eu-west-1", "ap-southeast-2",
            "us-west-2", "eu-central-1", "ap-northeast-1");

    /**
     * A simulated organization of {@code accounts} accounts (home, then 100000000001, 100000000002, ...) in the first
     * {@code regions} of {@link #REGIONS}; home-only for 1 x 1.
     */
    public static LocalTargets simulated(int accounts, int regions, Duration replicaLag) {
        if (accounts == 1 && regions == 1) {
            return HOME_ONLY;
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            ids.add(i == 0 ? LocalPermissions.ACCOUNT : String.format("1%011d", i));
        }
        return new LocalTargets(ids, REGIONS.subList(0, regions), replicaLag);
    }

    public LocalTargets(List<String> accounts, List<String> regions) {
        this(accounts, regions, Duration.ZERO);
    }

    public boolean isHomeOnly() {
        return accounts.isEmpty();
    }

    /** Every (account, region) besides home, accounts x regions (home itself left out). */
    public List<Fleet.Target> pairs() {
        List<Fleet.Target> out = new ArrayList<>();
        for (String account : accounts) {
            for (String region : regions) {
                if (!(account.equals(LocalPermissions.ACCOUNT) && region.equals(LocalPermissions.REGION))) {
                    out.add(new Fleet.Target(account, region));
                }
            }
        }
        return out;
    }

    /** Where a fleet over this organization goes ({@link Fleet#buildAcross}): home first, then {@link #pairs()}. */
    public List<Fleet.Target> fleetTargets() {
        List<Fleet.Target> out = new ArrayList<>(List.of(new Fleet.Target(LocalPermissions.ACCOUNT,
                LocalPermissions.REGION)));
        out.addAll(pairs());
        return out;
    }

    /** The target role of each account. */
    public List<String> roleArns() {
        return accounts.stream().distinct().map(a -> "arn:aws:iam::" + a + ":role/" + ROLE_NAME).toList();
    }

    /** The functions' {@code TARGETS}: {@code {"includeHome": true, "targets": [{"accounts": [...], "regions": [...]}]}}. */
    public Map<String, Object> environmentValue() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("accounts", accounts);
        entry.put("regions", regions);
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("includeHome", true);
        value.put("targets", List.of(entry));
        return value;
    }
}
