package io.tokenrotator.simulator;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.tokenrotator.simulator.Xml.element;

/**
 * STS GetCallerIdentity over the Query protocol: Account, Arn and UserId of whoever signed the request. "No
 * permissions are required to perform this operation", even an explicit deny does not stop it (STS API reference,
 * GetCallerIdentity), so it is the check that a key works: it answers for any key that authenticates.
 */
final class StsEndpoint {
    static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

    private final IamUsers users;

    StsEndpoint(IamUsers users) {
        this.users = users;
    }

    String result(String action, IamModel.Principal caller) {
        if (!"GetCallerIdentity".equals(action)) {
            throw new AwsError("InvalidAction", "The action " + action + " is not valid", 400);
        }
        return element("Arn", caller.arn()) + element("UserId", userId(caller)) + element("Account", caller.account());
    }

    /**
     * The aws:userid of the caller (IAM user guide, "Policy variables", principal table): an IAM user's unique id
     * (AIDA...); for an assumed role, the role's id (AROA..., made up here from its ARN) and the session name.
     */
    private String userId(IamModel.Principal caller) {
        var user = caller.userName().flatMap(users::user).filter(u -> u.arn().equals(caller.arn()));
        if (user.isPresent()) {
            return user.get().userId();
        }
        String id = UUID.nameUUIDFromBytes(caller.arn().getBytes(StandardCharsets.UTF_8)).toString()
                .replace("-", "").toUpperCase().substring(0, 17);
        int session = caller.arn().indexOf(":assumed-role/");
        return session < 0 ? "AIDA" + id : "AROA" + id + ":" + caller.arn().substring(caller.arn().lastIndexOf('/') + 1);
    }
}
