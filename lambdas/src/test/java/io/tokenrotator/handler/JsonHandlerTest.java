package io.tokenrotator.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotator.errors.AwsUnavailableException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonHandlerTest {
    /** Seen in a 1,000-stack local run: the URL-connection client let a dropped connection escape unwrapped. */
    @Test
    void aConnectionThatBrokeMidCallIsRetryableNotAnUnknownError() {
        JsonHandler<JsonNode, JsonNode> handler = new JsonHandler<>(JsonNode.class) {
            @Override
            public JsonNode handle(JsonNode input) {
                throw new UncheckedIOException(new SocketException("Unexpected end of file from server"));
            }
        };
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), new LocalContext("r-1", "UpdateStack")))
                .isExactlyInstanceOf(AwsUnavailableException.class)
                .hasMessageContaining("Unexpected end of file from server");
    }

    @Test
    void otherErrorsPassThroughAsTheyAre() {
        JsonHandler<JsonNode, JsonNode> handler = new JsonHandler<>(JsonNode.class) {
            @Override
            public JsonNode handle(JsonNode input) {
                throw new IllegalStateException("a bug");
            }
        };
        assertThatThrownBy(() -> handler.handleRequest(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayOutputStream(), null)).isExactlyInstanceOf(IllegalStateException.class);
    }
}
