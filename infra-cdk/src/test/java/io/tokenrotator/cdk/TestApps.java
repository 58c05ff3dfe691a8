package io.tokenrotator.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Apps built from cdk.json's own context (feature flags included), so tests synthesize what the CLI does. */
final class TestApps {
    static final ObjectMapper JSON = new ObjectMapper();
    static final StackProps ENV = StackProps.builder()
            .env(Environment.builder().account("123456789012").region("eu-west-1").build()).build();

    private TestApps() {}

    static Map<String, Object> cdkJsonContext() {
        try {
            JsonNode context = JSON.readTree(ProjectPaths.root().resolve("cdk.json").toFile()).path("context");
            return JSON.convertValue(context, JSON.getTypeFactory().constructMapType(LinkedHashMap.class,
                    String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static App app(Map<String, Object> overrides) {
        Map<String, Object> context = cdkJsonContext();
        context.putAll(overrides);
        return new App(AppProps.builder().context(context).build());
    }

    static TokenRotatorStack stack(Map<String, Object> overrides) {
        App app = app(overrides);
        return new TokenRotatorStack(app, AppConfig.from(k -> app.getNode().tryGetContext(k)), ENV);
    }

    static Template template(Map<String, Object> overrides) {
        return Template.fromStack(stack(overrides));
    }
}
