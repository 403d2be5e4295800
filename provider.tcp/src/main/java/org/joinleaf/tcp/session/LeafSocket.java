package org.joinleaf.tcp.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import java.nio.ByteBuffer;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.ConnectRequest;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;
import org.joinleaf.tcp.protocol.Frame;
import org.joinleaf.tcp.protocol.FrameCodec;

/**
 * A c_leaf socket. It either joins a listening root ({@link #join}: JOIN, then ACCEPT or REJECT) and is then the
 * member itself (§3 R24), or listens for invitations, each of which {@code WSAAccept} turns into a new member
 * socket. A member exchanges data with the root only; with a non-rooted data plane the root relays its messages
 * to the other leaves and loopback is done locally.
 */
final class LeafSocket extends TcpSocket {
    private enum State { IDLE, JOINING, MEMBER, ENDED }

    private volatile State state = State.IDLE;
    private volatile Channel channel;
    private volatile JoinAttempt attempt;
    private volatile int direction = Winsock2.JL_BOTH;
    private volatile SOCKADDR rootAddress;
    /** A send was refused with WSAEWOULDBLOCK: FD_WRITE is owed when the connection is writable again. */
    private volatile boolean owesWrite;

    LeafSocket(TcpTransport transport, int family, boolean rootedData, boolean qosCapable, SocketUpcalls upcalls,
               int direction) {
        super(transport, family, rootedData, qosCapable, upcalls, direction);
    }

    @Override
    PeerChannelHandler newPassiveHandler() {
        return LeafChannelHandler.awaitingInvite(this);
    }

    /** Leaf-initiated join (§1.4 way 2): connect to the root, send JOIN, complete on ACCEPT. Returns this. */
    @Override
    public ProviderSocket join(ConnectRequest request, ConnectCompletion completion) throws WsaException {
        SOCKADDR root = request.name();
        byte[] callerData = checkJoin(request.callerData());
        JoinAttempt next = new JoinAttempt(completion);
        synchronized (this) {
            checkCanJoin();
        }
        qos.join(request.qos(), request.direction()); // last synchronous check: a refusal leaves nothing taken
        synchronized (this) {
            checkCanJoin(); // the runtime runs one join per socket at a time; only a close can come in between
            state = State.JOINING;
            attempt = next;
            direction = request.direction();
            rootAddress = root;
        }
        Frame.Join join = new Frame.Join(false, FrameCodec.VERSION, request.direction(), callerData, request.qos());
        next.start(transport, transport.bootstrap(LeafChannelHandler.joining(this, next)),
                root.toInetSocketAddress(), takeBindingForConnect(), join);
        channel = next.channel();
        return this;
    }

    private void checkCanJoin() throws WsaException {
        if (closed) {
            throw new WsaException(Winsock2.WSAENOTSOCK, "socket is closed");
        }
        if (isListening()) {
            throw new WsaException(Winsock2.WSAEINVAL,
                    "a listening c_leaf waits for invitations; use another socket to join a root");
        }
        if (state == State.MEMBER) {
            throw new WsaException(Winsock2.WSAEISCONN, "already joined to " + rootAddress);
        }
        if (state == State.JOINING && attempt.pending()) {
            throw new WsaException(Winsock2.WSAEALREADY, "a join to " + rootAddress + " is in progress");
        }
    }

    /** A member made from an accepted invitation (root-initiated join); reports through {@code upcalls}. */
    static LeafSocket invited(LeafSocket listener, SocketUpcalls upcalls, PendingRequest request) {
        LeafSocket member = new LeafSocket(listener.transport, listener.family, listener.rootedData,
                listener.qosCapable, upcalls, request.direction());
        member.channel = request.channel();
        member.direction = request.direction();
        member.rootAddress = request.callerAddress();
        member.state = State.MEMBER;
        listener.transport.track(member);
        return member;
    }

    /** An INVITE arrived on this listening c_leaf (event loop): queue it for WSAAccept. */
    PendingRequest onInvite(Channel ch, Frame.Join invite, LeafChannelHandler handler) {
        return queueRequest(ch, invite, new PendingRequest.Admission() {
            @Override
            public ProviderSocket prepare(PendingRequest request, SocketUpcalls memberUpcalls) {
                LeafSocket member = invited(LeafSocket.this, SafeUpcalls.of(memberUpcalls, transport.counters()),
                        request);
                handler.becomeMember(request.channel(), member);
                return member;
            }

            @Override
            public void activate(ProviderSocket member, Frame.Accept accept) {
                ch.writeAndFlush(accept, ch.voidPromise());
                // the leaf's member is its own connection: nothing to publish
            }
        });
    }

