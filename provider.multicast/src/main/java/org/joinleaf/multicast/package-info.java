/**
 * The IP multicast transport provider: Winsock's non-rooted control and data planes (§1.3) on
 * {@link java.nio.channels.DatagramChannel} group membership. Every member is a {@code C_LEAF|D_LEAF} socket,
 * {@code WSAJoinLeaf} is {@code IP_ADD_MEMBERSHIP}, and the wire is plain IP multicast, so any multicast program is
 * a peer. Private to the bundle: the provider is reached only as a {@link org.joinleaf.spi.TransportProvider}
 * service.
 */
package org.joinleaf.multicast;
