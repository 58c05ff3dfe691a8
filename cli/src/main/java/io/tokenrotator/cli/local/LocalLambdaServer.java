package io.tokenrotator.cli.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tokenrotator.handler.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}) on 127.0.0.1, hosting the real
 * handlers. A handler's exception is answered as the Java Lambda runtime does: HTTP 200,
 * {@code X-Amz-Function-Error: Unhandled}, and {@code {errorType: <class name>, errorMessage}}.
 */
public final class LocalLambdaServer implements AutoCloseable {
    private static final String PREFIX = "/2015-03-31/functions/";

    private final Map<String, RequestStreamHandler> routes;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-lambda");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    public LocalLambdaServer(Map<String, RequestStreamHandler> routes) throws IOException {
        this.routes = Map.copyOf(routes);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The function names this server hosts. */
    public java.util.Set<String> functionNames() {
        return routes.keySet();
    }

    /** Errors the handlers raised, by Java class name (what Step Functions saw as the error name). */
    public Map<String, Long> errorCounts() {
        return snapshot(errors);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (!"POST".equals(ex.getRequestMethod()) || !path.startsWith(PREFIX) || !path.endsWith("/invocations")) {
                send(ex, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                        "{\"Type\":\"User\",\"message\":\"not a Lambda Invoke path: " + path + "\"}");
                return;
            }
            String function = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - "/invocations".length()),
                    StandardCharsets.UTF_8);
            String name = function.contains(":function:") ? function.substring(function.indexOf(":function:") + 10)
                    : function;
            RequestStreamHandler handler = routes.get(name);
            if (handler == null) {
                send(ex, 404, Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                        "{\"Type\":\"User\",\"message\":\"Function not found: " + function + "\"}");
                return;
            }
            byte[] payload = ex.getRequestBody().readAllBytes();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(payload), out, null);
                send(ex, 200, Map.of(), out.toString(StandardCharsets.UTF_8));
            } catch (Exception | StackOverflowError e) {
                errors.computeIfAbsent(e.getClass().getName(), k -> new AtomicLong()).incrementAndGet();
                ObjectNode error = Json.MAPPER.createObjectNode()
                        .put("errorMessage", String.valueOf(e.getMessage()))
                        .put("errorType", e.getClass().getName());
                error.putArray("stackTrace");
                send(ex, 200, Map.of("X-Amz-Function-Error", "Unhandled"), Json.write(error));
            }
        }
    }

    private static void send(HttpExchange ex, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("X-Amz-Executed-Version", "$LATEST");
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
