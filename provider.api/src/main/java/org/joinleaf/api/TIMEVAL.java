package org.joinleaf.api;

/** {@code timeval}: {@code select}'s timeout; {@code null} waits forever, zero polls. */
public final class TIMEVAL {
    public int tv_sec;
    public int tv_usec;

    public TIMEVAL() {
    }

    public TIMEVAL(int tv_sec, int tv_usec) {
        this.tv_sec = tv_sec;
        this.tv_usec = tv_usec;
    }
}
