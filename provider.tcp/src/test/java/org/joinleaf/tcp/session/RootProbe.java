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

    /**
     * True while Netty holds the link's connection writable: what its slow-leaf timer needs false for the whole
     * timeout (the backlog counted from the send may be at the mark while frames still wait on the loop).
     */
    public static boolean writable(ProviderSocket link) {
        return ((LinkSocket) link).channel().isWritable();
    }

    /** True once the link ended (closed, evicted, or the leaf left). */
    public static boolean ended(ProviderSocket link) {
        return ((LinkSocket) link).ended();
    }
}
