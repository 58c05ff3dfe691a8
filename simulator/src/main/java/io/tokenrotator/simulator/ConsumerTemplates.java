package io.tokenrotator.simulator;

/** Consumer-stack templates as users write them: a RotateToken parameter and a resource gated on it. */
public final class ConsumerTemplates {
    /** The SSM parameter every CDK v2 stack's BootstrapVersion parameter reads (default qualifier). */
    public static final String CDK_BOOTSTRAP_VERSION = "/cdk-bootstrap/hnb659fds/version";
    /** AWS's public parameter with the latest Amazon Linux 2023 AMI id. */
    public static final String LATEST_AMI = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

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

    /**
     * The in-place convention: a TokenVersion parameter in a property of the secret-holding resource (its
     * Description), so setting it to the new version id updates the resource in place and CloudFormation re-resolves
     * its dynamic reference. Nothing is gated; nothing is deleted.
     */
    public static String inPlace(String secretRef) {
        return """
            {
              "Parameters": {
                "TokenVersion": {"Type": "String", "Default": "initial"},
                "Environment": {"Type": "String", "Default": "dev"}
              },
              "Resources": {
                "ApiConnection": {
                  "Type": "AWS::Events::Connection",
                  "Properties": {
                    "Description": {"Fn::Sub": "API token version ${TokenVersion}"},
                    "AuthParameters": {"ApiKeyAuthParameters": {
                      "ApiKeyName": "token", "ApiKeyValue": "{{resolve:secretsmanager:%s:SecretString:token}}"}}}
                },
                "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": {"Ref": "Environment"}}}
              }
            }""".formatted(secretRef);
    }