    /** ACCEPT from the root (event loop); the completion may run before join() has returned. */
    boolean onJoinAccepted(JoinAttempt which, byte[] calleeData, Channel ch) {
        if (closed || which != attempt || !which.pending()) {
            return false;
        }
        channel = ch;
        state = State.MEMBER;
        return which.succeed(calleeData);
    }

    @Override
    public SOCKADDR localAddress() {
        Channel c = channel;
        if (c != null && c.localAddress() != null) {
            return sockaddr(c.localAddress());
        }
        return super.localAddress();
    }

    @Override
    public SOCKADDR peerAddress() {
        SOCKADDR r = rootAddress;
        return state == State.MEMBER && r != null ? new SOCKADDR().set(r) : null;
    }

    @Override
    public int send(ByteBuffer message, SOCKADDR to) throws WsaException {
        Channel ch = memberChannel();
        if (direction == Winsock2.JL_RECEIVER_ONLY) {
            throw new WsaException(Winsock2.WSAESHUTDOWN, "this leaf joined JL_RECEIVER_ONLY (decisions 6)");
        }
        int length = checkMessageSize(message);
        if (!ch.isWritable()) {
            owesWrite = true; // set before the re-check: room returning in between still pays the FD_WRITE
            if (!ch.isWritable()) {
                throw new WsaException(Winsock2.WSAEWOULDBLOCK,
                        "the connection to the root is above its high water mark; wait for FD_WRITE");
            }
            owesWrite = false;
        }
        checkOutbound(length);
        qos.pay(length); // last: tokens are taken only for a message that goes out
        transport.outbound().write(ch, FrameCodec.encodeData(transport.allocator(), message));
        loopBack(message);
        return length;
    }

    @Override
    public int receive(ByteBuffer buffer, SOCKADDR from, boolean peek) throws WsaException {
        if (state != State.MEMBER && state != State.ENDED) {
            throw new WsaException(Winsock2.WSAENOTCONN, "this c_leaf has not joined a session");
        }
        if (direction == Winsock2.JL_SENDER_ONLY) {
            throw new WsaException(Winsock2.WSAESHUTDOWN, "this leaf joined JL_SENDER_ONLY (decisions 6)");
        }
        return inbound.take(buffer, from, peek);
    }

    private Channel memberChannel() throws WsaException {
        State s = state;
        if (s == State.ENDED) {
            throw new WsaException(Winsock2.WSAECONNRESET, "the session ended; close this socket");
        }
        if (s != State.MEMBER) {
            throw new WsaException(Winsock2.WSAENOTCONN, "this c_leaf has not joined a session");
        }
        return channel;
    }

    /** The leaf joined {@code JL_RECEIVER_ONLY} or {@code JL_BOTH}: the root may send it DATA. */
    boolean receives() {
        return direction != Winsock2.JL_SENDER_ONLY;
    }

    /** DATA from the root (event loop): {@code length} bytes of {@code frame} from {@code index}, read on {@code ch}. */
    void onData(ByteBuf frame, int index, int length, Channel ch) {
        deliver(frame, index, length, rootAddress, ch);
    }

    /** DATA frames from the root (event loop): {@code count} whole frames of one read, as the splitter has them. */
    void onDataFrames(ByteBuf frames, int index, int length, int count, Channel ch) {
        deliverFrames(frames, index, length, count, rootAddress, ch);
    }

    /** The member connection ended (event loop): FD_CLOSE with the code (§4). */
    void onConnectionClosed(int code) {
        state = State.ENDED;
        qos.release();
        inbound.close(code);
        if (!closed) {
            upcalls.post(Winsock2.FD_CLOSE_BIT, code);
        }
    }

    void onWritabilityChanged(boolean writable) {
        if (writable && owesWrite) {
            owesWrite = false;
            if (!closed) {
                upcalls.post(Winsock2.FD_WRITE_BIT, 0);
            }
        }
    }

    /** closesocket: cancels a pending join, or sends LEAVE(0) so the root's c_leaf sees FD_CLOSE(0) (§3 R27). */
    @Override
    public void close() {
        State was;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            was = state;
            state = State.ENDED;
        }
        closeListener();
        qos.release();
        inbound.discard();
        JoinAttempt a = attempt;
        if (was == State.JOINING && a != null) {
            a.cancel();
        }
        Channel c = channel;
        if (was == State.MEMBER && c != null) {
            c.attr(PeerChannelHandler.CLOSE_CODE).setIfAbsent(0);
            c.writeAndFlush(new Frame.Leave(0)).addListener(ChannelFutureListener.CLOSE);
        }
        transport.untrack(this);
    }
}
