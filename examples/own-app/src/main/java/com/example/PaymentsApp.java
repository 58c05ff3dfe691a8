package com.example;

import io.tokenrotator.cdk.TokenRotator;
import io.tokenrotator.cdk.TokenRotatorProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

import java.util.List;

/** A CDK app of its own that adds Token Rotator to one of its stacks: {@code npx cdk synth} in this directory. */
public final class PaymentsApp {
    private PaymentsApp() {}

    public static void main(String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "PaymentsTokenRotator", StackProps.builder()
                .description("Re-deploys the payments stacks that consume payments/api-token when it changes")
                .build());

        TokenRotator rotator = new TokenRotator(stack, "TokenRotator", TokenRotatorProps.builder()
                .secrets(List.of("payments/api-token"))
                .stackNamePrefix("payments-")
                .maxConcurrency(20)
                .build());

        CfnOutput.Builder.create(stack, "StateMachineArn").value(rotator.stateMachine.getStateMachineArn()).build();
        app.synth();
    }
}
