package io.tokenrotator.simulator;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Systems Manager Parameter Store, as far as CloudFormation reads it: parameter values by name. Parameters under
 * {@code /aws/service/} are AWS's public ones (latest AMI ids and the like); their ARN carries no account.
 */
public final class ParameterStoreModel {
    private final String region;
    private final String account;
    private final Map<String, String> values = new ConcurrentHashMap<>();

    public ParameterStoreModel(String region, String account) {
        this.region = region;
        this.account = account;
    }

    /** PutParameter (with Overwrite): creates the parameter or gives it a new value. */
    public void put(String name, String value) {
        values.put(name, value);
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The ARN IAM evaluates ssm:GetParameters against: {@code parameter/<name>} ({@code /a/b} gives {@code parameter/a/b}). */
    public String arn(String name) {
        String owner = name.startsWith("/aws/service/") ? "" : account;
        return "arn:aws:ssm:" + region + ":" + owner + ":parameter" + (name.startsWith("/") ? name : "/" + name);
    }
}
