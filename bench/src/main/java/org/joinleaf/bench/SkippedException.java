package org.joinleaf.bench;

/** The machine cannot run a benchmark (for example no multicast on loopback); the message says why. */
public final class SkippedException extends Exception {
    private static final long serialVersionUID = 1L;

    public SkippedException(String reason) {
        super(reason);
    }
}
