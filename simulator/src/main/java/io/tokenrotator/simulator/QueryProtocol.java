package io.tokenrotator.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static io.tokenrotator.simulator.Xml.element;

/**
 * The AWS Query protocol that CloudFormation, IAM and STS speak: a form-encoded POST naming the {@code Action}, an
 * {@code <ActionResponse>} with an {@code <ActionResult>} and {@code <ResponseMetadata>}, and errors as
 * {@code <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/></ErrorResponse>}.
 */
final class QueryProtocol {
    private QueryProtocol() {}

    static Map<String, String> parseForm(String body) {
        Map<String, String> form = new TreeMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    /** The caller, or the Query services' answer to a key they do not accept: 403 InvalidClientTokenId. */
    static IamModel.Principal authenticated(Optional<IamModel.Principal> caller) {
        return caller.orElseThrow(() -> new AwsError("InvalidClientTokenId",
                "The security token included in the request is invalid.", 403));
    }

    /** A successful answer; {@code result} null for an action that returns nothing (no Result element). */
    static String response(String namespace, String action, String result) {
        return "<" + action + "Response xmlns=\"" + namespace + "\">"
                + (result == null ? "" : "<" + action + "Result>" + result + "</" + action + "Result>")
                + "<ResponseMetadata><RequestId>" + UUID.randomUUID() + "</RequestId></ResponseMetadata>"
                + "</" + action + "Response>";
    }

    static String error(String namespace, AwsError e) {
        return "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>Sender</Type>" + element("Code", e.code())
                + element("Message", e.getMessage()) + "</Error><RequestId>" + UUID.randomUUID()
                + "</RequestId></ErrorResponse>";
    }
}
