package io.tokenrotator.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Produces everything a run deploys, before anything is created: a real synthesis, or canned text in the tests. */
@FunctionalInterface
public interface Synthesis {
    /** The Token Rotator cloud assembly for {@code cdk deploy --app}, and the templates for CreateStack. */
    record Synthesized(Path rotatorAssembly, String baseTemplate, Map<Consumer, String> consumerTemplates) {
        /** Deletes the directory the real synthesis made (the assembly holds a copy of the 17 MB Lambda jar). */
        public void deleteWorkDirectory() {
            TempDirs.delete(rotatorAssembly.toAbsolutePath().getParent());
        }
    }

    /** {@code account} and {@code region} may be null: the Token Rotator stack is then environment-agnostic. */
    Synthesized synthesize(RunNames names, boolean createTrail, String account, String region);

    /** Synthesizes into a new temporary directory. */
    static Synthesis real() {
        return (names, createTrail, account, region) -> {
            Path assembly;
            try {
                assembly = Files.createTempDirectory(TempDirs.PREFIX + names.runId()).resolve("cdk.out");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RotatorApp.synthesize(assembly, names, createTrail, account, region);
            Map<Consumer, String> consumers = new EnumMap<>(Consumer.class);
            for (Consumer c : Consumer.values()) {
                consumers.put(c, Templates.consumer(c));
            }
            return new Synthesized(assembly, Templates.base(), consumers);
        };
    }
}
