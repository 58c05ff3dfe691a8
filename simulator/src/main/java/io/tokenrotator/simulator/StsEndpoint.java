package io.tokenrotator.simulator;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.tokenrotator.simulator.Xml.element;

/**
 * STS over the Query protocol. GetCallerIdentity: Account, Arn and UserId of whoever signed the request. "No
 * permissions are required to perform this operation", even an explicit deny does not stop it (STS API reference,
 * GetCallerIdentity), so it is the check that a key works: it answers for any key that authenticates. AssumeRole
 * (STS API reference, AssumeRole): temporary credentials for a role of any account of the {@link IamModel}, see
 * {@link IamModel#assumeRole}.
 */
final class StsEndpoint {
    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private final IamModel iam;
    private final SimClock clock;

    StsEndpoint(IamModel iam, SimClock clock) {
        this.iam = iam;
        this.clock = clock;
    }

    String result(String action, Map<String, String> form, IamModel.Principal caller) {
        return switch (action) {
            case "GetCallerIdentity" -> element("Arn", caller.arn()) + element("UserId", userId(caller))
                    + element("Account", caller.account());
            case "AssumeRole" -> assumeRole(form, caller);
            default -> throw new AwsError("InvalidAction", "The action " + action + " is not valid", 400);
        };
    }

    /**
     * AssumeRoleResult: Credentials (AccessKeyId ASIA..., SecretAccessKey, SessionToken, Expiration) and
     * AssumedRoleUser (AssumedRoleId {@code AROA...:<session>}, Arn
     * {@code arn:aws:sts::<account>:assumed-role/<role>/<session>}). Expiration is given in wall-clock time, so an
     * SDK credentials provider refreshes in time when the simulator's clock runs faster than real time.
     */
    private String assumeRole(Map<String, String> form, IamModel.Principal caller) {
        String duration = form.get("DurationSeconds");
        IamModel.TemporaryCredentials c = iam.assumeRole(caller, form.get("RoleArn"), form.get("RoleSessionName"),
                form.get("ExternalId"), duration == null ? null : Integer.valueOf(duration), clock.now());
        return "<Credentials>" + element("AccessKeyId", c.accessKeyId())
                + element("SecretAccessKey", c.secretAccessKey()) + element("SessionToken", c.sessionToken())
                + element("Expiration", clock.toWallClock(c.expiration()).toString()) + "</Credentials>"
                + "<AssumedRoleUser>" + element("AssumedRoleId", c.assumedRoleId()) + element("Arn", c.assumedRoleArn())
                + "</AssumedRoleUser>";
    }

    /**
     * The aws:userid of the caller (IAM user guide, "Policy variables", principal table): an IAM user's unique id
     * (AIDA...); for an assumed role, the role's id (AROA..., made up here from its ARN) and the session name.
     */
    private String userId(IamModel.Principal caller) {
        var user = caller.userName().flatMap(iam.users()::user).filter(u -> u.arn().equals(caller.arn()));
        if (user.isPresent()) {
            return user.get().userId();
        }
        String id = UUID.nameUUIDFromBytes(caller.arn().getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").toUpperCase().substring(0, 17);
        int session = caller.arn().indexOf(":assumed-role/");
        return session < 0 ? "AIDA" + id : "AROA" + id + ":" + caller.arn().substring(caller.arn().lastIndexOf('/') + 1);
    }
}
