package org.joinleaf.local;

import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * A leaf-initiated join (§1.4 case 2): a c_leaf asks a listening c_root; {@code accept} on the root returns the
 * root's new c_leaf for that leaf.
 */
final class LeafJoin extends PendingRequest {
    final LeafSocket leaf;

    LeafJoin(RootSocket root, LeafSocket leaf, ConnectRequest request, byte[] callerData,
             ConnectCompletion completion) {
        super(root.session, root.backlog(), leaf.localAddress(), callerData, request.qos(), request.direction(),
                completion);
        this.leaf = leaf;
    }

    @Override
    boolean leafReceives() {
        return direction != Winsock2.JL_SENDER_ONLY;
    }

    @Override
    RootedSession.Member admitted(SocketUpcalls upcalls) throws WsaException {
        LinkSocket link = session.network.register(new LinkSocket(session.root, leaf.localAddress(), upcalls));
        return new RootedSession.Member(session, leaf, link, leafReceives());
    }

    @Override
    ProviderSocket acceptedSocket(RootedSession.Member member) {
        return member.link();
    }
}
