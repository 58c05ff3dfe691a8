package io.tokenrotator.cli.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.tokenrotator.handler.LocalContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole program of one cold start: what the Lambda Java runtime does on a new execution environment, and nothing
 * more. It loads the handler class, calls its public no-arg constructor, invokes it once with the input file, and
 * writes on stderr the wall-clock milliseconds of entering main, construction done and answer written, the CPU time
 * the JVM's threads used so far (-1 where Linux's /proc is missing), then the answer. {@link ColdStart} runs it in a fresh JVM whose class path is this one class and the shaded Lambda jar, so
 * it may use only the JDK and classes of that jar (one class, no lambdas or nested classes).
 *
 * <p>Arguments: handler class, function name, input file.
 */
public final class ColdStartProbe {
    private ColdStartProbe() {}

    public static void main(String[] args) throws Exception {
        long entered = System.currentTimeMillis();
        RequestStreamHandler handler = (RequestStreamHandler) Class.forName(args[0]).getConstructor().newInstance();
        long constructed = System.currentTimeMillis();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))), answer,
                new LocalContext("cold-start", args[1]));
        long answered = System.currentTimeMillis();
        System.err.println("cold-start " + entered + " " + constructed + " " + answered + " " + cpuMillis());
        System.err.println("answer " + answer.toString(StandardCharsets.UTF_8));
    }

    /**
     * CPU milliseconds of every live thread of this JVM (main, JIT compilers, GC), from /proc/self/task/<tid>/schedstat,
     * whose first field is the thread's time on a CPU in nanoseconds (Linux kernel documentation, "scheduler
     * statistics"). Unlike wall time it hardly changes with the machine's other load.
     */
    private static long cpuMillis() {
        long nanos = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                nanos += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[0]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return nanos / 1_000_000;
    }
}
