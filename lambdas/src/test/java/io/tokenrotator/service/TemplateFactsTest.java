package io.tokenrotator.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TemplateFactsTest {
    @Test
    void anyTransformAddsAutoExpandToTheStacksOwnCapabilities() {
        TemplateFacts sam = new TemplateFacts("Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n");
        TemplateFacts both = new TemplateFacts("{\"Transform\": [\"AWS::LanguageExtensions\", \"AWS::Serverless-2016-10-31\"],"
                + " \"Resources\": {}}");
        TemplateFacts plain = new TemplateFacts("Resources:\n  Q:\n    Type: !Ref Nothing\n");

        assertThat(sam.hasTransform()).isTrue();
        assertThat(sam.capabilitiesFor(List.of("CAPABILITY_IAM"))).containsExactly("CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND");
        assertThat(both.capabilitiesFor(List.of("CAPABILITY_AUTO_EXPAND"))).containsExactly("CAPABILITY_AUTO_EXPAND");
        assertThat(plain.hasTransform()).isFalse();
        assertThat(plain.capabilitiesFor(List.of("CAPABILITY_IAM"))).containsExactly("CAPABILITY_IAM");
    }

    @Test
    void theTemplateBodyLimitCountsBytes() {
        String head = "{\"Resources\": {}, \"Description\": \"";
        String atLimit = head + "x".repeat(TemplateFacts.TEMPLATE_BODY_LIMIT - head.length() - 2) + "\"}";
        assertThat(atLimit).hasSize(TemplateFacts.TEMPLATE_BODY_LIMIT);
        assertThat(new TemplateFacts(atLimit).fitsTemplateBody()).isTrue();
        assertThat(new TemplateFacts(atLimit.replaceFirst("x", "é")).fitsTemplateBody()).as("one two-byte character")
                .isFalse();
    }
}
