package org.joinleaf.api;

/**
 * {@code QOS}: one {@link FLOWSPEC} per direction plus an optional provider-specific buffer. Winsock rules it
 * carries (§3 R33–R35, §5): {@code lpSQOS} of {@code WSAJoinLeaf} replaces any earlier {@code SIO_SET_QOS}; NULL
 * means no QoS; the flowspec of a direction the socket does not use is ignored; a flowspec that cannot be met
 * fails the join with {@code WSAEOPNOTSUPP}.
 */
public final class QOS {
    /** {@code sizeof(QOS)} on 64-bit Windows: two FLOWSPECs and a WSABUF. */
    public static final int SIZE = 2 * FLOWSPEC.SIZE + 16;

    /** Traffic this socket sends. */
    public FLOWSPEC SendingFlowspec = new FLOWSPEC();
    /** Traffic this socket receives. */
    public FLOWSPEC ReceivingFlowspec = new FLOWSPEC();
    /** Provider-specific objects ({@code QOS_OBJECT_HDR}...); {@code len} 0 when unused. */
    public WSABUF ProviderSpecific = new WSABUF();

    /** Both directions {@code SERVICETYPE_NOTRAFFIC}, no provider-specific part. */
    public QOS() {
    }

    /** A deep copy of {@code other}. */
    public QOS(QOS other) {
        SendingFlowspec = new FLOWSPEC(other.SendingFlowspec);
        ReceivingFlowspec = new FLOWSPEC(other.ReceivingFlowspec);
        ProviderSpecific = new WSABUF(other.ProviderSpecific.len, other.ProviderSpecific.toBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QOS && SendingFlowspec.equals(((QOS) o).SendingFlowspec)
                && ReceivingFlowspec.equals(((QOS) o).ReceivingFlowspec)
                && java.util.Arrays.equals(ProviderSpecific.toBytes(), ((QOS) o).ProviderSpecific.toBytes());
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(SendingFlowspec, ReceivingFlowspec);
    }

    @Override
    public String toString() {
        return "QOS{send=" + SendingFlowspec + ", receive=" + ReceivingFlowspec + "}";
    }
}
