package io.tokenrotator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        return new CommandLine(new TokenRotatorCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new OperatorErrors());
    }
}
