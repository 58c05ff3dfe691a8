package io.tokenrotator.acceptance;

import io.tokenrotator.json.Json;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CloudFormation templates an acceptance run creates with CreateStack: the base stack and the SAM and IAM
 * consumers are hand-written YAML (as such templates are written), the CDK consumer is synthesized from
 * {@link CdkConsumerStack}. None contains a secret value or a name of the run: those are parameters.
 */
public final class Templates {
    private Templates() {}

    public static String base() {
        return resource("base.yaml");
    }

    public static String consumer(Consumer consumer) {
        return switch (consumer) {
            case CDK -> synthesizeCdkConsumer();
            case SAM -> resource("sam-consumer.yaml");
            case IAM -> resource("iam-consumer.yaml");
        };
    }

    private static String synthesizeCdkConsumer() {
        Path outdir;
        try {
            outdir = Files.createTempDirectory(TempDirs.PREFIX + "cdk-consumer");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            App app = new App(AppProps.builder().outdir(outdir.toString()).build());
            CdkConsumerStack stack = new CdkConsumerStack(app, "CdkConsumer");
            return Json.write(app.synth().getStackByName(stack.getStackName()).getTemplate());
        } finally {
            TempDirs.delete(outdir);
        }
    }

    private static String resource(String name) {
        try (InputStream in = Templates.class.getResourceAsStream("/acceptance/" + name)) {
            if (in == null) {
                throw new IllegalStateException("template /acceptance/" + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
