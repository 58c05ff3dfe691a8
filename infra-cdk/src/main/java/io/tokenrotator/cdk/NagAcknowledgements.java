package io.tokenrotator.cdk;

import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

import java.util.List;
import java.util.Map;

/**
 * Acknowledges cdk-nag AwsSolutions findings on purpose, each with its reason. Wildcard-resource findings
 * (AwsSolutions-IAM5) are acknowledged one resource at a time, under the id cdk-nag gives them
 * ({@code AwsSolutions-IAM5[Resource::<flattened resource>]}), so a new wildcard nobody meant is still reported.
 */
final class NagAcknowledgements {
    private NagAcknowledgements() {}

    static void rule(IConstruct scope, String ruleId, String reason) {
        Validations.of(scope).acknowledge(Acknowledgment.builder().id(ruleId).reason(reason).build());
    }

    /** Acknowledges IAM5 for each of these resources that contains a wildcard. */
    static void wildcardResources(IConstruct scope, List<String> resources, String reason) {
        Stack stack = Stack.of(scope);
        for (String resource : resources) {
            String flat = flatten(stack.resolve(resource));
            if (flat.contains("*")) {
                // aws-cdk-lib's acknowledge() refuses ids with '::' inside; cdk-nag reads this metadata key directly
                scope.getNode().addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY,
                        Map.of("Annotation::AwsSolutions-IAM5[Resource::" + flat + "]", reason));
            }
        }
    }

    /** cdk-nag's flattening of a CloudFormation value: Fn::Join joined, Fn::GetAtt as <Id.Attr>, Ref as <Id>. */
    static String flatten(Object node) {
        if (node == null) {
            return "";
        }
        if (node instanceof String s) {
            return s.replace("${", "<").replace("}", ">");
        }
        if (node instanceof Map<?, ?> m) {
            if (m.containsKey("Fn::Join")) {
                List<?> join = (List<?>) m.get("Fn::Join");
                StringBuilder sb = new StringBuilder();
                List<?> items = (List<?>) join.get(1);
                for (int i = 0; i < items.size(); i++) {
                    sb.append(i == 0 ? "" : join.get(0)).append(flatten(items.get(i)));
                }
                return sb.toString();
            }
            if (m.containsKey("Fn::GetAtt")) {
                List<?> att = (List<?>) m.get("Fn::GetAtt");
                return "<" + flatten(att.get(0)) + "." + flatten(att.get(1)) + ">";
            }
            if (m.containsKey("Ref")) {
                return "<" + flatten(m.get("Ref")) + ">";
            }
        }
        return String.valueOf(node);
    }
}
