package io.tokenrotator.cli.local;

/** Told as a run makes progress: once the plan is known, then once per finished stack. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() { };

    default void planned(int toRotate, int skipped) {
    }

    default void stackDone(String outcome) {
    }
}
