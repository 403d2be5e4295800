package org.joinleaf.local;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.MultipointSocket;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * A c_leaf socket of a rooted session: joins a listening root itself (§1.4 case 2), or listens for a root's
 * invitation (§1.4 case 1), in which case {@code accept} makes a new member socket. As a member it sends to the root
 * (rooted data) or to the whole session (relayed data) and receives what the root sends or relays.
 */
final class LeafSocket extends LocalSocket implements MultipointSocket {
    private volatile LeafJoin pendingJoin;
    private volatile RootedSession.Member member;
    private volatile SOCKADDR rootAddress;

    LeafSocket(LocalNetwork network, SessionKind kind, int family, SocketUpcalls upcalls) {
        super(network, kind, family, upcalls);
    }

    @Override
    public synchronized void listen(int backlogSize) throws WsaException {
        network.checkUp();
        if (localAddress() == null) {
            throw new WsaException(Winsock2.WSAEINVAL, "bind the c_leaf socket before listen");
        }
        if (member != null) {
            throw new WsaException(Winsock2.WSAEISCONN, "this c_leaf already joined a session");
        }
        openBacklog(backlogSize);
    }

    void joined(RootedSession.Member m, SOCKADDR root) {
        rootAddress = root;
        member = m;
        pendingJoin = null;
    }

    @Override
    public SOCKADDR peerAddress() {
        SOCKADDR root = rootAddress;
        return root == null ? null : new SOCKADDR().set(root);
    }

    /** Asks the listening c_root at {@code request.name()} to admit this leaf; returns {@code this} (§3 R24). */
    @Override
    public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        network.checkUp();
        byte[] callerData = network.connectData(request.callerData());
        ensureBound();
        SOCKADDR rootAddr = request.name();
        Outbox out = network.outbox();
        LocalSocket target = Addresses.isLoopback(rootAddr) ? network.addresses.owner(rootAddr) : null;
        if (!Addresses.isLoopback(rootAddr)) {
            out.fail(completion, Winsock2.WSAENETUNREACH, rootAddr + " is not a loopback address; the local "
                    + "provider reaches only sockets of this JVM");
        } else if (!(target instanceof RootSocket root) || root.kind != kind || !root.isListening()) {
            out.fail(completion, Winsock2.WSAECONNREFUSED, "no listening c_root of this catalog entry at "
                    + rootAddr);
        } else {
            LeafJoin join = new LeafJoin(root, this, request, callerData, completion);
            pendingJoin = join;
            if (!root.session.enqueue(join, out)) {
                pendingJoin = null;
                out.fail(completion, Winsock2.WSAECONNREFUSED, "the root at " + rootAddr
                        + " has a full backlog or is closing");
            }
        }
        out.flush();
        return this;
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        RootedSession.Member m = member;
        if (m == null) {
            throw endCode() != NOT_ENDED ? ended()
                    : new WsaException(Winsock2.WSAENOTCONN, "join a multipoint session before sending");
        }
        byte[] data = network.messageBytes(message);
        m.session().sendFromLeaf(m, new Message(data, localAddress()));
        message.position(message.limit());
        return data.length;
    }

    @Override
    void leave(Outbox out) {
        LeafJoin join = pendingJoin;
        if (join != null) {
            join.session.withdraw(join, out);
        }
        RootedSession.Member m = member;
        if (m != null) {
            m.session().leave(m, true, out);
        }
        RequestQueue b = backlog();
        if (b != null) {
            for (PendingRequest invite : b.drain()) {
                invite.session.refuse(invite, PendingRequest.State.REFUSED, Winsock2.WSAECONNREFUSED,
                        "the invited leaf closed its listening socket", out);
            }
        }
    }
}
