package io.tokenrotator.cli;

import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.service.InputRules;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.function.BiFunction;

/** {@code ./token-rotator}: try Token Rotator locally, measure it, and operate a deployed one. */
@Command(name = "token-rotator", mixinStandardHelpOptions = true, version = "token-rotator 0.1.0",
        description = "Re-deploys the CloudFormation stacks that consume a changed secret.",
        subcommands = {SimulateCommand.class, BenchCommand.class, SoakCommand.class, PlanCommand.class, StartCommand.class,
                ReportCommand.class, CommandLine.HelpCommand.class})
public final class TokenRotatorCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return commandLine(LocalEnvironment::new);
    }

    /** The CLI whose local commands open their environment (simulator, Lambda server, Node) through {@code environments}. */
    static CommandLine commandLine(BiFunction<Double, InputRules.Defaults, LocalEnvironment> environments) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == SimulateCommand.class) {
                    return type.cast(new SimulateCommand(environments));
                }
                if (type == BenchCommand.class) {
                    return type.cast(new BenchCommand(environments));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        OperatorErrors errors = new OperatorErrors();
        return new CommandLine(new TokenRotatorCli(), factory).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }
}
