package io.tokenrotator.errors;

/**
 * Not a failure: a stack's first update reached Update Stack more than five seconds after its point in the run's
 * pacing (the Map starting its children, cold functions), so it was not sent: late calls come together and would take
 * the points of the stacks on time. Nothing changed. The workflow loads the stack again, which gives it its late
 * points, in the second round behind every stack on time. The workflow matches this class's fully qualified name:
 * never wrap it.
 */
public class SlotMissedException extends TokenRotatorException {
    public SlotMissedException(String stackName, String message) {
        super(stackName, message);
    }
}