    /**
     * The in-place convention with TokenVersion in the version-id field of the reference itself: the resource
     * resolves exactly the version the stack names (its TokenVersion must be a version id of the secret).
     */
    public static String inPlacePinned(String secretRef) {
        return inPlace(secretRef)
                .replace("\"Description\": {\"Fn::Sub\": \"API token version ${TokenVersion}\"},\n", "")
                .replace("\"ApiKeyValue\": \"{{resolve:secretsmanager:%s:SecretString:token}}\"".formatted(secretRef),
                        "\"ApiKeyValue\": {\"Fn::Sub\": \"{{resolve:secretsmanager:%s:SecretString:token::${TokenVersion}}}\"}"
                                .formatted(secretRef));
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

    /**
     * A consumer as {@code cdk synth} writes it: logical ids with hashes and {@code aws:cdk:path} metadata, the
     * {@code BootstrapVersion} parameter of type {@code AWS::SSM::Parameter::Value<String>}, the {@code CDKMetadata}
     * resource under its {@code CDKMetadataAvailable} condition, and the {@code CheckBootstrapVersion} rule.
     */
    public static String cdkSynthesized(String secretRef) {
        return """
            {
              "Parameters": {
                "RotateToken": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]},
                "BootstrapVersion": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "%s",
                  "Description": "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]"}
              },
              "Conditions": {
                "RotateToken": {"Fn::Equals": [{"Ref": "RotateToken"}, "true"]},
                "CDKMetadataAvailable": {"Fn::Or": [
                  {"Fn::Or": [{"Fn::Equals": [{"Ref": "AWS::Region"}, "af-south-1"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "ap-east-1"]},
                              {"Fn::Equals": [{"Ref": "AWS::Region"}, "ap-northeast-1"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "ap-south-1"]},
                              {"Fn::Equals": [{"Ref": "AWS::Region"}, "ap-southeast-1"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "ca-central-1"]},
                              {"Fn::Equals": [{"Ref": "AWS::Region"}, "cn-north-1"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-central-1"]},
                              {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-north-1"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-1"]}]},
                  {"Fn::Or": [{"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-2"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "me-south-1"]},
                              {"Fn::Equals": [{"Ref": "AWS::Region"}, "sa-east-1"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
                              {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-2"]}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-west-1"]},
                              {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-west-2"]}]}]}
              },
              "Resources": {
                "ApiConnection5F8B2C7A": {
                  "Type": "AWS::Events::Connection",
                  "Condition": "RotateToken",
                  "Properties": {"AuthorizationType": "API_KEY", "AuthParameters": {"ApiKeyAuthParameters": {
                    "ApiKeyName": "token", "ApiKeyValue": "{{resolve:secretsmanager:%s:SecretString:token}}"}}},
                  "Metadata": {"aws:cdk:path": "App/ApiConnection/Resource"}
                },
                "Queue4A7E3555": {"Type": "AWS::SQS::Queue", "UpdateReplacePolicy": "Delete", "DeletionPolicy": "Delete",
                  "Metadata": {"aws:cdk:path": "App/Queue/Resource"}},
                "CDKMetadata": {
                  "Type": "AWS::CDK::Metadata",
                  "Properties": {"Analytics": "v2:deflate64:H4sIAAAAAAAA/zPSMzQ01DNQTCwv1k1OydbNyczTqw4uSUzO1glKLc4vLUpOrdVxzs8rSa0oCUotzi8t0kGIBOQXJ/+zAAAAAA=="},
                  "Metadata": {"aws:cdk:path": "App/CDKMetadata/Default"},
                  "Condition": "CDKMetadataAvailable"
                }
              },
              "Rules": {
                "CheckBootstrapVersion": {"Assertions": [{
                  "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], {"Ref": "BootstrapVersion"}]}]},
                  "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."
                }]}
              }
            }""".formatted(CDK_BOOTSTRAP_VERSION, secretRef);
    }

    /**
     * A SAM application ({@code Transform: AWS::Serverless-2016-10-31}): its function has no Role, so the expanded
     * template creates one and needs CAPABILITY_IAM; {@code sam deploy} goes through a change set, so the stack's own
     * capabilities need not include CAPABILITY_AUTO_EXPAND.
     */
    public static String sam(String secretRef) {
        return rotating(secretRef).replaceFirst("\\{", "{\n  \"Transform\": \"AWS::Serverless-2016-10-31\",")
                .replace("\"Queue\":", "\"Handler\": {\"Type\": \"AWS::Serverless::Function\", \"Properties\": {"
                        + "\"Runtime\": \"python3.12\", \"Handler\": \"app.handler\","
                        + " \"CodeUri\": \"s3://artifacts-123456789012/app.zip\"}},\n    \"Queue\":");
    }

    /**
     * Like {@link #languageExtensions}, and over CloudFormation's 51,200-byte TemplateBody limit: 150 queues with
     * their tags (about 53 KB), so an update has to send the original template by TemplateURL.
     */
    public static String largeLanguageExtensions(String secretRef) {
        StringBuilder queues = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            queues.append(String.format("\"WorkQueue%03d\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {"
                    + "\"QueueName\": \"work-%03d\", \"VisibilityTimeout\": 300, \"MessageRetentionPeriod\": 1209600,"
                    + " \"Tags\": [{\"Key\": \"team\", \"Value\": \"payments-platform\"},"
                    + " {\"Key\": \"purpose\", \"Value\": \"asynchronous settlement work item number %03d\"},"
                    + " {\"Key\": \"cost-center\", \"Value\": \"cc-4711-settlement-processing\"}]}},%n    ", i, i, i));
        }
        return languageExtensions(secretRef).replace("\"Queue\":", queues + "\"Queue\":");
    }

    /** Like {@link #rotating} plus a launch template whose AMI comes from AWS's public SSM parameter. */
    public static String withSsmAmi(String secretRef) {
        return rotating(secretRef)
                .replace("\"Environment\":", "\"ImageId\": {\"Type\": \"AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>\","
                        + " \"Default\": \"" + LATEST_AMI + "\"},\n    \"Environment\":")
                .replace("\"Queue\":", "\"LaunchTemplate\": {\"Type\": \"AWS::EC2::LaunchTemplate\", \"Properties\":"
                        + " {\"LaunchTemplateData\": {\"ImageId\": {\"Ref\": \"ImageId\"}, \"InstanceType\": \"t4g.small\"}}},"
                        + "\n    \"Queue\":");
    }

    /**
     * A root stack that only holds a nested stack and passes RotateToken down to it; the nested consumer (created
     * from {@code nestedTemplateUrl}) gates its secret-holding resource on it. Token Rotator updates the root, and
     * CloudFormation updates the nested stack with the new parameter value.
     */
    public static String rootOfNested(String nestedTemplateUrl) {
        return """
            {"Parameters": {"RotateToken": {"Type": "String", "Default": "true", "AllowedValues": ["true", "false"]}},
             "Resources": {"Consumer": {"Type": "AWS::CloudFormation::Stack",
               "Properties": {"TemplateURL": "%s", "Parameters": {"RotateToken": {"Ref": "RotateToken"}}}}}}"""
                .formatted(nestedTemplateUrl);
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
