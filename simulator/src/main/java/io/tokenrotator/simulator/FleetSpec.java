package io.tokenrotator.simulator;

import java.time.Duration;

/**
 * A simulated fleet to rotate: how many consumer stacks, how long their updates take, and which faults they
 * carry. Rates are fractions of the stacks (0 to 1), drawn with {@code seed}.
 *
 * @param stacks             consumer stacks (declaring RotateToken)
 * @param seed               makes the fleet and its faults reproducible
 * @param updateDuration     mean duration of one stack update
 * @param updateSpread       each update takes updateDuration +/- up to this much
 * @param phase1Failures     updates to false roll back (once): the stack is FAILED, left at true
 * @param phase2Transient    updates to true roll back once: the workflow's restore retry fixes them
 * @param phase2Permanent    updates to true always roll back: NEEDS_ATTENTION, left at false
 * @param busy               busy with another operation for a while when the run starts
 * @param leftAtFalse        already at RotateToken=false (an earlier run left them): must be restored
 * @param nested             nested stacks (skipped)
 * @param notUpdatable       in ROLLBACK_COMPLETE or UPDATE_ROLLBACK_FAILED (skipped)
 * @param withCapabilities   need CAPABILITY_IAM (and were created with it)
 * @param languageExtensions use the AWS::LanguageExtensions transform
 * @param unrelated          extra stacks without the parameter (ignored)
 * @param kinds              how many consumers are of each kind real accounts have (CDK, SAM, ...)
 */
public record FleetSpec(int stacks, long seed, Duration updateDuration, Duration updateSpread,
                        double phase1Failures, double phase2Transient, double phase2Permanent, double busy,
                        double leftAtFalse, double nested, double notUpdatable, double withCapabilities,
                        double languageExtensions, int unrelated, Kinds kinds) {

    /**
     * Consumers as real accounts have them, as fractions of the stacks. Template kinds are drawn after
     * {@code withCapabilities} and {@code languageExtensions}, each among the stacks no earlier kind took.
     *
     * @param cdkSynthesized          written by {@code cdk synth}: BootstrapVersion read from SSM, CDKMetadata, the
     *                                CheckBootstrapVersion rule
     * @param sam                     {@code Transform: AWS::Serverless-2016-10-31}, deployed without
     *                                CAPABILITY_AUTO_EXPAND in their capabilities
     * @param largeLanguageExtensions AWS::LanguageExtensions with an original template over 51,200 bytes
     * @param ssmAmi                  a launch template whose AMI id is an {@code AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>};
     *                                a newer AMI is published before the run, so the rotation applies it too
     * @param updateFailed            in UPDATE_FAILED: an update with DisableRollback failed; they can be updated
     * @param nestedConsumers         nested consumers whose root only holds the AWS::CloudFormation::Stack (the
     *                                root has no RotateToken)
     * @param inPlace                 the in-place convention (a TokenVersion parameter, no RotateToken): half with
     *                                TokenVersion in the resource's Description, half in the reference's version-id
     */
    public record Kinds(double cdkSynthesized, double sam, double largeLanguageExtensions, double ssmAmi,
                        double updateFailed, double nestedConsumers, double inPlace) {
        /** What {@code ./token-rotator simulate} makes. */
        public static final Kinds DEFAULT = new Kinds(0.15, 0.05, 0.04, 0.06, 0.04, 0.04, 0.2);
        public static final Kinds NONE = new Kinds(0, 0, 0, 0, 0, 0, 0);

        public Kinds {
            for (double rate : new double[] {cdkSynthesized, sam, largeLanguageExtensions, ssmAmi, updateFailed,
                    nestedConsumers, inPlace}) {
                fraction(rate);
            }
        }
    }

    /** The fleet with {@link Kinds#DEFAULT} consumer kinds. */
    public FleetSpec(int stacks, long seed, Duration updateDuration, Duration updateSpread, double phase1Failures,
                     double phase2Transient, double phase2Permanent, double busy, double leftAtFalse, double nested,
                     double notUpdatable, double withCapabilities, double languageExtensions, int unrelated) {
        this(stacks, seed, updateDuration, updateSpread, phase1Failures, phase2Transient, phase2Permanent, busy,
                leftAtFalse, nested, notUpdatable, withCapabilities, languageExtensions, unrelated, Kinds.DEFAULT);
    }

    /** Every stack plain and healthy. */
    public static FleetSpec healthy(int stacks, long seed, Duration updateDuration) {
        return new FleetSpec(stacks, seed, updateDuration, Duration.ZERO, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Kinds.NONE);
    }

    public FleetSpec {
        if (stacks < 0 || stacks > 100_000) {
            throw new IllegalArgumentException("stacks must be from 0 to 100000, got " + stacks);
        }
        for (double rate : new double[] {phase1Failures, phase2Transient, phase2Permanent, busy, leftAtFalse, nested,
                notUpdatable, withCapabilities, languageExtensions}) {
            fraction(rate);
        }
        if (kinds == null) {
            throw new IllegalArgumentException("kinds must be given (Kinds.NONE for none)");
        }
        if (updateDuration.isNegative() || updateDuration.isZero() || updateSpread.compareTo(updateDuration) >= 0) {
            throw new IllegalArgumentException("updateDuration must be positive and larger than updateSpread");
        }
    }

    private static void fraction(double rate) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("fault rates are fractions from 0 to 1, got " + rate);
        }
    }
}
