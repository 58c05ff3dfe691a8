package io.tokenrotator.acceptance;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.cdk.AppConfig;
import io.tokenrotator.cdk.TokenRotatorStack;
import io.tokenrotator.cli.local.LocalEnvironment;
import io.tokenrotator.json.Json;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token Rotator's CDK app (infra-cdk) with the acceptance configuration: cdk.json's context (feature flags and
 * defaults, as {@code cdk deploy} uses them) plus the run's stack name, its throwaway secret as the watched secret,
 * and the run's prefix as stackNamePrefix, so the deployment can touch no other stack in the account.
 */
public final class RotatorApp {
    private RotatorApp() {}

    /** The context keys this run sets on top of cdk.json's (README, Deploy: the context keys). */
    public static Map<String, Object> acceptanceContext(RunNames names, boolean createTrail) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("stackName", names.rotatorStack());
        context.put("secrets", List.of(names.secretName()));
        context.put("stackNamePrefix", names.prefix());
        context.put("createTrail", createTrail);
        return context;
    }

    /**
     * Synthesizes the app into {@code outdir} as a cloud assembly (with the Lambda jar as its asset), for
     * {@code cdk deploy --app <outdir>}. {@code account} and {@code region} are what {@code cdk deploy} would pass
     * the app as CDK_DEFAULT_ACCOUNT and CDK_DEFAULT_REGION.
     */
    public static TokenRotatorStack synthesize(Path outdir, RunNames names, boolean createTrail, String account,
                                               String region) {
        Map<String, Object> context = cdkJsonContext();
        context.putAll(acceptanceContext(names, createTrail));
        App app = new App(AppProps.builder().outdir(outdir.toString()).context(context).build());
        TokenRotatorStack stack = new TokenRotatorStack(app, AppConfig.from(k -> app.getNode().tryGetContext(k)),
                StackProps.builder()
                        .description("Token Rotator acceptance test " + names.runId() + " (deleted by the test)")
                        .env(Environment.builder().account(account).region(region).build())
                        .build());
        app.synth();
        return stack;
    }

    private static Map<String, Object> cdkJsonContext() {
        try {
            JsonNode context = Json.MAPPER.readTree(LocalEnvironment.projectRoot().resolve("cdk.json").toFile()).path("context");
            return Json.MAPPER.convertValue(context, Json.MAPPER.getTypeFactory()
                    .constructMapType(LinkedHashMap.class, String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
