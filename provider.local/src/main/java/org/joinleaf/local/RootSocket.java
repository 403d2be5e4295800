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
 * A c_root socket: owns a {@link RootedSession}, admits leaves when listening, invites listening leaves with
 * {@code join}, and is the data hub of its session (its sends fan out, its receives come from the leaves).
 */
final class RootSocket extends LocalSocket implements MultipointSocket {
    final RootedSession session;

    RootSocket(LocalNetwork network, SessionKind kind, int family, SocketUpcalls upcalls) {
        super(network, kind, family, upcalls);
        this.session = new RootedSession(network, this);
    }

    @Override
    public synchronized void listen(int backlogSize) throws WsaException {
        network.checkUp();
        if (localAddress() == null) {
            throw new WsaException(Winsock2.WSAEINVAL, "bind the c_root socket before listen");
        }
        openBacklog(backlogSize);
    }

    /** Invites the listening c_leaf at {@code request.name()} (§1.4 case 1, §3 R23, R37). */
    @Override
    public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        network.checkUp();
        byte[] callerData = network.connectData(request.callerData());
        ensureBound();
        SOCKADDR leafAddress = request.name();
        LinkSocket link = network.register(new LinkSocket(this, leafAddress, request.newSocketUpcalls()));
        Outbox out = network.outbox();
        LocalSocket target = Addresses.isLoopback(leafAddress) ? network.addresses.owner(leafAddress) : null;
        if (!Addresses.isLoopback(leafAddress)) {
            out.fail(completion, Winsock2.WSAENETUNREACH, leafAddress + " is not a loopback address; the local "
                    + "provider reaches only sockets of this JVM");
        } else if (!(target instanceof LeafSocket leaf) || leaf.kind != kind || !leaf.isListening()) {
            out.fail(completion, Winsock2.WSAECONNREFUSED, "no c_leaf socket of this catalog entry listens at "
                    + leafAddress);
        } else {
            RootInvite invite = new RootInvite(this, link, leaf, request, callerData, completion);
            link.invited(invite);
            if (!session.enqueue(invite, out)) {
                out.fail(completion, Winsock2.WSAECONNREFUSED, "the backlog of the leaf at " + leafAddress
                        + " is full");
            }
        }
        out.flush();
        return link;
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        byte[] data = network.messageBytes(message);
        ensureBound();
        session.sendFromRoot(new Message(data, localAddress()));
        message.position(message.limit());
        return data.length;
    }

    @Override
    void leave(Outbox out) {
        session.end(out);
    }
}
