package io.tokenrotator.simulator;

/** An error the simulated service answers with: the AWS error code, its message and the HTTP status. */
public class AwsError extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public AwsError(String code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public static AwsError validation(String message) {
        return new AwsError("ValidationError", message, 400);
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
