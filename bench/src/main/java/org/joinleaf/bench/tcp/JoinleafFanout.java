package org.joinleaf.bench.tcp;

import static org.joinleaf.api.Winsock2.FD_CLOSE;
import static org.joinleaf.api.Winsock2.FD_READ;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.api.Winsock2.WSA_WAIT_FAILED;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.tcp.session.TcpSettings;

/**
 * The joinleaf variant: one blocking c_root/d_root sends with blocking {@code send}; N leaves joined
 * {@code JL_RECEIVER_ONLY} (leaf-initiated, blocking) to it in the same process. {@value #READERS} reader threads
 * each own one event object shared by all the leaves of their share ({@code WSAEventSelect(FD_READ | FD_CLOSE)}):
 * wait on it, reset it, then drain every leaf of the share with non-blocking {@code recv} until
 * {@code WSAEWOULDBLOCK}; a receive re-arms FD_READ, so data arriving after the drain signals the event again.
 */
final class JoinleafFanout extends LeafChecks {
    static final int READERS = 2;
    private static final int JOIN_THREADS = 4;
    private static final int RECEIVES_PER_VISIT = 256;
    private static final int POLL_MILLIS = Integer.getInteger("bench.tcp.pollMillis", 20);

    private final TcpStack stack;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> readers = new ArrayList<>();
    private SOCKET root;
    private Acceptor acceptor;

    private JoinleafFanout(TcpStack stack) {
        this.stack = stack;
    }

    /** Joins more leaves to the root, each admitted by the fan-out's acceptor (a leaf that misbehaves, say). */
    interface ExtraJoins {
        void join(SOCKADDR root) throws IOException;
    }

    static JoinleafFanout open(int leaves, int messageBytes) throws IOException, InterruptedException {
        return open(TcpStack.forFanout(), leaves, messageBytes, 0, root -> { });
    }

    /**
     * The fan-out on {@code stack} (closed with it), with {@code extra} more leaves joined by {@code extraJoins}
     * after the readers' leaves; the extra leaves are not read nor checked.
     */
    static JoinleafFanout open(TcpStack stack, int leaves, int messageBytes, int extra, ExtraJoins extraJoins)
            throws IOException, InterruptedException {
        JoinleafFanout f = new JoinleafFanout(stack);
        try {
            f.start(leaves, messageBytes, extra, extraJoins);
            return f;
        } catch (IOException | InterruptedException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void start(int n, int messageBytes, int extra, ExtraJoins extraJoins)
            throws IOException, InterruptedException {
        root = stack.listeningRoot();
        SOCKADDR address = stack.localAddress(root);
        acceptor = Acceptor.start(stack, root, n + extra, true);
        List<SOCKET> leaves = Joins.joinMany(stack, address, n, JOIN_THREADS, JL_RECEIVER_ONLY);
        extraJoins.join(address);
        acceptor.await(TimeUnit.SECONDS.toMillis(30));
        int threads = Math.min(n, READERS);
        for (int r = 0; r < threads; r++) {
            List<SOCKET> share = new ArrayList<>();
            List<SequenceCheck> shareChecks = new ArrayList<>();
            for (int i = r; i < n; i += threads) {
                share.add(leaves.get(i));
                SequenceCheck c = new SequenceCheck("leaf " + leaves.get(i), messageBytes, delivered);
                shareChecks.add(c);
                checks.add(c);
            }
            WSAEVENT event = stack.ws.WSACreateEvent();
            if (event == null) {
                throw stack.failure("WSACreateEvent");
            }
            for (SOCKET s : share) {
                stack.check(stack.ws.WSAEventSelect(s, event, FD_READ | FD_CLOSE), "WSAEventSelect");
            }
            Thread t = new Thread(() -> read(event, share, shareChecks, messageBytes), "bench-tcp-reader-" + r);
            t.setDaemon(true);
            readers.add(t);
        }
        readers.forEach(Thread::start);
    }

    private void read(WSAEVENT event, List<SOCKET> share, List<SequenceCheck> shareChecks, int messageBytes) {
        WSAEVENT[] wait = {event};
        byte[] buffer = new byte[messageBytes + 1]; // one spare byte: a longer message shows as a wrong length
        boolean[] failed = new boolean[share.size()];
        while (!stop.get()) {
            if (stack.ws.WSAWaitForMultipleEvents(1, wait, false, POLL_MILLIS, false) == WSA_WAIT_FAILED) {
                failure.compareAndSet(null, stack.failure("WSAWaitForMultipleEvents"));
                return;
            }
            stack.ws.WSAResetEvent(event); // before draining: anything later signals it again
            for (int i = 0; i < share.size(); i++) {
                if (failed[i]) {
                    continue;
                }
                try {
                    drain(share.get(i), shareChecks.get(i), buffer);
                } catch (IOException e) {
                    // The trial has failed; the rest of the share is still read so the root is not held up.
                    failure.compareAndSet(null, e);
                    failed[i] = true;
                }
            }
        }
    }

    private void drain(SOCKET s, SequenceCheck check, byte[] buffer) throws IOException {
        for (int n = 0; n < RECEIVES_PER_VISIT; n++) {
            int got = stack.ws.recv(s, buffer, buffer.length, 0);
            if (got == SOCKET_ERROR) {
                if (stack.ws.WSAGetLastError() == WSAEWOULDBLOCK) {
                    return;
                }
                throw stack.failure("recv on " + s);
            }
            if (got == 0) {
                throw new IOException(s + " was closed by the root during the trial");
            }
            check.accept(buffer, got);
        }
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (stack.ws.send(root, message, message.length, 0) == SOCKET_ERROR) {
            throw stack.failure("send on the d_root");
        }
    }

    @Override
    public String note() {
        TcpSettings s = stack.provider().transport().settings();
        return "readers=" + Math.min(READERS, checks.size())
                + "(shared_event+nonblocking_recv);root=blocking_send;slowLeafPolicy=" + s.slowLeafPolicy()
                + ";slowLeafTimeoutMillis=" + s.slowLeafTimeoutMillis() + ";water_marks="
                + s.writeBufferLowWaterMark() / 1024 + "K/" + s.writeBufferHighWaterMark() / 1024
                + "K;receiveQueueMessages=" + s.receiveQueueMessages() + ";event_loops=" + s.eventLoopThreads()
                + "(root+leaves)";
    }

    @Override
    public void close() {
        stop.set(true);
        try {
            for (Thread t : readers) {
                t.join(TimeUnit.SECONDS.toMillis(2)); // they wake every POLL_MILLIS
            }
            if (acceptor != null) {
                acceptor.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stack.close();
    }
}
