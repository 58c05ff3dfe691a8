package io.tokenrotator.store;

import io.tokenrotator.testing.SimulatedAws;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Stack leases as S3 objects, over the simulator's S3 and its conditional writes (If-None-Match, If-Match). */
class S3StackLeasesTest {
    private static final String STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/app/1";
    private final SimulatedAws aws = new SimulatedAws();
    private final S3StackLeases leases;

    S3StackLeasesTest() {
        aws.runStore(); // creates the bucket
        leases = new S3StackLeases(aws.s3Client, SimulatedAws.RUN_BUCKET, aws.clock.asJavaClock());
    }

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void oneRunHoldsALeaseUntilItReleasesIt() {
        assertThat(leases.acquire(STACK, "run-a", Duration.ofHours(1))).isEmpty();
        assertThat(leases.acquire(STACK, "run-b", Duration.ofHours(1)))
                .hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("run-a"));
        assertThat(leases.acquire(STACK, "run-a", Duration.ofHours(1))).as("renewed by its holder").isEmpty();

        leases.release(STACK, "run-b"); // not the holder: nothing happens
        assertThat(leases.acquire(STACK, "run-b", Duration.ofHours(1))).isPresent();
        leases.release(STACK, "run-a");
        assertThat(aws.cloudFormation.s3().inspect(SimulatedAws.RUN_BUCKET, S3StackLeases.key(STACK))).isEmpty();
        assertThat(leases.acquire(STACK, "run-b", Duration.ofHours(1))).isEmpty();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndReleasingAGoneLeaseIsHarmless() {
        leases.acquire(STACK, "dead-run", Duration.ofMinutes(10));
        aws.advance(Duration.ofMinutes(11));

        assertThat(leases.acquire(STACK, "run-b", Duration.ofHours(1))).isEmpty();
        assertThat(leases.acquire(STACK, "dead-run", Duration.ofHours(1)))
                .hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo("run-b"));
        leases.release(STACK, "run-b");
        leases.release(STACK, "run-b");
    }

    @Test
    void ofManyRunsRacingForOneStackExactlyOneWins() {
        List<CompletableFuture<Boolean>> racers = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() ->
                        leases.acquire(STACK, "run-" + i, Duration.ofHours(1)).isEmpty())).toList();

        long winners = racers.stream().filter(CompletableFuture::join).count();

        assertThat(winners).isEqualTo(1);
    }
}
