package io.tokenrotator.cli;

import io.tokenrotator.errors.TokenRotatorException;
import picocli.CommandLine;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.io.PrintWriter;

/**
 * Every error the operator can fix ends in one line on stderr, no stack trace. Bad command-line input (picocli's
 * usage errors, the option converters in {@link OptionValues}, the commands' own checks) reads
 * {@code token-rotator: --flag: <what is wrong>; <accepted range>} and exits 2 before anything starts; expected
 * failures while running say what is wrong and how to fix it, and exit 1. Anything unexpected still shows its
 * stack trace.
 */
final class OperatorErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("token-rotator: " + usageError(e));
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    static String usageError(CommandLine.ParameterException e) {
        if (e instanceof OptionValues.OptionException) {
            return e.getMessage();
        }
        if (e.getCause() instanceof CommandLine.TypeConversionException refused
                && e.getArgSpec() instanceof CommandLine.Model.OptionSpec option) {
            return option.longestName() + ": " + refused.getMessage();
        }
        String help = "'" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return e.getMessage() + "; did you mean " + String.join(" or ", u.getSuggestions()) + "? See " + help;
        }
        return e.getMessage() + "; see " + help;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String message = describe(e);
        if (message == null) {
            throw new RuntimeException(e);
        }
        PrintWriter err = cmd.getErr();
        err.println("token-rotator: " + message);
        err.flush();
        return 1;
    }

    static String describe(Exception e) {
        if (e instanceof OperatorException o) {
            return o.getMessage();
        }
        if (e instanceof TokenRotatorException t) {
            return t.getMessage();
        }
        if (e instanceof SdkClientException c) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("credentials") || m.contains("Credentials")) {
                return "no AWS credentials found. Fix: run 'aws configure' or 'aws sso login', or pass --profile";
            }
            if (m.contains("region") || m.contains("Region")) {
                return "no AWS region set. Fix: pass --region or set AWS_REGION";
            }
            return "cannot reach AWS: " + m + ". Fix: check the network, --region and --endpoint-url";
        }
        if (e instanceof AwsServiceException s && s.awsErrorDetails() != null) {
            String code = String.valueOf(s.awsErrorDetails().errorCode());
            String msg = s.awsErrorDetails().errorMessage();
            if (code.contains("AccessDenied") || code.contains("UnauthorizedOperation") || s.statusCode() == 403) {
                return "access denied: " + msg + ". Fix: use credentials allowed to call "
                        + s.awsErrorDetails().serviceName() + " (see README, Operations)";
            }
            if (code.contains("StateMachineDoesNotExist") || code.contains("ExecutionDoesNotExist")) {
                return msg + ". Fix: check the ARN and --region, or deploy with 'cdk deploy'";
            }
            if (code.contains("ExpiredToken") || code.contains("InvalidClientTokenId")
                    || code.contains("UnrecognizedClient")) {
                return "the AWS credentials are not valid (" + code + "). Fix: refresh them ('aws sso login') or"
                        + " pass another --profile";
            }
            return code + ": " + msg;
        }
        return null;
    }

    /** A condition the operator can fix; its message says how. */
    static final class OperatorException extends RuntimeException {
        OperatorException(String message) {
            super(message);
        }
    }
}
