package org.joinleaf.api;

/**
 * {@code WSADATA}: what {@code WSAStartup} fills in. Winsock rule (§4): {@code wVersion} is the version the caller
 * will use, {@code min(requested, wHighVersion)}.
 */
public final class WSADATA {
    public short wVersion;
    public short wHighVersion;
    public String szDescription = "";
    public String szSystemStatus = "";
    /** Ignored since Winsock 2; kept for ported code. */
    public int iMaxSockets;
    /** Ignored since Winsock 2; kept for ported code. */
    public int iMaxUdpDg;
}
