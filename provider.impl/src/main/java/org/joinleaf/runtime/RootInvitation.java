package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/**
 * One c_root join in flight (R21, R23, R26): the new c_leaf descriptor it made, the operation the provider
 * completes, and the undo of every way it can end other than by completing. A root has at most one.
 */
final class RootInvitation {
    final SocketRecord root;
    final SocketRecord leaf;
    final JoinOperation op;
    private final DescriptorTable table;

    private RootInvitation(DescriptorTable table, SocketRecord root, SocketRecord leaf, JoinOperation op) {
        this.table = table;
        this.root = root;
        this.leaf = leaf;
        this.op = op;
    }

    /**
     * Starts an invitation: the new c_leaf (with the root's selection and blocking mode, R23, R26) enters the table
     * with its join pending, and the root's FD_CONNECT is armed for its completion (R15).
     */
    static RootInvitation begin(DescriptorTable table, SocketRecord root, int direction, WSABUF callee) {
        SocketRecord leaf = root.inheriting(DescriptorTable.newHandle(), SocketKind.leafOf(root.flags));
        JoinOperation op = new JoinOperation(root, leaf, true, direction, callee);
        RootInvitation invitation = new RootInvitation(table, root, leaf, op);
        root.counters.joinAttempted();
        leaf.begin(op);
        root.beginInvitation(invitation);
        table.add(leaf);
        return invitation;
    }

    /**
     * The provider answered with the leaf's transport. Anything but a transport of its own is a provider failure
     * (decisions 22). When closesocket ended the invitation meanwhile, the transport is closed here.
     */
    void attach(ProviderSocket leafTransport, ProviderSocket rootTransport) throws WsaException {
        if (leafTransport == null || leafTransport == rootTransport) {
            // without a transport of its own the new c_leaf could never work, or closing it would close the root
            op.cancel(WSASYSCALLFAILURE, "no transport");
            table.remove(leaf);
            leaf.close();
            throw new WsaException(WSASYSCALLFAILURE, "provider '" + root.entry.registration.name + "' answered"
                    + " the c_root join with " + (leafTransport == null ? "no transport" : "the root's own transport")
                    + " for the invited leaf; the provider is faulty");
        }
        if (!leaf.attach(leafTransport)) {
            DescriptorTable.closeQuietly(leafTransport); // closesocket cancelled the invitation meanwhile
        }
    }

    /** The provider refused (or threw) when asked to start: as if the call never happened. */
    void undo() {
        table.remove(leaf);
        leaf.close();
        root.invitationFinished(leaf);
    }

    /** A blocking caller learned that it failed: the descriptor was never handed out, so it goes. */
    void failed(int code) {
        table.remove(leaf);
        DescriptorTable.release(leaf.close(), code, "failed join");
    }

    /**
     * closesocket on the root ends the session: the invitation still pending dies with it, a thread blocked in it
     * wakes (the provider completes nothing after close), and the leaf records FD_CLOSE.
     */
    void rootClosed(SOCKET rootHandle) {
        JoinOperation pending = leaf.endPendingJoin();
        if (pending != null) {
            pending.cancel(WSAEINTR, "closesocket on the root " + rootHandle + " ended the invitation");
        }
        leaf.raise(FD_CLOSE_BIT, 0, true);
    }
}
