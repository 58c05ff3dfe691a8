package io.tokenrotator.cli.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.tokenrotator.handler.LocalContext;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole program of one cold start: what the Lambda Java runtime does on a new execution environment, and nothing
 * more. It loads the handler class, calls its public no-arg constructor, invokes it once with the input file, and
 * writes on stderr the wall-clock milliseconds of entering main, construction done and answer written, then the
 * answer. {@link ColdStart} runs it in a fresh JVM whose class path is this one class and the shaded Lambda jar, so
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
        System.err.println("cold-start " + entered + " " + constructed + " " + answered);
        System.err.println("answer " + answer.toString(StandardCharsets.UTF_8));
    }
}
