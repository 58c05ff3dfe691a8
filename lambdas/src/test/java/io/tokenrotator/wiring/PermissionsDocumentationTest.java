package io.tokenrotator.wiring;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's permissions table is the declaration, rendered: it cannot fall behind {@link RotatorFunction}. */
class PermissionsDocumentationTest {
    static String table() {
        StringBuilder md = new StringBuilder("| function | actions | on | why |\n| --- | --- | --- | --- |\n");
        for (RotatorFunction f : RotatorFunction.values()) {
            for (Grant g : f.grants()) {
                md.append("| `").append(f.id()).append("` | ")
                        .append(g.actions().stream().map(a -> "`" + a + "`").collect(Collectors.joining(", ")))
                        .append(" | ").append(on(g)).append(" | ").append(g.why()).append(" |\n");
            }
        }
        return md.toString();
    }

    private static String on(Grant g) {
        return switch (g.resources()) {
            case ANY -> "`*`";
            case STACKS -> "`stack/<stackNamePrefix>*/*`";
            case ALL_STACKS -> "`stack/*/*`";
            case WATCHED_SECRETS -> "`secret:<name>-??????` of each watched secret (`*` without)";
            case RUN_OBJECTS -> "run bucket `" + g.keyPrefix() + "*`";
            case RUN_BUCKET -> "the run bucket";
            case STATE_MACHINE -> "the state machine";
            case SSM_PARAMETERS -> "`parameter/*` of the account, AWS's public `parameter/aws/service/*`";
            case TRANSFORMS -> String.join(", ", ResourceArns.TRANSFORMS.stream().map(t -> "`aws:transform/" + t + "`")
                    .toList());
            case TRIGGER_QUEUE -> "the trigger's queue";
            case ROTATION_EXECUTIONS -> "every execution of the rotation state machine";
            case MANAGED_USERS -> "`user/<userName>` of each managed credential";
            case MANAGED_SECRETS -> "`secret:<name>-??????` of each managed credential's secret";
            case LIFECYCLE_EXECUTIONS -> "every execution of the lifecycle state machine";
            case TARGET_ROLES -> "`role/<roleName>` in each target account (none without `targets`)";
            case SECRET_REPLICAS -> "`secret:<name>-??????` of each watched secret in every region (`*` without)";
        };
    }

    @Test
    void theReadmeListsEveryGrantOfTheDeclaration() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("project.root"), "README.md"));
        assertThat(readme).as("README section 'Permissions each function has and why'; expected table:%n%s", table())
                .contains(table());
    }
}
