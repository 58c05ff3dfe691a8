package io.tokenrotator.acceptance;

import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.CfnWaitConditionHandle;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The CDK-made consumer, written as a CDK user writes one. The default synthesizer adds the
 * {@code BootstrapVersion} parameter (type {@code AWS::SSM::Parameter::Value<String>}) and the CheckBootstrapVersion
 * rule, as in every CDK v2 stack; {@code SecretValue.secretsManager} writes the dynamic reference the CDK way.
 */
final class CdkConsumerStack extends Stack {
    CdkConsumerStack(Construct scope, String id) {
        super(scope, id);
        CfnParameter rotateToken = CfnParameter.Builder.create(this, "RotateToken").type("String")
                .allowedValues(List.of("true", "false")).defaultValue("true").build();
        CfnParameter secretName = CfnParameter.Builder.create(this, "SecretName").type("String").build();
        Validations.of(secretName).acknowledge(Acknowledgment.builder().id("CloudFormation-Validate::W2509")
                .reason("the parameter is the secret's name, not its value: NoEcho would hide nothing").build());
        CfnParameter functionRoleArn = CfnParameter.Builder.create(this, "FunctionRoleArn").type("String").build();
        CfnCondition gate = CfnCondition.Builder.create(this, "Gate")
                .expression(Fn.conditionEquals(rotateToken.getValueAsString(), "true")).build();
        gate.overrideLogicalId("RotateToken");
        // always there, free, needs no permission: the stack keeps a resource at RotateToken=false (a template must
        // define at least one resource; AWS does not document whether all of them may be conditioned out)
        new CfnWaitConditionHandle(this, "Anchor").overrideLogicalId("Anchor");
        CfnFunction token = CfnFunction.Builder.create(this, Consumer.GATED_RESOURCE)
                .runtime("python3.13").handler("index.handler").memorySize(128)
                .role(functionRoleArn.getValueAsString())
                .code(CfnFunction.CodeProperty.builder()
                        .zipFile("def handler(event, context):\n    return None\n").build())
                .environment(CfnFunction.EnvironmentProperty.builder().variables(Map.of("TOKEN",
                        SecretValue.secretsManager(secretName.getValueAsString()).unsafeUnwrap())).build())
                .build();
        token.getCfnOptions().setCondition(gate);
        token.overrideLogicalId(Consumer.GATED_RESOURCE);
    }
}
