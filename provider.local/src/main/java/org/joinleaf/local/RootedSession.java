package org.joinleaf.local;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.SocketUpcalls;
import org.joinleaf.spi.WsaException;

/**
 * The session of one c_root: its members, its outstanding joins, and the routing of its data plane (§1.1, §1.7).
 * Every admission, teardown and delivery into the session happens under this object's lock, so a fan-out is atomic
 * and bounded queues cannot be overfilled between the check and the enqueue. Upcalls are collected in an
 * {@link Outbox} and run after the lock is released.
 */
final class RootedSession {
    /** One admitted leaf: its own socket and the root's c_leaf standing for it (§1.5). */
    record Member(RootedSession session, LeafSocket leaf, LinkSocket link, boolean leafReceives) {
    }

    final LocalNetwork network;
    final RootSocket root;
    private final List<Member> members = new ArrayList<>();
    private final Set<PendingRequest> pending = new HashSet<>();
    private boolean ended;

    RootedSession(LocalNetwork network, RootSocket root) {
        this.network = network;
        this.root = root;
    }

    /** Queues {@code p} at its listener and starts its join deadline; false when refused (backlog full, ended). */
    synchronized boolean enqueue(PendingRequest p, Outbox out) {
        if (ended || network.isDown() || !p.backlog.offer(p, out)) {
            return false;
        }
        pending.add(p);
        p.timeout = network.schedule(() -> expire(p), network.settings.joinTimeoutMillis());
        return true;
    }

    /** {@code ConnectionRequest.accept}: makes the member and completes the joining side. */
    ProviderSocket admit(PendingRequest p, byte[] calleeData, SocketUpcalls upcalls) throws WsaException {
        Outbox out = network.outbox();
        try {
            synchronized (this) {
                checkAnswerable(p);
                Member m = p.admitted(upcalls);
                p.state = PendingRequest.State.ACCEPTED;
                finish(p, out);
                members.add(m);
                m.leaf().joined(m, root.localAddress());
                m.link().joined(m);
                out.later(() -> p.completion.connected(calleeData));
                return p.acceptedSocket(m);
            }
        } finally {
            out.flush();
        }
    }

    private static void checkAnswerable(PendingRequest p) throws WsaException {
        switch (p.state) {
            case PENDING:
                return;
            case TIMED_OUT:
                throw new WsaException(Winsock2.WSAEACCES,
                        "the join request timed out before it was accepted (joinTimeoutMillis)");
            case WITHDRAWN:
                throw new WsaException(Winsock2.WSAECONNRESET, "the peer withdrew its join request (socket closed)");
            default:
                throw new WsaException(Winsock2.WSAEINVAL, "the join request was already answered");
        }
    }

    private void finish(PendingRequest p, Outbox out) {
        pending.remove(p);
        p.backlog.remove(p, out);
        if (p.timeout != null) {
            p.timeout.cancel(false);
        }
    }

    /** Answers a pending join with a failure the joining side sees through its completion. */
    void refuse(PendingRequest p, PendingRequest.State why, int code, String message, Outbox out) {
        synchronized (this) {
            if (p.state != PendingRequest.State.PENDING) {
                return;
            }
            p.state = why;
            finish(p, out);
        }
        out.fail(p.completion, code, message);
    }

    private void expire(PendingRequest p) {
        Outbox out = network.outbox();
        refuse(p, PendingRequest.State.TIMED_OUT, Winsock2.WSAETIMEDOUT, "the peer did not answer the join within "
                + network.settings.joinTimeoutMillis() + " ms (joinTimeoutMillis); retry or raise the timeout", out);
        out.flush();
    }

    /** The joining side closed its socket: the request leaves the queue and no member ever appears. */
    synchronized void withdraw(PendingRequest p, Outbox out) {
        if (p.state == PendingRequest.State.PENDING) {
            p.state = PendingRequest.State.WITHDRAWN;
            finish(p, out);
        }
    }

    /** A member's socket was closed on one side; the other side gets a graceful {@code FD_CLOSE} (§3 R27). */
    synchronized void leave(Member m, boolean closedByLeaf, Outbox out) {
        if (!members.remove(m)) {
            return;
        }
        end(closedByLeaf ? m.link() : m.leaf(), 0, out);
        m.leaf().inbox.wakeBlockedSenders(out);
    }

    /** The c_root closed: {@code FD_CLOSE} on every leaf and every root-side c_leaf; pending joins end (§1.6). */
    synchronized void end(Outbox out) {
        ended = true;
        for (Member m : members) {
            end(m.leaf(), 0, out);
            end(m.link(), 0, out);
            m.leaf().inbox.wakeBlockedSenders(out);
        }
        members.clear();
        for (PendingRequest p : List.copyOf(pending)) {
            if (p instanceof LeafJoin) {
                p.state = PendingRequest.State.REFUSED;
                out.fail(p.completion, Winsock2.WSAECONNREFUSED, "the root closed its session before admitting you");
            } else {
                p.state = PendingRequest.State.WITHDRAWN; // the root's own join is cancelled by its close
            }
            finish(p, out);
        }
    }

