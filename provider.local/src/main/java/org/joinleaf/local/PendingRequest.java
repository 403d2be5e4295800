package org.joinleaf.local;

import java.util.concurrent.ScheduledFuture;
import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectionRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * A join of a rooted session waiting in a listener's backlog: a leaf asking the root ({@link LeafJoin}) or the root
 * inviting a leaf ({@link RootInvite}). Its state is guarded by the session's lock; it is answered exactly once.
 */
abstract class PendingRequest implements ConnectionRequest {
    enum State { PENDING, ACCEPTED, REFUSED, TIMED_OUT, WITHDRAWN }

    final RootedSession session;
    final RequestQueue backlog;
    final int direction;
    final ConnectCompletion completion;
    private final SOCKADDR caller;
    private final byte[] callerData;
    private final QOS callerQos;

    State state = State.PENDING; // guarded by session
    ScheduledFuture<?> timeout; // guarded by session

    PendingRequest(RootedSession session, RequestQueue backlog, SOCKADDR caller, byte[] callerData, QOS callerQos,
                int direction, ConnectCompletion completion) {
        this.session = session;
        this.backlog = backlog;
        this.caller = new SOCKADDR().set(caller);
        this.callerData = callerData;
        this.callerQos = callerQos;
        this.direction = direction;
        this.completion = completion;
    }

    @Override
    public SOCKADDR callerAddress() {
        return new SOCKADDR().set(caller);
    }

    @Override
    public byte[] callerData() {
        return callerData == null ? null : callerData.clone();
    }

    @Override
    public QOS callerQos() {
        return callerQos == null ? null : new QOS(callerQos);
    }

    @Override
    public int calleeDataCapacity() {
        return session.network.settings.maxConnectData();
    }

    @Override
    public ProviderSocket accept(byte[] calleeData, SocketUpcalls upcalls) throws WsaException {
        return session.admit(this, session.network.connectData(calleeData), upcalls);
    }

    @Override
    public void reject() {
        Outbox out = session.network.outbox();
        session.refuse(this, State.REFUSED, Winsock2.WSAECONNREFUSED,
                "the peer's condition function rejected the join", out);
        out.flush();
    }

    /** Whether the joined leaf gets what the root sends (§2.3 JL_* as seen by the side that asked to join). */
    abstract boolean leafReceives();

    /** Builds the member once admitted; called under the session lock. */
    abstract RootedSession.Member admitted(SocketUpcalls upcalls) throws WsaException;

    /** What {@code accept} returns: the accepting side's socket of the new member. */
    abstract ProviderSocket acceptedSocket(RootedSession.Member member);
}
