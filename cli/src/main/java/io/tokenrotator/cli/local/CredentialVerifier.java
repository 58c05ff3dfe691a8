package io.tokenrotator.cli.local;

import io.tokenrotator.simulator.IamModel;
import io.tokenrotator.simulator.IamUsers;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the credential lifecycle's invariants against what the simulator saw, not what the workflow claims: no
 * consumer ever ran on a key that was made Inactive or deleted, and none was created on one (the simulator's
 * key-usage violations, which also cover "deactivated before every consumer had the new key" and "a failed cycle
 * left a consumer without a working key"); a managed user never holds more than two keys; and no secret access key
 * of any key ever created appears in the outputs and logs given (RunVerifier checks the secret values).
 */
public final class CredentialVerifier {
    private CredentialVerifier() {}

    public static List<String> verify(IamModel iam, List<String> managedUsers, String... outputs) {
        List<String> problems = new ArrayList<>();
        iam.violations().forEach(v -> problems.add("a consumer's key stopped working: " + v));
        for (String user : managedUsers) {
            int keys = iam.users().keyCount(user);
            if (keys > IamUsers.ACCESS_KEYS_PER_USER) {
                problems.add(user + " has " + keys + " access keys, more than IAM's " + IamUsers.ACCESS_KEYS_PER_USER);
            }
        }
        List<String> secrets = iam.users().allSecretAccessKeysForLeakChecks();
        for (String output : outputs) {
            if (output != null && secrets.stream().anyMatch(output::contains)) {
                problems.add("a secret access key appears in the run's output or logs");
            }
        }
        return problems;
    }
}
