package io.tokenrotator.cli;

import io.tokenrotator.cli.local.ProgressListener;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * A one-line progress bar on stderr: stacks done of total and the outcomes so far. Redrawn in place on a terminal;
 * elsewhere (CI logs) a line per 10 percent.
 */
public final class ProgressBar implements ProgressListener {
    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private int total = -1;
    private int done;
    private int lastDecile = -1;

    public ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void planned(int toRotate, int skipped) {
        total = toRotate;
        out.println("Rotating " + toRotate + " stack(s); " + skipped + " skipped.");
        draw();
    }

    @Override
    public synchronized void stackDone(String outcome) {
        done++;
        outcomes.merge(outcome, 1, Integer::sum);
        draw();
    }

    /** Ends the bar's line. */
    public synchronized void finish() {
        if (terminal && total > 0) {
            out.println();
        }
    }

    private void draw() {
        if (total <= 0) {
            return;
        }
        int width = 30;
        int filled = (int) ((long) done * width / total);
        String bar = "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + done + "/" + total + " stacks  "
                + outcomes.toString().replace("{", "").replace("}", "").replace("=", " ");
        if (terminal) {
            out.print("\r" + bar);
            out.flush();
        } else {
            int decile = (int) ((long) done * 10 / total);
            if (decile != lastDecile) {
                lastDecile = decile;
                out.println(bar);
            }
        }
    }
}
