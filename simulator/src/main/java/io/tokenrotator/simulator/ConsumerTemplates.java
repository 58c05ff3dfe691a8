package io.tokenrotator.simulator;

/** Consumer-stack templates as users write them: a RotateToken parameter and a resource gated on it. */
public final class ConsumerTemplates {
    private ConsumerTemplates() {}

    /** One resource gated by Condition RotateToken holding {{resolve:secretsmanager:SECRET_REF}}, one always there. */
    public static String rotating(String secretRef) {
        return """
            {
              "Parameters": {
                "RotateToken": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]},
                "Environment": {"Type": "String", "Default": "dev"},
                "DbPassword": {"Type": "String", "NoEcho": true, "Default": "unused"}
              },
              "Conditions": {"RotateToken": {"Fn::Equals": [{"Ref": "RotateToken"}, "true"]}},
              "Resources": {
                "ApiConnection": {
                  "Type": "AWS::Events::Connection",
                  "Condition": "RotateToken",
                  "Properties": {"AuthParameters": {"ApiKeyAuthParameters": {
                    "ApiKeyName": "token", "ApiKeyValue": "{{resolve:secretsmanager:%s:SecretString:token}}"}}}
                },
                "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "Environment"}}}
              }
            }""".formatted(secretRef);
    }

    /** Like {@link #rotating} with the AWS::LanguageExtensions transform. */
    public static String languageExtensions(String secretRef) {
        return rotating(secretRef).replaceFirst("\\{", "{\n  \"Transform\": \"AWS::LanguageExtensions\",");
    }

    /** Like {@link #rotating} plus an IAM role, so updates need CAPABILITY_IAM. */
    public static String withIamRole(String secretRef) {
        return rotating(secretRef).replace("\"Queue\":",
                "\"Role\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {\"AssumeRolePolicyDocument\": {}}},\n    \"Queue\":");
    }

    /** Declares RotateToken but gates nothing on it. */
    public static String parameterOnly() {
        return """
            {"Parameters": {"RotateToken": {"Type": "String", "Default": "true"}},
             "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}""";
    }

    /** A stack that does not take part: no RotateToken parameter. */
    public static String unrelated() {
        return """
            {"Parameters": {"Environment": {"Type": "String", "Default": "dev"}},
             "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}}}""";
    }
}
