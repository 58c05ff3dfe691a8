package io.tokenrotator.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** S3 as the SDK v2 sees it, path-style: its default checksummed uploads, listing, and who may read what. */
class S3OverTheWireTest {
    private static final String BUCKET = "runs-bucket";
    private static final String READER = "arn:aws:sts::123456789012:assumed-role/TokenRotator-LoadPlannedStackRole/Load";
    private final SimClock.Manual clock = SimClock.manual();
    private final SecretsManagerModel secrets = new SecretsManagerModel("us-east-1", "123456789012");
    private final S3Model s3 = new S3Model(clock);
    private final CloudFormationModel model = new CloudFormationModel(clock, secrets,
            new ParameterStoreModel("us-east-1", "123456789012"), s3, "us-east-1", "123456789012");
    private final IamModel iam = new IamModel();
    private final SimulatorServer server;
    private final SignedClients clients;

    S3OverTheWireTest() throws IOException {
        server = new SimulatorServer(model, secrets, iam, clock);
        clients = new SignedClients(server.endpoint());
        s3.createBucket(BUCKET);
        iam.addAdministrator("ADMIN", "arn:aws:iam::123456789012:user/admin");
    }

    @AfterEach
    void close() {
        server.close();
        clients.close();
    }

    private S3Client client(String accessKeyId) {
        return clients.s3(accessKeyId);
    }

    private void role(String accessKeyId, String action, String resource) {
        iam.add(new IamModel.Principal(accessKeyId, READER, List.of(new IamModel.Statement(List.of(action),
                List.of(resource)))));
    }

    @Test
    void theSdksDefaultChecksummedUploadIsDecodedVerifiedAndReadBack() {
        S3Client admin = client("ADMIN");
        String json = "{\"runId\": \"exec-1\", \"stacks\": [" + "\"app\",".repeat(5000) + "\"last\"]}";

        admin.putObject(b -> b.bucket(BUCKET).key("runs/exec-1/plan.json").contentType("application/json"),
                RequestBody.fromString(json));

        S3Model.StoredObject stored = s3.inspect(BUCKET, "runs/exec-1/plan.json").orElseThrow();
        assertThat(new String(stored.body(), StandardCharsets.UTF_8)).isEqualTo(json);
        assertThat(stored.checksumCrc32()).as("the SDK sent its default CRC32").isEqualTo(S3Endpoint.crc32(stored.body()));
        assertThat(stored.contentType()).isEqualTo("application/json");
        assertThat(admin.getObjectAsBytes(b -> b.bucket(BUCKET).key("runs/exec-1/plan.json")).asUtf8String()).isEqualTo(json);
        assertThat(admin.headObject(b -> b.bucket(BUCKET).key("runs/exec-1/plan.json")).eTag()).isEqualTo(stored.etag());
        assertThat(server.s3CallCounts()).containsEntry("PutObject", 1L).containsEntry("GetObject", 1L)
                .containsEntry("HeadObject", 1L);
    }

    @Test
    void aChecksumThatDoesNotMatchIsBadDigest() {
        S3Exception e = catchThrowableOfType(S3Exception.class, () -> client("ADMIN").putObject(b -> b.bucket(BUCKET)
                .key("k").checksumCRC32("AAAAAA=="), RequestBody.fromString("payload")));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
        assertThat(s3.inspect(BUCKET, "k")).isEmpty();
    }

    @Test
    void listObjectsV2PagesAThousandKeysAtATimeUnderThePrefix() {
        S3Client admin = client("ADMIN");
        IntStream.range(0, 1005).forEach(i -> s3.put(iam.principal("ADMIN").orElseThrow(), BUCKET,
                String.format("runs/exec-1/results/%05d.json", i), new byte[] {'{', '}'}, "application/json", null));
        s3.put(iam.principal("ADMIN").orElseThrow(), BUCKET, "runs/exec-2/results/00000.json", new byte[0], null, null);

        List<String> keys = admin.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("runs/exec-1/results/"))
                .contents().stream().map(S3Object::key).toList();

        assertThat(keys).hasSize(1005).first().isEqualTo("runs/exec-1/results/00000.json");
        assertThat(keys).last().isEqualTo("runs/exec-1/results/01004.json");
        assertThat(keys).isSorted();
        assertThat(server.s3CallCounts()).containsEntry("ListObjectsV2", 2L);
    }

    @Test
    void aMissingKeyIsNoSuchKeyOnlyForACallerWhoMayListTheBucket() {
        role("ASIAREADER", "s3:GetObject", "arn:aws:s3:::" + BUCKET + "/runs/*");
        iam.add(new IamModel.Principal("ASIALISTER", READER, List.of(
                new IamModel.Statement(List.of("s3:GetObject"), List.of("arn:aws:s3:::" + BUCKET + "/runs/*")),
                new IamModel.Statement(List.of("s3:ListBucket"), List.of("arn:aws:s3:::" + BUCKET)))));

        S3Exception denied = catchThrowableOfType(S3Exception.class,
                () -> client("ASIAREADER").getObjectAsBytes(b -> b.bucket(BUCKET).key("runs/nope/plan.json")));
        assertThat(denied).isNotInstanceOf(NoSuchKeyException.class);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");

        assertThatThrownBy(() -> client("ASIALISTER").getObjectAsBytes(b -> b.bucket(BUCKET).key("runs/nope/plan.json")))
                .isInstanceOfSatisfying(NoSuchKeyException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void aCallOutsideTheGrantIsAccessDeniedWithTheResourceQuoted() {
        role("ASIAREADER", "s3:GetObject", "arn:aws:s3:::" + BUCKET + "/runs/*");

        S3Exception e = catchThrowableOfType(S3Exception.class, () -> client("ASIAREADER")
                .putObject(b -> b.bucket(BUCKET).key("runs/exec-1/plan.json"), RequestBody.fromString("{}")));
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("User: " + READER + " is not authorized to perform:"
                + " s3:PutObject on resource: \"arn:aws:s3:::" + BUCKET + "/runs/exec-1/plan.json\" because no"
                + " identity-based policy allows the s3:PutObject action");
        assertThat(s3.inspect(BUCKET, "runs/exec-1/plan.json")).isEmpty();
    }

    @Test
    void anUnknownAccessKeyIsInvalidAccessKeyId() {
        S3Exception e = catchThrowableOfType(S3Exception.class,
                () -> client("AKIAUNKNOWN").getObjectAsBytes(b -> b.bucket(BUCKET).key("k")));
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidAccessKeyId");
    }

    @Test
    void decodesSignedChunksAndTheirTrailer() {
        String body = "5;chunk-signature=abc\r\nhello\r\n6;chunk-signature=def\r\n world\r\n0;chunk-signature=0a\r\n"
                + "x-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:ff\r\n\r\n";
        AwsChunked.Decoded d = AwsChunked.decode(body.getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(d.payload(), StandardCharsets.UTF_8)).isEqualTo("hello world");
        assertThat(d.trailers()).containsEntry("x-amz-checksum-crc32", "DUoRhQ==");
        assertThat(S3Endpoint.crc32("hello world".getBytes(StandardCharsets.UTF_8))).isEqualTo("DUoRhQ==");
    }
}
