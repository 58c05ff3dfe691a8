package io.tokenrotator.simulator;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo fleet holds every kind of consumer real accounts have, each built as AWS would hold it. */
class FleetTest {
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    private final CloudFormationModel cfn = new CloudFormationModel(clock, secrets, "us-east-1", "123456789012");
    private final IamModel.Principal admin = new IamModel().addAdministrator("ADMIN", "arn:aws:iam::123456789012:user/a");
    /** 200 stacks of every kind, a few failing, busy, nested or left at false. */
    private final Fleet.Built fleet = Fleet.build(new FleetSpec(200, 42, Duration.ofSeconds(60), Duration.ofSeconds(20),
            0.04, 0.06, 0.02, 0.06, 0.04, 0.04, 0.04, 0.2, 0.1, 40, FleetSpec.Kinds.DEFAULT), cfn, secrets);

    private List<String> stacksOf(String template) {
        return fleet.templates().entrySet().stream().filter(e -> e.getValue().equals(template)).map(Map.Entry::getKey)
                .toList();
    }

    private List<String> stacksWithFault(String fault) {
        return fleet.faults().entrySet().stream().filter(e -> e.getValue().equals(fault)).map(Map.Entry::getKey)
                .toList();
    }

    @Test
    void theDemoFleetHasEveryKind() {
        assertThat(new TreeSet<>(fleet.templates().values())).containsExactlyInAnyOrder("plain", "iam",
                "language-extensions", "large-language-extensions", "cdk", "sam", "ssm-ami", "in-place",
                "in-place-pinned");
        assertThat(Set.copyOf(fleet.faults().values())).contains("update-failed", "nested-consumer", "nested",
                "not-updatable", "busy", "update-rollback");
        for (String name : stacksOf("in-place")) {
            assertThat(cfn.inspect(name).parameters()).containsKey(Fleet.VERSION_PARAMETER)
                    .doesNotContainKey(Fleet.PARAMETER);
            assertThat(cfn.inspect(name).resources().get("ApiConnection").secretVersions())
                    .containsExactly(fleet.oldVersionId());
        }
        FleetSpec plain = FleetSpec.healthy(30, 1, Duration.ofSeconds(60));
        SecretsManagerModel otherSecrets = new SecretsManagerModel("us-east-1", "1");
        CloudFormationModel other = new CloudFormationModel(clock, otherSecrets, "us-east-1", "1");
        assertThat(Set.copyOf(Fleet.build(plain, other, otherSecrets).templates().values())).containsExactly("plain");
    }

    @Test
    void cdkConsumersReadTheirBootstrapVersionFromSsmAndKeepTheirMetadata() {
        for (String name : stacksOf("cdk")) {
            CloudFormationModel.StackView view = cfn.describeStacks(name, null).stacks().get(0);
            assertThat(view.parameters()).containsEntry("BootstrapVersion", ConsumerTemplates.CDK_BOOTSTRAP_VERSION);
            assertThat(view.resolvedValues()).containsEntry("BootstrapVersion", Fleet.BOOTSTRAP_VERSION);
            assertThat(cfn.inspect(name).resources()).containsKey("CDKMetadata");
        }
    }

    @Test
    void samConsumersLackAutoExpandAndLargeOnesExceedTheTemplateBodyLimit() {
        for (String name : stacksOf("sam")) {
            assertThat(cfn.describeStacks(name, null).stacks().get(0).capabilities()).containsExactly("CAPABILITY_IAM");
        }
        for (String name : stacksOf("large-language-extensions")) {
            assertThat(cfn.getTemplate(name, "Original").getBytes(StandardCharsets.UTF_8).length)
                    .isGreaterThan(CloudFormationModel.TEMPLATE_BODY_LIMIT);
        }
    }

    @Test
    void ssmAmiConsumersWereCreatedOnTheOldAmiAndANewerOneIsPublished() {
        assertThat(cfn.parameterStore().value(ConsumerTemplates.LATEST_AMI)).contains(Fleet.NEW_AMI);
        for (String name : stacksOf("ssm-ami")) {
            assertThat(cfn.inspect(name).resources().get("LaunchTemplate").properties()).contains(Fleet.OLD_AMI);
        }
    }

