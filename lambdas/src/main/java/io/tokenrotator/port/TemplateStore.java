package io.tokenrotator.port;

/**
 * Where Update Stack puts an original template too large for UpdateStack's TemplateBody (51,200 bytes), for
 * CloudFormation to fetch by TemplateURL with the caller's credentials.
 */
public interface TemplateStore {
    /** Stores the template of one stack for one run; returns its {@code https://} URL for TemplateURL. */
    String upload(String runId, String stackId, String templateBody);
}