    private void evict(Member m, Outbox out) {
        members.remove(m);
        network.countEvictedLeaf();
        end(m.leaf(), Winsock2.WSAECONNABORTED, out);
        end(m.link(), Winsock2.WSAECONNABORTED, out);
        m.leaf().inbox.wakeBlockedSenders(out);
    }

    private static void end(LocalSocket s, int code, Outbox out) {
        s.end(code);
        out.post(s.upcalls, Winsock2.FD_CLOSE_BIT, code);
    }

    /** d_root send: every receiving leaf; with a non-rooted data plane also the root itself if loopback is on. */
    void sendFromRoot(Message msg) throws WsaException {
        Outbox out = network.outbox();
        try {
            synchronized (this) {
                List<LocalSocket> required = root.kind == SessionKind.RELAYED_DATA && root.loopback()
                        ? List.of(root) : List.of();
                fanOut(root, required, receivingLeaves(null), msg, out);
            }
        } finally {
            out.flush();
        }
    }

    /**
     * d_leaf send: rooted data reaches only the root (§1.1); non-rooted data is relayed to the root and every other
     * receiving leaf, and back to the sender only if its {@code SIO_MULTIPOINT_LOOPBACK} is on.
     */
    void sendFromLeaf(Member from, Message msg) throws WsaException {
        Outbox out = network.outbox();
        try {
            synchronized (this) {
                if (!members.contains(from)) {
                    throw from.leaf().ended();
                }
                if (root.kind == SessionKind.ROOTED_DATA) {
                    single(from.leaf(), root, msg, out);
                    return;
                }
                List<LocalSocket> required = new ArrayList<>(2);
                required.add(root);
                if (from.leafReceives() && from.leaf().loopback()) {
                    required.add(from.leaf());
                }
                fanOut(from.leaf(), required, receivingLeaves(from), msg, out);
            }
        } finally {
            out.flush();
        }
    }

    /** A "side chat" on the root's c_leaf (§3 R28): to that one leaf. */
    void sendSideChat(Member to, Message msg) throws WsaException {
        Outbox out = network.outbox();
        try {
            synchronized (this) {
                if (!members.contains(to)) {
                    throw to.link().ended();
                }
                single(to.link(), to.leaf(), msg, out);
            }
        } finally {
            out.flush();
        }
    }

    private List<Member> receivingLeaves(Member except) {
        List<Member> leaves = new ArrayList<>(members.size());
        for (Member m : members) {
            if (m != except && m.leafReceives() && !m.leaf().isClosed()) {
                leaves.add(m);
            }
        }
        return leaves;
    }

    /** One destination: a full queue, or the provider's spent total, refuses the send with {@code WSAEWOULDBLOCK}. */
    private void single(LocalSocket sender, LocalSocket receiver, Message msg, Outbox out) throws WsaException {
        long cost = ReceiveLimits.cost(msg.data().length);
        if (!network.budget.tryCharge(cost, sender)) {
            throw wouldBlock();
        }
        if (!receiver.inbox.offerOrBlock(msg, sender)) {
            network.budget.release(cost, out);
            throw wouldBlock();
        }
        out.post(receiver.upcalls, Winsock2.FD_READ_BIT, 0);
    }

    /**
     * Fan-out, all or nothing towards {@code required} (the root, the sender's loopback copy: never evicted) and, by
     * the slow-leaf policy, towards {@code leaves}: EVICT cuts out a leaf whose queue is full, BLOCK_SENDER refuses
     * the whole send. When the provider's total cannot take a copy for every receiver the send is refused under
     * either policy: no leaf is evicted for memory the others hold.
     */
    private void fanOut(LocalSocket sender, List<LocalSocket> required, List<Member> leaves, Message msg,
                        Outbox out) throws WsaException {
        for (LocalSocket r : required) {
            if (!r.inbox.roomOrBlock(msg, sender)) {
                throw wouldBlock();
            }
        }
        if (network.settings.slowLeafPolicy() == SlowLeafPolicy.BLOCK_SENDER) {
            boolean full = false;
            for (Member m : leaves) {
                full |= !m.leaf().inbox.roomOrBlock(msg, sender);
            }
            if (full) {
                throw wouldBlock();
            }
        }
        long cost = ReceiveLimits.cost(msg.data().length);
        if (!network.budget.tryCharge(cost * (required.size() + leaves.size()), sender)) {
            throw wouldBlock();
        }
        for (LocalSocket r : required) {
            if (!r.deliver(msg, out)) {
                network.budget.release(cost, out);
            }
        }
        for (Member m : leaves) {
            if (!m.leaf().deliver(msg, out)) {
                network.budget.release(cost, out);
                evict(m, out);
            }
        }
    }

    private static WsaException wouldBlock() {
        return new WsaException(Winsock2.WSAEWOULDBLOCK, "a receiver's queue is full; retry after FD_WRITE");
    }
}
