package io.tokenrotator.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who signed a request and what its identity policy allows. A request names its signer in the SigV4
 * {@code Authorization} header ({@code Credential=<access key id>/<date>/<region>/<service>/aws4_request}); the
 * simulator looks the access key id up here and evaluates the principal's Allow statements. Anything no statement
 * allows is denied (IAM's implicit deny); an unknown access key is refused outright. Signatures are not verified:
 * the key id alone names the caller. Principals are either added with their key ({@link #add}: roles, the operator)
 * or are IAM users whose access keys come and go through the IAM API ({@link #users()}).
 */
public final class IamModel {
    private static final Pattern CREDENTIAL =
            Pattern.compile("Credential=([^/,\\s]+)/[^/]*/([^/]*)/([^/]*)/aws4_request");

    /** One Allow statement: action names and resource ARNs, with {@code *} and {@code ?} as IAM matches them. */
    public record Statement(List<String> actions, List<String> resources) {
        public Statement {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
        }

        boolean allows(String action, String resource) {
            return actions.stream().anyMatch(a -> actionMatches(a, action))
                    && resources.stream().anyMatch(r -> resourceMatches(r, resource));
        }
    }

    /** A principal: the access key it signs with, its ARN (as error messages show it) and its statements. */
    public record Principal(String accessKeyId, String arn, List<Statement> statements) {
        public Principal {
            statements = List.copyOf(statements);
        }

        public boolean allows(String action, String resource) {
            return statements.stream().anyMatch(s -> s.allows(action, resource));
        }

        /** The IAM user this principal is ({@code arn:aws:iam::<account>:user/[path/]<name>}), if it is one. */
        public Optional<String> userName() {
            int user = arn.indexOf(":user/");
            return user < 0 ? Optional.empty() : Optional.of(arn.substring(arn.lastIndexOf('/') + 1));
        }

        /** The account the principal belongs to: the fifth field of its ARN. */
        public String account() {
            return arn.split(":", 6)[4];
        }

        /** Throws {@link Denied} unless a statement allows the action on the resource ("*" for none). */
        public void require(String action, String resource) {
            if (!allows(action, resource)) {
                throw new Denied(this, action, resource);
            }
        }
    }

    /** What the SigV4 header says: the access key id, the region and the service the request was signed for. */
    public record Signature(String accessKeyId, String region, String service) {
        /** Parses an {@code Authorization: AWS4-HMAC-SHA256 Credential=...} header; empty if it has none. */
        public static Optional<Signature> parse(String authorization) {
            if (authorization == null) {
                return Optional.empty();
            }
            Matcher m = CREDENTIAL.matcher(authorization);
            return m.find() ? Optional.of(new Signature(m.group(1), m.group(2), m.group(3))) : Optional.empty();
        }
    }

    /**
     * An implicit deny. The message is the one AWS writes for it ("User: ... is not authorized to perform: ... on
     * resource: ... because no identity-based policy allows the ... action"; an action without resource-level
     * permissions names no resource), e.g. aws/aws-cdk#31845, aws-cloudformation-templates#358.
     */
    public static final class Denied extends RuntimeException {
        private final Principal principal;
        private final String action;
        private final String resource;

        Denied(Principal principal, String action, String resource) {
            super(message(principal, action, resource, false));
            this.principal = principal;
            this.action = action;
            this.resource = resource;
        }

        public String action() {
            return action;
        }

        public String resource() {
            return resource;
        }

        /** S3 quotes the resource ARN in its message (S3 user guide, "Troubleshoot access denied (403 Forbidden)"). */
        public String s3Message() {
            return message(principal, action, resource, true);
        }

        private static String message(Principal p, String action, String resource, boolean quoted) {
            String on = "*".equals(resource) ? "" : " on resource: " + (quoted ? "\"" + resource + "\"" : resource);
            return "User: " + p.arn() + " is not authorized to perform: " + action + on
                    + " because no identity-based policy allows the " + action + " action";
        }
    }

    private static final Map<String, Pattern> ACTION_PATTERNS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> RESOURCE_PATTERNS = new ConcurrentHashMap<>();
    /** The account of every principal the tests and the local run use. */
    public static final String DEFAULT_ACCOUNT = "123456789012";

    private final Map<String, Principal> byAccessKey = new ConcurrentHashMap<>();
    private final IamUsers users;

    /** Account {@value #DEFAULT_ACCOUNT}, new access keys usable after {@link IamUsers#DEFAULT_PROPAGATION_DELAY}. */
    public IamModel() {
        this(DEFAULT_ACCOUNT, IamUsers.DEFAULT_PROPAGATION_DELAY);
    }

    /** @param propagationDelay how long a new access key is refused after CreateAccessKey (eventual consistency) */
    public IamModel(String account, Duration propagationDelay) {
        this.users = new IamUsers(account, propagationDelay);
    }

    /** The account's IAM users and their access keys. */
    public IamUsers users() {
        return users;
    }

    /** The key-usage invariant violations recorded so far (see {@link IamUsers#violations()}). */
    public List<String> violations() {
        return users.violations();
    }

    public Principal add(Principal principal) {
        byAccessKey.put(principal.accessKeyId(), principal);
        return principal;
    }

    /** A principal allowed everything (AdministratorAccess): for tests and the operator path, never for handlers. */
    public Principal addAdministrator(String accessKeyId, String arn) {
        return add(new Principal(accessKeyId, arn, List.of(new Statement(List.of("*"), List.of("*")))));
    }

    public Optional<Principal> principal(String accessKeyId) {
        return Optional.ofNullable(accessKeyId).map(byAccessKey::get);
    }

    /**
     * Who a request signed with this access key id acts as at {@code now}: a principal added with its key, or the IAM
     * user whose Active, propagated access key it is; empty for any other key (unknown, Inactive, deleted, too new).
     */
    public Optional<Principal> authenticate(String accessKeyId, Instant now) {
        Optional<Principal> added = principal(accessKeyId);
        return added.isPresent() ? added
                : users.authenticate(accessKeyId, now).map(u -> new Principal(accessKeyId, u.arn(), u.statements()));
    }

    /**
     * IAM action matching: case-insensitive, {@code *} any run of characters, {@code ?} one character (IAM user
     * guide, "IAM JSON policy elements: Action").
     */
    static boolean actionMatches(String pattern, String action) {
        return ACTION_PATTERNS.computeIfAbsent(pattern,
                p -> Pattern.compile(globToRegex(p, false), Pattern.CASE_INSENSITIVE)).matcher(action).matches();
    }

    /**
     * IAM resource matching: case-sensitive; {@code *} and {@code ?} match within one colon-separated ARN segment,
     * except that a {@code *} ending a segment may extend across colons (IAM user guide, "IAM JSON policy elements:
     * Resource", using wildcards in resource ARNs). A bare {@code *} matches everything.
     */
    static boolean resourceMatches(String pattern, String arn) {
        return RESOURCE_PATTERNS.computeIfAbsent(pattern, p -> Pattern.compile(globToRegex(p, true)))
                .matcher(arn).matches();
    }

    private static String globToRegex(String glob, boolean segments) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            boolean endsSegment = i + 1 == glob.length() || glob.charAt(i + 1) == ':';
            if (c == '*') {
                regex.append(segments && !endsSegment ? "[^:]*" : ".*");
            } else if (c == '?') {
                regex.append(segments ? "[^:]" : ".");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }
}
