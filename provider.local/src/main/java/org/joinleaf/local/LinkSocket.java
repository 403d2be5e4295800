package org.joinleaf.local;

import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * The root's c_leaf for one leaf (§1.5): returned by a root's join or by {@code accept} on a listening c_root. It
 * reports that leaf's {@code FD_CLOSE}; closing it drops the leaf. Its sends are a side chat to that leaf only
 * (§3 R28); nothing is ever queued for it to receive.
 */
final class LinkSocket extends LocalSocket {
    private final RootSocket root;
    private final SOCKADDR leafAddress;
    private volatile RootInvite invite;
    private volatile RootedSession.Member member;

    LinkSocket(RootSocket root, SOCKADDR leafAddress, SocketUpcalls upcalls) {
        super(root.network, root.kind, root.family, upcalls);
        this.root = root;
        this.leafAddress = new SOCKADDR().set(leafAddress);
        shareAddress(root.localAddress());
    }

    void invited(RootInvite pending) {
        invite = pending;
    }

    void joined(RootedSession.Member m) {
        member = m;
        invite = null;
    }

    @Override
    public SOCKADDR peerAddress() {
        return new SOCKADDR().set(leafAddress);
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        RootedSession.Member m = member;
        if (m == null) {
            throw endCode() != NOT_ENDED ? ended()
                    : new WsaException(Winsock2.WSAENOTCONN, "the invited leaf has not accepted yet");
        }
        byte[] data = network.messageBytes(message);
        root.session.sendSideChat(m, new Message(data, localAddress()));
        message.position(message.limit());
        return data.length;
    }

    @Override
    void leave(Outbox out) {
        RootInvite pending = invite;
        if (pending != null) {
            root.session.withdraw(pending, out);
        }
        RootedSession.Member m = member;
        if (m != null) {
            root.session.leave(m, false, out);
        }
    }
}
