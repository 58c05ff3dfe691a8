package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;

import java.io.IOException;
import java.util.List;

import static io.tokenrotator.simulator.SignedClients.refused;
import static org.assertj.core.api.Assertions.assertThat;

/** Secrets Manager PutSecretValue as the SDK's Secrets Manager client sees it. */
class PutSecretValueOverTheWireTest {
    private static final String ACCOUNT = "123456789012";
    private static final String TOKEN = "11111111-2222-4333-8444-555555555555";

    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", ACCOUNT);
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets, "us-east-1", ACCOUNT);
    private final IamModel iam = new IamModel();
    private final SimulatorServer server;
    private final SignedClients clients;
    private final String arn = secrets.createSecret("prod/deploy-key", "{\"accessKeyId\":\"AKIAOLD\"}", "AbCdEf");
    private final String firstVersion = secrets.describeOrThrow(arn).versionWithStage(SecretsManagerModel.AWSCURRENT);

    PutSecretValueOverTheWireTest() throws IOException {
        iam.add(new IamModel.Principal("ASIAWRITER", "arn:aws:sts::" + ACCOUNT + ":assumed-role/writer/s",
                List.of(new IamModel.Statement(List.of("secretsmanager:PutSecretValue", "secretsmanager:DescribeSecret"),
                        List.of("arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:prod/deploy-key-??????")))));
        iam.add(new IamModel.Principal("ASIAREADER", "arn:aws:sts::" + ACCOUNT + ":assumed-role/reader/s",
                List.of(new IamModel.Statement(List.of("secretsmanager:DescribeSecret"), List.of("*")))));
        server = new SimulatorServer(model, secrets, iam, clock);
        clients = new SignedClients(server.endpoint());
    }

    @AfterEach
    void close() {
        server.close();
        clients.close();
    }

    private PutSecretValueResponse put(String token, String value) {
        return clients.secretsManager("ASIAWRITER").putSecretValue(b -> b.secretId("prod/deploy-key")
                .clientRequestToken(token).secretString(value));
    }

    @Test
    void storesTheValueAsCurrentAndTheOldCurrentBecomesPrevious() {
        PutSecretValueResponse put = put(TOKEN, "{\"accessKeyId\":\"AKIANEW\"}");

        assertThat(put.arn()).isEqualTo(arn);
        assertThat(put.name()).isEqualTo("prod/deploy-key");
        assertThat(put.versionId()).isEqualTo(TOKEN);
        assertThat(put.versionStages()).containsExactly("AWSCURRENT");
        assertThat(secrets.describeOrThrow(arn).versionIdsToStages())
                .containsEntry(TOKEN, List.of("AWSCURRENT")).containsEntry(firstVersion, List.of("AWSPREVIOUS"));
        assertThat(secrets.valueOfVersion(TOKEN)).contains("{\"accessKeyId\":\"AKIANEW\"}");
    }

    @Test
    void theAnswerNeverCarriesTheValue() {
        PutSecretValueResponse put = put(TOKEN, "{\"secretAccessKey\":\"wJalrXUtnFEMI\"}");

        assertThat(put.toString()).doesNotContain("wJalrXUtnFEMI");
        assertThat(put.sdkHttpResponse().toString()).doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void theSameTokenAndValueAgainIsIgnoredAndAnswersTheExistingVersion() {
        put(TOKEN, "{\"accessKeyId\":\"AKIANEW\"}");
        PutSecretValueResponse again = put(TOKEN, "{\"accessKeyId\":\"AKIANEW\"}");

        assertThat(again.versionId()).isEqualTo(TOKEN);
        assertThat(again.versionStages()).containsExactly("AWSCURRENT");
        assertThat(secrets.describeOrThrow(arn).versionIdsToStages()).hasSize(2);
    }

    @Test
    void theSameTokenWithAnotherValueIsRefused() {
        put(TOKEN, "{\"accessKeyId\":\"AKIANEW\"}");

        AwsServiceException e = refused(() -> put(TOKEN, "{\"accessKeyId\":\"AKIAOTHER\"}"));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceExistsException");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(secrets.valueOfVersion(TOKEN)).contains("{\"accessKeyId\":\"AKIANEW\"}");
    }

    @Test
    void aTokenOutsideThirtyTwoToSixtyFourCharactersIsRefused() {
        AwsServiceException e = refused(() -> put("too-short", "x"));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterException");
        assertThat(e.awsErrorDetails().errorMessage()).contains("clientRequestToken");
    }

    @Test
    void pendingStagesLeaveCurrentWhereItIs() {
        PutSecretValueResponse put = clients.secretsManager("ASIAWRITER").putSecretValue(b -> b
                .secretId(arn).clientRequestToken(TOKEN).secretString("next").versionStages("AWSPENDING"));

        assertThat(put.versionStages()).containsExactly("AWSPENDING");
        assertThat(secrets.describeOrThrow(arn).versionWithStage(SecretsManagerModel.AWSCURRENT)).isEqualTo(firstVersion);
    }

    @Test
    void aCallerWithoutPutSecretValueOnTheSecretIsDenied() {
        AwsServiceException e = refused(() -> clients.secretsManager("ASIAREADER").putSecretValue(b -> b
                .secretId("prod/deploy-key").clientRequestToken(TOKEN).secretString("x")));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(e.awsErrorDetails().errorMessage()).contains("secretsmanager:PutSecretValue").contains(arn);
        assertThat(secrets.describeOrThrow(arn).versionIdsToStages()).hasSize(1);
    }

    @Test
    void anUnknownSecretIsNotFound() {
        iam.addAdministrator("AKIAADMIN", "arn:aws:iam::" + ACCOUNT + ":user/admin");

        AwsServiceException e = refused(() -> clients.secretsManager("AKIAADMIN").putSecretValue(b -> b
                .secretId("prod/none").clientRequestToken(TOKEN).secretString("x")));

        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
    }
}
