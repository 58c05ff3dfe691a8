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
import io.tokenrotator.contract.UnreachableTarget;
import io.tokenrotator.aws.TargetClients;
import io.tokenrotator.target.TargetAccess;
import io.tokenrotator.target.Targets;
import software.amazon.awssdk.services.sts.StsClient;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;
import io.tokenrotator.service.FindStacksService;
import io.tokenrotator.service.InputRules;
import io.tokenrotator.store.InMemoryRunStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    @Option(names = "--targets", paramLabel = "JSON", description = "Also plan in other accounts and regions, through"
            + " their target roles: the deployment's targets, as in cdk.json ({\"targets\": [{\"accounts\": [...],"
            + " \"regions\": [...]}]}). Your credentials must be allowed to assume those roles.")
    String targets;
    @Spec
    CommandSpec spec;

    /** The --targets configuration, home being the caller's own account (STS GetCallerIdentity) and region. */
    private Targets operatorTargets(AwsClients clients) {
        if (clients.regionId() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--targets: needs the home region: set"
                    + " --region or AWS_REGION");
        }
        String account;
        try (StsClient sts = clients.sts()) {
            account = sts.getCallerIdentity().account();
        }
        try {
            return Targets.parse(targets, "--targets", "aws", account, clients.regionId());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() {
        AwsClients clients = aws.clients();
        SdkSecrets secrets = new SdkSecrets(clients.secretsManager());
        TargetAccess access = targets == null
                ? TargetAccess.single(new SdkCloudFormation(clients.cloudFormation()), secrets)
                : new TargetClients(clients, operatorTargets(clients), "TokenRotator-operator-plan");
        FindStacksService discovery = new FindStacksService(access, secrets, new InMemoryRunStore(),
                new JsonLog(new PrintStream(OutputStream.nullOutputStream())), java.time.Clock.systemUTC());
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
        for (UnreachableTarget u : plan.unreachableTargets()) {
            out.printf("UNREACHABLE %s: %s%n  -> %s%n", u.target(), u.reason(), u.action());
        }
        Map<String, List<PlannedStack>> byTarget = new TreeMap<>();
        plan.toRotate().forEach(p -> byTarget.computeIfAbsent(Targets.idOf(p.stackId()).orElse("?"),
                t -> new ArrayList<>()).add(p));
        for (Map.Entry<String, List<PlannedStack>> group : byTarget.entrySet()) {
            out.println();
            if (targets != null) {
                out.printf("== %s: %d would rotate%n", group.getKey(), group.getValue().size());
            }
            out.printf("%-48s  %-28s  %-12s  %s%n", "WOULD ROTATE", "STATUS", "CONVENTION", "PARAMETER = NOW -> SET TO");
            for (PlannedStack p : group.getValue()) {
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
