package org.joinleaf.local;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * A c_leaf/d_leaf datagram socket of the non-rooted entry (IP-multicast-like, §1.3): {@code join} subscribes to a
 * group unless {@code JL_SENDER_ONLY}; a send to the group reaches every subscriber. Loopback off
 * ({@code SIO_MULTIPOINT_LOOPBACK} or {@code IP_MULTICAST_LOOP} FALSE) is applied on the receive path, as Windows and
 * provider.multicast do (issue 13): a subscriber with loopback off drops every group datagram sent from this host,
 * which here is every one, since all senders are sockets of this JVM. A full receiver drops the datagram and the
 * drop is counted. A socket that joined a
 * group receives that group only (issue 11): unicast sent to its address is lost, as the IP multicast provider's
 * group-bound receiving channel never sees it.
 */
final class MulticastSocket extends LocalSocket implements MultipointSocket {
    private volatile SOCKADDR group;
    private volatile boolean subscribed;
    /** Where send without a destination goes once connect named one (issue 13); null: the joined group. */
    private volatile SOCKADDR defaultDestination;
    private final AtomicLong filtered = new AtomicLong();

    MulticastSocket(LocalNetwork network, int family, SocketUpcalls upcalls) {
        super(network, SessionKind.MULTICAST, family, upcalls);
    }

    /** Joins the group {@code request.name()}; no callee data, caller data ignored (decisions 9). */
    @Override
    public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        network.checkUp();
        SOCKADDR g = request.name();
        if (!Addresses.isMulticast(g)) {
            throw new WsaException(Winsock2.WSAEADDRNOTAVAIL, g + " is not a multicast group "
                    + "(224.0.0.0/4 or ff00::/8)");
        }
        ensureBound();
        group = g;
        if (request.direction() != Winsock2.JL_SENDER_ONLY) {
            network.groups.subscribe(g, this);
            subscribed = true;
        }
        Outbox out = network.outbox();
        out.later(() -> completion.connected(null));
        out.flush();
        return this;
    }

    /**
     * {@code connect} on a datagram socket, as Winsock and provider.multicast do it (issue 13): sets the default
     * destination of send, changes it on a second connect (also after {@code WSAJoinLeaf}), and {@code AF_UNSPEC} or
     * {@code ADDR_ANY} clears it. Completes at once; an unbound socket is bound implicitly first.
     */
    @Override
    public void connect(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        network.checkUp();
        SOCKADDR name = request.name();
        if (name.sa_family != Winsock2.AF_UNSPEC && (name.sa_family != family || !name.isWellFormed())) {
            throw new WsaException(Winsock2.WSAEAFNOSUPPORT, name + " is not of this socket's family " + family);
        }
        boolean clear = name.sa_family == Winsock2.AF_UNSPEC || name.isAny();
        if (!clear && name.port == 0) {
            throw new WsaException(Winsock2.WSAEADDRNOTAVAIL, "cannot connect to " + name + ": name a port");
        }
        ensureBound();
        defaultDestination = clear ? null : name;
        Outbox out = network.outbox();
        out.later(() -> completion.connected(null));
        out.post(upcalls, Winsock2.FD_WRITE_BIT, 0);
        out.flush();
    }

    /** The default destination of send: the one connect named, else the joined group, else null. */
    @Override
    public SOCKADDR peerAddress() {
        SOCKADDR d = defaultDestination;
        SOCKADDR peer = d != null ? d : group;
        return peer == null ? null : new SOCKADDR().set(peer);
    }

    /** Group datagrams this socket dropped because its loopback was off. */
    long filteredDatagrams() {
        return filtered.get();
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        SOCKADDR d = defaultDestination;
        SOCKADDR target = to != null ? to : d != null ? d : group;
        if (target == null) {
            throw new WsaException(Winsock2.WSAENOTCONN, "join a group, connect, or name a destination (sendto)");
        }
        if (!Addresses.isMulticast(target) && !Addresses.isLoopback(target)) {
            throw new WsaException(Winsock2.WSAENETUNREACH, target + " is neither a multicast group nor a loopback "
                    + "address; the local provider reaches only sockets of this JVM");
        }
        byte[] data = network.messageBytes(message);
        ensureBound();
        Message m = new Message(data, localAddress());
        Outbox out = network.outbox();
        if (Addresses.isMulticast(target)) {
            for (MulticastSocket member : network.groups.subscribers(target)) {
                if (member.loopback()) {
                    deliverOrDrop(member, m, out);
                } else {
                    member.filtered.incrementAndGet(); // every sender is on this host
                }
            }
        } else if (network.addresses.owner(target) instanceof MulticastSocket receiver && !receiver.subscribed) {
            deliverOrDrop(receiver, m, out);
        } // a datagram to a loopback address nobody bound, or to a group member, is lost, as with UDP
        out.flush();
        message.position(message.limit());
        return data.length;
    }

    /** UDP semantics: a receiver whose queue is full, or a provider whose total is spent, loses the datagram. */
    private void deliverOrDrop(MulticastSocket receiver, Message m, Outbox out) {
        long cost = ReceiveLimits.cost(m.data().length);
        if (!network.budget.tryCharge(cost, null)) {
            network.countDroppedDatagram();
        } else if (!receiver.deliver(m, out)) {
            network.budget.release(cost, out);
            network.countDroppedDatagram();
        }
    }

    @Override
    void leave(Outbox out) {
        if (subscribed) {
            network.groups.unsubscribe(group, this);
        }
    }
}
