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
    private final Map<String, Role> roles = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, String> organizationOf = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong sessionIds = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A role in an account: who may assume it (its trust policy: principal ARNs, or {@code *} for any principal,
     * with the conditions {@code sts:ExternalId} and {@code aws:PrincipalOrgID} when given) and its permissions.
     */
    public record Role(String account, String name, List<String> trustedPrincipalArns, String externalId,
                       String orgId, List<Statement> statements) {
        public Role {
            trustedPrincipalArns = List.copyOf(trustedPrincipalArns);
            statements = List.copyOf(statements);
        }

        public String arn() {
            return "arn:aws:iam::" + account + ":role/" + name;
        }
    }

    /** A role session's temporary credentials (AssumeRole's Credentials element); the secret is not kept. */
    public record TemporaryCredentials(String accessKeyId, String secretAccessKey, String sessionToken,
                                       Instant expiration, String assumedRoleArn, String assumedRoleId) {
        @Override
        public String toString() {
            return "TemporaryCredentials[" + accessKeyId + ", " + assumedRoleArn + ", expires " + expiration + "]";
        }
    }

    /** A session of a role: its permissions are the role's as they are now (a changed role policy applies). */
    private record Session(String account, String roleName, String sessionName, Instant expiration) {}

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

    /**
     * Adds (or replaces) a role in {@code account}. {@code trustedPrincipalArns} name who may assume it: a principal's
     * ARN, the role ARN of an assumed-role session ({@code arn:aws:iam::<account>:role/<name>} trusts every session of
     * that role, IAM user guide, "AWS JSON policy elements: Principal", role sessions), an account's root
     * ({@code arn:aws:iam::<account>:root}: every principal of that account), or {@code *}; {@code externalId} and
     * {@code orgId} (null for none) are the conditions {@code sts:ExternalId} and {@code aws:PrincipalOrgID}.
     */
    public Role addRole(String account, String name, List<String> trustedPrincipalArns, String externalId,
                        String orgId, List<Statement> statements) {
        Role role = new Role(account, name, trustedPrincipalArns, externalId, orgId, statements);
        roles.put(role.arn(), role);
        return role;
    }

    /** DeleteRole: the role is gone; sessions of it no longer authenticate to anything it allowed. */
    public void removeRole(String account, String name) {
        roles.remove("arn:aws:iam::" + account + ":role/" + name);
    }

    /** The role's policy without {@code action} (a target role lacking one permission); applies to live sessions. */
    public Role revoke(String account, String roleName, String action) {
        Role role = role("arn:aws:iam::" + account + ":role/" + roleName)
                .orElseThrow(() -> new IllegalArgumentException("no role " + roleName + " in account " + account));
        List<Statement> kept = new java.util.ArrayList<>();
        for (Statement s : role.statements()) {
            List<String> actions = s.actions().stream().filter(a -> !a.equalsIgnoreCase(action)).toList();
            if (!actions.isEmpty()) {
                kept.add(new Statement(actions, s.resources()));
            }
        }
        return addRole(account, roleName, role.trustedPrincipalArns(), role.externalId(), role.orgId(), kept);
    }

    public Optional<Role> role(String roleArn) {
        return Optional.ofNullable(roleArn).map(roles::get);
    }

    /** Puts accounts in an AWS Organization: {@code aws:PrincipalOrgID} of their principals is {@code orgId}. */
    public void organization(String orgId, java.util.Collection<String> accounts) {
        accounts.forEach(a -> organizationOf.put(a, orgId));
    }

    /**
     * STS AssumeRole (API reference "AssumeRole"): the role must exist, trust the caller (principal, and the
     * conditions sts:ExternalId and aws:PrincipalOrgID), and the caller's identity policy must allow
     * {@code sts:AssumeRole} on the role's ARN (a cross-account assume needs both, IAM user guide, "Cross account
     * resource access in IAM"). Any refusal is the same AccessDenied, naming neither which check failed nor whether
     * the role exists: "User: <caller> is not authorized to perform: sts:AssumeRole on resource: <role arn>".
     * DurationSeconds 900 to the role's maximum (3600 by default) and RoleSessionName 2-64 characters of
     * {@code [\w+=,.@-]} are checked as the API does.
     */
    public TemporaryCredentials assumeRole(Principal caller, String roleArn, String sessionName, String externalId,
                                           Integer durationSeconds, Instant now) {
        if (sessionName == null || !sessionName.matches("[\\w+=,.@-]{2,64}")) {
            throw new AwsError("ValidationError", "1 validation error detected: Value '" + sessionName
                    + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression"
                    + " pattern: [\\w+=,.@-]*", 400);
        }
        int duration = durationSeconds == null ? 3600 : durationSeconds;
        if (duration < 900 || duration > 3600) {
            throw new AwsError("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set"
                    + " for this role.", 400);
        }
        Optional<Role> role = role(roleArn);
        boolean allowed = role.isPresent() && trusts(role.get(), caller, externalId)
                && caller.allows("sts:AssumeRole", roleArn);
        if (!allowed) {
            throw new AwsError("AccessDenied", "User: " + caller.arn()
                    + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn, 403);
        }
        long n = sessionIds.incrementAndGet();
        String keyId = String.format("ASIA%016d", n);
        Role r = role.get();
        sessions.put(keyId, new Session(r.account(), r.name(), sessionName, now.plusSeconds(duration)));
        String roleId = "AROA" + Integer.toHexString(r.arn().hashCode()).toUpperCase(java.util.Locale.ROOT);
        return new TemporaryCredentials(keyId, "sim-secret-" + java.util.UUID.randomUUID(),
                "sim-session-token-" + java.util.UUID.randomUUID(), now.plusSeconds(duration),
                "arn:aws:sts::" + r.account() + ":assumed-role/" + r.name() + "/" + sessionName,
                roleId + ":" + sessionName);
    }

    private boolean trusts(Role role, Principal caller, String externalId) {
        String callerArn = caller.arn();
        String sessionRole = callerArn.contains(":assumed-role/")
                ? "arn:aws:iam::" + caller.account() + ":role/" + callerArn.split("/")[1] : null;
        boolean principal = role.trustedPrincipalArns().stream().anyMatch(t -> t.equals("*") || t.equals(callerArn)
                || t.equals(sessionRole) || t.equals("arn:aws:iam::" + caller.account() + ":root"));
        boolean external = role.externalId() == null || role.externalId().equals(externalId);
        boolean org = role.orgId() == null || role.orgId().equals(organizationOf.get(caller.account()));
        return principal && external && org;
    }

    /** Whether this access key id is a role session's whose credentials have expired at {@code now}. */
    public boolean expired(String accessKeyId, Instant now) {
        Session s = accessKeyId == null ? null : sessions.get(accessKeyId);
        return s != null && !now.isBefore(s.expiration());
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
        Session session = accessKeyId == null ? null : sessions.get(accessKeyId);
        if (session != null) {
            Role role = roles.get("arn:aws:iam::" + session.account() + ":role/" + session.roleName());
            if (role == null || !now.isBefore(session.expiration())) {
                return Optional.empty();
            }
            return Optional.of(new Principal(accessKeyId, "arn:aws:sts::" + session.account() + ":assumed-role/"
                    + session.roleName() + "/" + session.sessionName(), role.statements()));
        }
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
