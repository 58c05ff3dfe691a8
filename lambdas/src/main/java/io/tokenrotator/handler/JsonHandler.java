package io.tokenrotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.tokenrotator.errors.AwsUnavailableException;
import io.tokenrotator.json.Json;
import io.tokenrotator.log.JsonLog;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A Lambda handler that reads one contract record, calls one service method and writes one record. Errors
 * propagate unwrapped, so the runtime reports their own class name to Step Functions. Every log line written
 * meanwhile carries the invocation's request id and function name from the Lambda {@link Context} (none when the
 * caller passes no context).
 */
public abstract class JsonHandler<I, O> implements RequestStreamHandler {
    private final Class<I> inputType;

    protected JsonHandler(Class<I> inputType) {
        this.inputType = inputType;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Supplier<O> work = () -> {
            I in = Json.read(input, inputType);
            try {
                return handle(in);
            } catch (UncheckedIOException e) {
                // a connection to AWS that broke mid-call (e.g. "Unexpected end of file from server") can escape the
                // SDK's URL-connection client as UncheckedIOException instead of a retried SdkClientException: it
                // changed nothing the workflow relies on, so it is retried like any unavailable service
                throw new AwsUnavailableException(null, "the connection to AWS broke: " + e.getMessage());
            }
        };
        O result = context == null ? work.get()
                : JsonLog.during(new JsonLog.Invocation(context.getAwsRequestId(), context.getFunctionName()), work);
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    public abstract O handle(I input);
}
