package io.tokenrotator.cli.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tokenrotator.handler.LocalContext;
import io.tokenrotator.json.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

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
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final AtomicLong handlerNanos = new AtomicLong();

    /**
     * A failure at the Lambda boundary. {@code afterHandling}: the handler runs (its calls to AWS happen) and then the
     * invocation fails anyway, as a function that times out or runs out of memory after its work was done, whose
     * answer is lost; Step Functions sees {@code Lambda.Unknown} then (AWS-FACTS).
     */
    private record Fault(String function, Predicate<String> payload, String errorType, boolean afterHandling,
                         Runnable before, AtomicInteger remaining) {}

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
    /**
     * Real milliseconds spent inside handlers so far, all invocations added up. Handler compute is not scaled, so in
     * a run of one stack at a time (no overlap) this times the time scale is what it added to the simulated makespan.
     */
    public long handlerMillis() {
        return handlerNanos.get() / 1_000_000;
    }

    public Map<String, Long> errorCounts() {
        return snapshot(errors);
    }

    /** The next {@code times} invocations of {@code function} whose payload matches fail with {@code errorType}. */
    public void injectFault(String function, Predicate<String> payload, String errorType, boolean afterHandling,
                            int times) {
        faults.add(new Fault(function, payload, errorType, afterHandling, () -> { }, new AtomicInteger(times)));
    }

    /**
     * Runs {@code action} just before the next invocation of {@code function} whose payload matches: a test's way to
     * change the world at a precise point of a run (delete a stack, change the secret again).
     */
    public void beforeInvoke(String function, Predicate<String> payload, Runnable action) {
        faults.add(new Fault(function, payload, null, false, action, new AtomicInteger(1)));
    }

    private Fault takeFault(String function, String payload) {
        for (Fault f : faults) {
            if (f.function().equals(function) && f.payload().test(payload) && f.remaining().getAndDecrement() > 0) {
                return f;
            }
        }
        return null;
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
            Fault fault = takeFault(name, new String(payload, StandardCharsets.UTF_8));
            if (fault != null) {
                fault.before().run();
                fault = fault.errorType() == null ? null : fault;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                if (fault == null || fault.afterHandling()) {
                    // Lambda gives every invocation a fresh request id (a UUID) and the function's name in its Context
                    long started = System.nanoTime();
                    try {
                        handler.handleRequest(new ByteArrayInputStream(payload), out,
                                new LocalContext(UUID.randomUUID().toString(), name));
                    } finally {
                        handlerNanos.addAndGet(System.nanoTime() - started);
                    }
                }
                if (fault != null) {
                    sendError(ex, fault.errorType(), "injected: " + (fault.afterHandling()
                            ? "the function did its work, then its answer was lost" : "the function failed"));
                    return;
                }
                send(ex, 200, Map.of(), out.toString(StandardCharsets.UTF_8));
            } catch (Exception | StackOverflowError e) {
                sendError(ex, e.getClass().getName(), String.valueOf(e.getMessage()));
            }
        }
    }

    private void sendError(HttpExchange ex, String errorType, String message) throws IOException {
        errors.computeIfAbsent(errorType, k -> new AtomicLong()).incrementAndGet();
        ObjectNode error = Json.MAPPER.createObjectNode().put("errorMessage", message).put("errorType", errorType);
        error.putArray("stackTrace");
        send(ex, 200, Map.of("X-Amz-Function-Error", "Unhandled"), Json.write(error));
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
