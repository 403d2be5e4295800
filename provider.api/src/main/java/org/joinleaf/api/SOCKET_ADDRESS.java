package org.joinleaf.api;

/** {@code SOCKET_ADDRESS}: one address of a {@link SOCKET_ADDRESS_LIST}. */
public final class SOCKET_ADDRESS {
    public SOCKADDR lpSockaddr;
    public int iSockaddrLength;
}
