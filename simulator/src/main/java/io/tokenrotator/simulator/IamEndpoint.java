package io.tokenrotator.simulator;

import java.util.Map;

import static io.tokenrotator.simulator.Xml.element;

/**
 * IAM's access-key actions over the Query protocol (IAM API reference: CreateAccessKey, ListAccessKeys,
 * UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed). Each is authorized like any other call, as
 * {@code iam:<Action>} on the user's ARN {@code arn:aws:iam::<account>:user/<name>} (Service Authorization Reference,
 * "Actions defined by IAM": the access-key actions take the {@code user} resource type); without {@code UserName} the
 * user is the caller's own, as the API reference says. Answers and errors in IAM's namespace.
 */
final class IamEndpoint {
    static final String NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";

    private final IamUsers users;
    private final SimClock clock;
    private final Runnable settleConsumers;

    /**
     * @param settleConsumers brings the consumers' key usage up to the clock (CloudFormation ends the updates that
     *                        are due) before an action that reads or changes whether a key is in use
     */
    IamEndpoint(IamUsers users, SimClock clock, Runnable settleConsumers) {
        this.users = users;
        this.clock = clock;
        this.settleConsumers = settleConsumers;
    }

    /** The Result element's content, null for actions without one; throws {@link AwsError}. */
    String result(String action, Map<String, String> form, IamModel.Principal caller) {
        if (action.equals("UpdateAccessKey") || action.equals("DeleteAccessKey") || action.equals("GetAccessKeyLastUsed")) {
            settleConsumers.run();
        }
        return switch (action) {
            case "CreateAccessKey" -> {
                IamUsers.NewKey key = users.createAccessKey(authorizedUser(caller, action, form), clock.now());
                yield "<AccessKey>" + element("UserName", key.metadata().userName())
                        + element("AccessKeyId", key.metadata().accessKeyId())
                        + element("Status", key.metadata().status().name())
                        + element("SecretAccessKey", key.secretAccessKey())
                        + element("CreateDate", key.metadata().createDate().toString()) + "</AccessKey>";
            }
            case "ListAccessKeys" -> {
                IamUsers.Page page = users.listAccessKeys(authorizedUser(caller, action, form), form.get("Marker"),
                        maxItems(form.get("MaxItems")));
                StringBuilder xml = new StringBuilder("<AccessKeyMetadata>");
                page.keys().forEach(k -> xml.append("<member>").append(element("UserName", k.userName()))
                        .append(element("AccessKeyId", k.accessKeyId())).append(element("Status", k.status().name()))
                        .append(element("CreateDate", k.createDate().toString())).append("</member>"));
                xml.append("</AccessKeyMetadata>").append(element("IsTruncated", String.valueOf(page.marker().isPresent())));
                page.marker().ifPresent(m -> xml.append(element("Marker", m)));
                yield xml.toString();
            }
            case "UpdateAccessKey" -> {
                users.updateAccessKey(authorizedUser(caller, action, form), keyId(form), form.get("Status"),
                        clock.now());
                yield null;
            }
            case "DeleteAccessKey" -> {
                users.deleteAccessKey(authorizedUser(caller, action, form), keyId(form), clock.now());
                yield null;
            }
            case "GetAccessKeyLastUsed" -> {
                String keyId = keyId(form);
                String owner = users.owner(keyId).orElseGet(() -> users.lastUsed(keyId, clock.now()).userName());
                SimulatorServer.authorize(caller, "iam:" + action, users.userArn(owner), 403, "AccessDenied");
                IamUsers.LastUsed used = users.lastUsed(keyId, clock.now());
                yield element("UserName", used.userName()) + "<AccessKeyLastUsed>"
                        + used.date().map(d -> element("LastUsedDate", d.toString())).orElse("")
                        + element("ServiceName", used.serviceName()) + element("Region", used.region())
                        + "</AccessKeyLastUsed>";
            }
            default -> throw new AwsError("InvalidAction", "The action " + action + " is not valid", 400);
        };
    }

    /** The user the action is about (named, or the caller's own), once the caller may act on it. */
    private String authorizedUser(IamModel.Principal caller, String action, Map<String, String> form) {
        String user = form.get("UserName");
        if (user == null) {
            // "If a temporary access key is used, then UserName is required" (ListAccessKeys API reference)
            user = caller.userName().orElseThrow(() ->
                    AwsError.validation("Must specify userName when calling with non-User credentials"));
        }
        SimulatorServer.authorize(caller, "iam:" + action, users.userArn(user), 403, "AccessDenied");
        return user;
    }

    private static String keyId(Map<String, String> form) {
        String id = form.get("AccessKeyId");
        if (id == null) {
            throw AwsError.validation("1 validation error detected: Value null at 'accessKeyId' failed to satisfy"
                    + " constraint: Member must not be null");
        }
        return id;
    }

    private static Integer maxItems(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw AwsError.validation("1 validation error detected: Value '" + value + "' at 'maxItems' failed to"
                    + " satisfy constraint: Member must be an integer between 1 and 1000");
        }
    }
}