    @Test
    void updateFailedStacksCanBeUpdatedAgain() {
        String name = stacksWithFault("update-failed").get(0);
        assertThat(cfn.inspect(name).status()).isEqualTo("UPDATE_FAILED");

        cfn.updateStack(new CloudFormationModel.UpdateStackCall(name, null, true, null, List.of(
                new CloudFormationModel.ParamInput(Fleet.PARAMETER, "false", false)),
                List.of("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"), null, "t-1"), admin);
        clock.advance(Duration.ofMinutes(5));

        assertThat(cfn.inspect(name).status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(cfn.inspect(name).parameters()).containsEntry(Fleet.PARAMETER, "false");
    }

    @Test
    void aNestedConsumersRootHoldsOnlyTheNestedStackAndPassesRotateTokenDownToIt() {
        for (String nested : stacksWithFault("nested-consumer")) {
            CloudFormationModel.StackView view = cfn.describeStacks(nested, null).stacks().get(0);
            String root = nested.substring(0, nested.indexOf("-Consumer-"));
            CloudFormationModel.StackView rootView = cfn.describeStacks(root, null).stacks().get(0);
            assertThat(view.parentId()).isEqualTo(rootView.id()).isEqualTo(view.rootId());
            assertThat(view.parameters()).containsKey(Fleet.PARAMETER);
            assertThat(cfn.getTemplate(nested, "Original")).contains("{{resolve:secretsmanager:" + Fleet.SECRET_NAME);
            assertThat(rootView.parameters()).containsKey(Fleet.PARAMETER);
            assertThat(cfn.inspect(root).resources()).containsOnlyKeys("Consumer");
            assertThat(cfn.inspect(root).resources().get("Consumer").type()).isEqualTo("AWS::CloudFormation::Stack");
            assertThat(cfn.nestedStackNames(root)).containsExactly(nested);
        }
        assertThat(stacksWithFault("nested-consumer")).isNotEmpty();
    }

    @Test
    void aRootWhoseNestedStackWasDeletedOutOfBandCannotBeUpdatedAndRollsBack() {
        String nested = stacksWithFault("nested-consumer").get(0);
        String root = nested.substring(0, nested.indexOf("-Consumer-"));
        cfn.deleteStack(nested);

        cfn.updateStack(new CloudFormationModel.UpdateStackCall(root, null, true, null, List.of(
                new CloudFormationModel.ParamInput(Fleet.PARAMETER, "false", false)), List.of(), null, "t-gone"), admin);
        clock.advance(Duration.ofMinutes(10));

        assertThat(cfn.inspect(root).status()).isEqualTo("UPDATE_ROLLBACK_COMPLETE");
        assertThat(cfn.inspect(root).parameters()).containsEntry(Fleet.PARAMETER, "true");
        assertThat(cfn.describeStacks(root, null).stacks().get(0).statusReason()).contains("Embedded stack")
                .contains("DELETE_COMPLETE");
    }

    @Test
    void updatingTheRootUpdatesItsNestedStackWithTheParameterItPasses() {
        String nested = stacksWithFault("nested-consumer").get(0);
        String root = nested.substring(0, nested.indexOf("-Consumer-"));
        String before = cfn.inspect(nested).resources().get("ApiConnection").secretVersions().get(0);

        for (String value : List.of("false", "true")) {
            cfn.updateStack(new CloudFormationModel.UpdateStackCall(root, null, true, null, List.of(
                    new CloudFormationModel.ParamInput(Fleet.PARAMETER, value, false)), List.of(), null,
                    "t-" + value), admin);
            clock.advance(Duration.ofMinutes(10));
            assertThat(cfn.inspect(nested).parameters()).containsEntry(Fleet.PARAMETER, value);
            assertThat(cfn.inspect(nested).resources().containsKey("ApiConnection")).isEqualTo(value.equals("true"));
        }
        assertThat(cfn.inspect(nested).status()).isEqualTo("UPDATE_COMPLETE");
        assertThat(cfn.inspect(nested).resources().get("ApiConnection").secretVersions())
                .containsExactly(fleet.newVersionId()).doesNotContain(before);
    }

    @Test
    void aManagedCredentialIsOneActiveKeyOfDeployBotThatEveryConsumerUses() {
        SecretsManagerModel managedSecrets = new SecretsManagerModel("us-east-1", "123456789012");
        CloudFormationModel managedCfn = new CloudFormationModel(clock, managedSecrets, "us-east-1", "123456789012");
        IamUsers users = new IamUsers("123456789012", Duration.ZERO);
        managedCfn.trackKeyUsage(users);
        FleetSpec spec = FleetSpec.healthy(20, 3, Duration.ofSeconds(60));

        Fleet.Built built = Fleet.build(spec, managedCfn, managedSecrets, Fleet.ManagedCredential.of(users, clock.now()));

        assertThat(built.managedUser()).isEqualTo("deploy-bot");
        assertThat(users.user("deploy-bot")).get().extracting(IamUsers.User::statements).asList().isEmpty();
        assertThat(users.listAccessKeys("deploy-bot", null, null).keys())
                .extracting(IamUsers.KeyMetadata::accessKeyId, IamUsers.KeyMetadata::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(built.initialKeyId(), IamUsers.Status.Active));
        String secretAccessKey = users.allSecretAccessKeysForLeakChecks().get(0);
        assertThat(managedSecrets.valueOfVersion(built.oldVersionId())).contains("{\"accessKeyId\":\""
                + built.initialKeyId() + "\",\"secretAccessKey\":\"" + secretAccessKey + "\"}");
        assertThat(built.newVersionId()).as("no newer version: the lifecycle makes it").isEqualTo(built.oldVersionId());
        assertThat(users.usersOf(built.initialKeyId())).hasSize(20)
                .allSatisfy(user -> assertThat(user).endsWith("/ApiConnection"));
        SecretsManagerModel otherSecrets = new SecretsManagerModel("us-east-1", "1");
        Fleet.Built unmanaged = Fleet.build(spec, new CloudFormationModel(clock, otherSecrets, "us-east-1", "1"),
                otherSecrets);
        assertThat(built.faults()).isEqualTo(unmanaged.faults());
        assertThat(unmanaged.managedUser()).isNull();
    }
}
