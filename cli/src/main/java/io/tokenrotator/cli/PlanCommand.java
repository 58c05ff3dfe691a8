package io.tokenrotator.cli;

import io.tokenrotator.aws.AwsClients;
import io.tokenrotator.aws.SdkCloudFormation;
import io.tokenrotator.aws.SdkSecrets;
import io.tokenrotator.contract.FindStacksInput;
import io.tokenrotator.contract.Convention;
import io.tokenrotator.contract.Plan;
import io.tokenrotator.contract.PlannedStack;
import io.tokenrotator.contract.RotationRequest;
import io.tokenrotator.contract.SkippedStack;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.store.InMemoryRunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code ./token-rotator plan}: the stacks a rotation would touch, by the Find Stacks handler's own code. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Lists the stacks a rotation would touch and those it would skip, with reasons. Reads only.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    AwsOptions aws = new AwsOptions();
    @Option(names = "--secret", paramLabel = "ID", description = "The secret that changed: name, ARN or partial ARN.")
    String secret;
    @Option(names = "--parameter-name", defaultValue = InputRules.DEFAULT_PARAMETER, description = "Default ${DEFAULT-VALUE}.")
    String parameterName;
    @Option(names = "--prefix", paramLabel = "P", description = "Only stacks whose name starts with P.")
    String prefix;
    @Option(names = "--selection", defaultValue = "all", description = "all (default) or referencing.")
    String selection;
    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Override
    public Integer call() {
        AwsClients clients = aws.clients();
        FindStacksService discovery = new FindStacksService(new SdkCloudFormation(clients.cloudFormation()),
                new SdkSecrets(clients.secretsManager()), new InMemoryRunStore(),
                new JsonLog(new PrintStream(OutputStream.nullOutputStream())));
        Plan plan = discovery.plan(InputRules.find(new FindStacksInput("plan", new RotationRequest(parameterName, secret,
                null, prefix, selection, null, null)), InputRules.Defaults.NONE));
        PrintStream out = System.out;
        if (json) {
            out.println(Json.write(plan));
            return 0;
        }
        if (plan.secret() != null) {
            out.printf("Secret %s (%s), current version %s%n", plan.secret().name(), plan.secret().arn(),
                    plan.secret().versionId());
        }
        out.printf("%d stack(s) would rotate, %d would be skipped (parameters %s, %s in place).%n",
                plan.toRotate().size(), plan.skipped().size(), plan.parameterName(), plan.versionParameterName());
        if (!plan.toRotate().isEmpty()) {
            out.println();
            out.printf("%-48s  %-28s  %-12s  %s%n", "WOULD ROTATE", "STATUS", "CONVENTION", "PARAMETER = NOW -> SET TO");
            for (PlannedStack p : plan.toRotate()) {
                boolean leftAtFalse = p.convention() == Convention.ROTATE_TOKEN && "false".equals(p.parameterValue());
                out.printf("%-48s  %-28s  %-12s  %s = %s -> %s%s%n", p.stackName(), p.status(), p.convention(),
                        p.parameterName(), p.parameterValue(), p.convention() == Convention.ROTATE_TOKEN
                                ? "false, then true" : p.target(),
                        leftAtFalse ? "  (left at false: will be restored)" : "");
            }
        }
        if (!plan.skipped().isEmpty()) {
            out.println();
            out.printf("%-48s  %-24s  %s%n", "SKIPPED", "REASON", "DETAIL");
            for (SkippedStack s : plan.skipped()) {
                out.printf("%-48s  %-24s  %s%n", s.stackName(), s.reason(), s.detail());
            }
        }
        return 0;
    }
}
