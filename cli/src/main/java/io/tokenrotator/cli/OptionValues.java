package io.tokenrotator.cli;

import io.tokenrotator.errors.Messages;
import io.tokenrotator.settings.Setting;
import io.tokenrotator.simulator.SimulatorServer;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * picocli type converters for the local commands' options. Each one checks the type and the range of its value while
 * picocli parses the command line, so a bad value stops the command before it starts anything. A refusal reads
 * {@code <what is wrong>; expected <the accepted range>}; {@link OperatorErrors} prefixes the option's name.
 */
final class OptionValues {
    private OptionValues() {}

    /** A whole number in a range; "2.5", "NaN" and "lots" are not whole numbers. */
    abstract static class WholeNumber implements ITypeConverter<Integer> {
        private final int min;
        private final int max;

        WholeNumber(int min, int max) {
            this.min = min;
            this.max = max;
        }

        String accepted() {
            return "expected a whole number from " + min + " to " + max;
        }

        @Override
        public Integer convert(String text) {
            long value;
            try {
                value = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw refused(asWritten(text) + " is not a whole number", accepted());
            }
            if (value < min || value > max) {
                throw refused(text.trim() + " is out of range", accepted());
            }
            return (int) value;
        }
    }

    /** Consumer stacks in a simulated fleet. */
    static final class StackCount extends WholeNumber {
        StackCount() {
            super(1, 100_000);
        }
    }

    /** Stacks rotated at once: what the Distributed Map accepts. */
    static final class Concurrency extends WholeNumber {
        Concurrency() {
            super(Setting.MAX_CONCURRENCY.min(), Setting.MAX_CONCURRENCY.max());
        }
    }

    /** UpdateStack calls per second a run may spend: what the updateStackRate setting accepts. */
    static final class UpdateStackRate extends WholeNumber {
        UpdateStackRate() {
            super(Setting.UPDATE_STACK_RATE.min(), Setting.UPDATE_STACK_RATE.max());
        }
    }

    /** A simulated duration of up to a day. */
    static final class Seconds extends WholeNumber {
        Seconds() {
            super(1, 86_400);
        }
    }

    /** Accounts of a simulated organization. */
    static final class Accounts extends WholeNumber {
        Accounts() {
            super(1, 20);
        }
    }

    /** Regions per account of a simulated organization (LocalTargets.REGIONS). */
    static final class Regions extends WholeNumber {
        Regions() {
            super(1, 6);
        }
    }

    /** The spread of update durations; below --update-seconds, which SimulateCommand checks. */
    static final class SpreadSeconds extends WholeNumber {
        SpreadSeconds() {
            super(0, 86_399);
        }
    }

    /** The wait between two status checks, as the deployment accepts it. */
    static final class PollSeconds extends WholeNumber {
        PollSeconds() {
            super(Setting.POLL_SECONDS.min(), Setting.POLL_SECONDS.max());
        }
    }

    /** Cold starts per function in {@code bench --cold-start}. */
    static final class Repetitions extends WholeNumber {
        Repetitions() {
            super(1, 100);
        }
    }

    /** Any 64-bit seed. */
    static final class Seed implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw refused(asWritten(text) + " is not a whole number", "expected a whole number from "
                        + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
            }
        }
    }

    /** A decimal number in a range; NaN, Infinity and Java's "1d" are not numbers here. */
    abstract static class Decimal implements ITypeConverter<Double> {
        private final double min;
        private final boolean aboveMin;
        private final double max;
        private final String accepted;

        Decimal(String what, double min, boolean aboveMin, double max) {
            this.min = min;
            this.aboveMin = aboveMin;
            this.max = max;
            this.accepted = "expected " + what + (aboveMin ? " above " + plain(min) + " and at most " + plain(max)
                    : " from " + plain(min) + " to " + plain(max));
        }

        @Override
        public Double convert(String text) {
            double value;
            try {
                value = new BigDecimal(text.trim()).doubleValue();
            } catch (NumberFormatException e) {
                throw refused(Messages.quote(text) + " is not a number", accepted);
            }
            if ((aboveMin ? value <= min : value < min) || value > max) {
                throw refused(text.trim() + " is out of range", accepted);
            }
            return value;
        }

        private static String plain(double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
    }

    /** A fraction of the fleet. */
    static final class Fraction extends Decimal {
        Fraction() {
            super("a fraction", 0, false, 1);
        }
    }

    /** Simulated seconds per real second. */
    static final class TimeScale extends Decimal {
        TimeScale() {
            super("a number", 0, true, 1000);
        }
    }

    /** CloudFormation calls per simulated second. */
    static final class Rate extends Decimal {
        Rate() {
            super("calls per second", 0, true, 10_000);
        }
    }

    /** A CloudFormation operation the simulator serves (and so can throttle). */
    static final class Operation implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (!SimulatorServer.CLOUDFORMATION_OPERATIONS.contains(text)) {
                throw refused(Messages.quote(text) + " is not an operation the simulator serves",
                        "expected one of " + String.join(", ", SimulatorServer.CLOUDFORMATION_OPERATIONS));
            }
            return text;
        }
    }

    /**
     * A file to write after the run: checked now, by creating and deleting a temporary file next to it, so that an
     * unwritable path is found before a run of minutes, not after it. The file itself is not created.
     */
    static final class WritableFile implements ITypeConverter<Path> {
        private static final String ACCEPTED = "expected a file in an existing, writable directory";

        @Override
        public Path convert(String text) {
            Path file;
            try {
                file = Path.of(text);
            } catch (InvalidPathException e) {
                throw refused(Messages.quote(text) + " is not a file path", ACCEPTED);
            }
            Path absolute = file.toAbsolutePath();
            Path directory = absolute.getParent();
            if (Files.isDirectory(absolute)) {
                throw refused(Messages.quote(text) + " is a directory", ACCEPTED);
            }
            if (directory == null || !Files.isDirectory(directory)) {
                throw refused("directory " + Messages.quote(String.valueOf(directory)) + " does not exist", ACCEPTED);
            }
            if (Files.exists(absolute) && !Files.isWritable(absolute)) {
                throw refused("cannot write " + Messages.quote(text), ACCEPTED);
            }
            try {
                Files.delete(Files.createTempFile(directory, ".token-rotator-", ".tmp"));
            } catch (IOException | SecurityException e) {
                throw refused("cannot write in directory " + Messages.quote(directory.toString()), ACCEPTED);
            }
            return file;
        }
    }

    /** A number as the user wrote it (2.5); anything else quoted ("lots", "NaN"). */
    private static String asWritten(String text) {
        try {
            new BigDecimal(text.trim());
            return Messages.shorten(text.trim());
        } catch (NumberFormatException e) {
            return Messages.quote(text);
        }
    }

    /** A value refused by a converter: "<what is wrong>; <accepted range>". */
    private static TypeConversionException refused(String problem, String accepted) {
        return new TypeConversionException(problem + "; " + accepted);
    }

    /** An option refused after parsing, for rules that involve several options. */
    static final class OptionException extends CommandLine.ParameterException {
        OptionException(CommandLine command, String options, String problem, String accepted) {
            this(command, options + ": " + problem + "; " + accepted);
        }

        /** A message that already names the options. */
        OptionException(CommandLine command, String message) {
            super(command, message);
        }
    }
}
