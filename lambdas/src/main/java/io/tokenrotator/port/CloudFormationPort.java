package io.tokenrotator.port;

import java.util.Optional;
import java.util.stream.Stream;

/** The CloudFormation calls Token Rotator makes. Errors arrive as io.tokenrotator.errors types. */
public interface CloudFormationPort {
    /** Result of UpdateStack: started, or CloudFormation's "No updates are to be performed". */
    enum UpdateOutcome { STARTED, NO_UPDATES }

    /** Every stack DescribeStacks lists, across all pages. */
    Stream<StackDescription> describeAllStacks();

    /** One stack by name or id; empty when CloudFormation says it does not exist. */
    Optional<StackDescription> describeStack(String stackNameOrId);

    /** The template as submitted (GetTemplate, TemplateStage=Original). */
    String originalTemplate(String stackId);

    /** The stack policy body, if the stack has one. */
    Optional<String> stackPolicy(String stackId);

    UpdateOutcome updateStack(StackUpdate update);
}
