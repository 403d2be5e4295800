package org.joinleaf.runtime.dto;

/** One open socket of one process (the bundle that uses that Winsock instance). */
public final class SocketDTO {
    /** The bundle whose Winsock instance owns the socket: {@code symbolic.name [id]}. */
    public String process;
    public long handle;
    /** {@code c_root/d_root}, {@code c_leaf/d_leaf}, ... or {@code point-to-point}. */
    public String kind;
    /**
     * {@code idle}, {@code listening}, {@code connect pending}, {@code join pending}, {@code connected},
     * {@code joined}, {@code closed (WSAECONNRESET)} (the peer or session closed it, with the code), {@code broken},
     * {@code down}.
     */
    public String state;
    /** The handle of the c_root whose session this c_leaf belongs to (it accepted or invited it), or 0. */
    public long root;
    public String provider;
    public String entry;
    /** The peer's address, or empty when there is none (a listening root, an unjoined socket). */
    public String peer;
    public CountersDTO counters;
}
