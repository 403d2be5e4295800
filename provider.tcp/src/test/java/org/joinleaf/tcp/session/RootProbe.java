package org.joinleaf.tcp.session;

import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;

/** Test bridge: what a c_root counts of its links' backlogs (decision 56), for tests outside this package. */
public final class RootProbe {
    private RootProbe() {
    }

    /** The root's count of links at or over the high water mark. */
    public static int linksAtMark(MultipointSocket root) {
        return ((RootSocket) root).linksAtMark();
    }

    /** A root's c_leaf link's backlog, counted from the send. */
    public static long backlog(ProviderSocket link) {
        return ((LinkSocket) link).backlogBytes();
    }
}
