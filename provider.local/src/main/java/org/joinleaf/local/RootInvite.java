package org.joinleaf.local;

import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * A root-initiated join (§1.4 case 1): a c_root invites a listening c_leaf; {@code accept} on the leaf returns the
 * leaf's new member socket, and the root's c_leaf {@link #link} (returned by the root's join) becomes usable.
 */
final class RootInvite extends PendingRequest {
    final LinkSocket link;
    private final LeafSocket listener;

    RootInvite(RootSocket root, LinkSocket link, LeafSocket listener, ConnectRequest request, byte[] callerData,
               ConnectCompletion completion) {
        super(root.session, listener.backlog(), root.localAddress(), callerData, request.qos(), request.direction(),
                completion);
        this.link = link;
        this.listener = listener;
    }

    /** The root asked for this link: {@code JL_RECEIVER_ONLY} means it only listens to this leaf. */
    @Override
    boolean leafReceives() {
        return direction != Winsock2.JL_RECEIVER_ONLY;
    }

    @Override
    RootedSession.Member admitted(SocketUpcalls upcalls) throws WsaException {
        LeafSocket member = session.network.register(new LeafSocket(session.network, listener.kind, listener.family,
                upcalls));
        member.shareAddress(listener.localAddress());
        return new RootedSession.Member(session, member, link, leafReceives());
    }

    @Override
    ProviderSocket acceptedSocket(RootedSession.Member member) {
        return member.leaf();
    }
}
