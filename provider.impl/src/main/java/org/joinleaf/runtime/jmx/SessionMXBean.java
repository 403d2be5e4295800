package org.joinleaf.runtime.jmx;

/**
 * JMX view of one root session: a c_root socket of one process and the leaves it accepted or invited,
 * {@code org.joinleaf:type=Session,process=<bundle [id]>,handle=<0x104>}, registered while the c_root is open.
 */
public interface SessionMXBean {
    /** The bundle whose Winsock instance owns the root: {@code symbolic.name [id]}. */
    String getProcess();

    /** The root's handle, hex as in the shell and the log. */
    String getHandle();

    String getProvider();

    /** {@code c_root/d_root} or {@code c_root/d_leaf}. */
    String getKind();

    /** What the root does: {@code listening}, {@code joined}, {@code closed (WSAE...)}, {@code down} ... */
    String getState();

    /** Leaves of this session open in the process now (accepted or invited c_leaf sockets). */
    int getLeaves();

    long getBytesIn();

    long getBytesOut();

    long getMessagesIn();

    long getMessagesOut();
}
