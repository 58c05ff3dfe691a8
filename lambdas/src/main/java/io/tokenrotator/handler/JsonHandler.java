package io.tokenrotator.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.tokenrotator.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Lambda handler that reads one contract record, calls one service method and writes one record. Errors
 * propagate unwrapped, so the runtime reports their own class name to Step Functions.
 */
public abstract class JsonHandler<I, O> implements RequestStreamHandler {
    private final Class<I> inputType;

    protected JsonHandler(Class<I> inputType) {
        this.inputType = inputType;
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        O result = handle(Json.read(input, inputType));
        output.write(Json.write(result).getBytes(StandardCharsets.UTF_8));
    }

    public abstract O handle(I input);
}
