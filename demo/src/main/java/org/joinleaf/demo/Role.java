package org.joinleaf.demo;

import static org.joinleaf.api.Winsock2.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.joinleaf.api.LPCONDITIONPROC;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSABUF;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.Winsock;

/**
 * One application of the demo (the root or a leaf) with its own {@link Winsock} and its own thread, which waits on
 * the events of its sockets with {@code WSAWaitForMultipleEvents}, reads them with {@code WSAEnumNetworkEvents} and
 * prints every network event as it happens. The root accepts join requests (caller data in, callee data out); every
 * socket reads what arrives.
 */
final class Role {
    private static final int WAIT_MS = 100;
    private static final int MAX_READS_PER_EVENT = 16;

    /** A socket this role watches: its event object, and for a leaf the buffer the callee data arrives in. */
    private record Watched(SOCKET socket, WSAEVENT event, String label, WSABUF calleeData) {
    }

    final String name;
    /** The root reads what the leaves send (on its c_root or its c_leaf sockets); a leaf reads the root's data. */
    private final boolean isRoot;
    final Winsock ws;
    private final Transcript transcript;
    private final Progress progress;
    private final List<Watched> watched = new CopyOnWriteArrayList<>(); // at most 1 + leaves entries
    private final Thread thread;
    private volatile boolean running = true;

    Role(String name, Winsock ws, Transcript transcript, Progress progress) {
        this.name = name;
        this.isRoot = name.equals("root");
        this.ws = ws;
        this.transcript = transcript;
        this.progress = progress;
        this.thread = new Thread(this::loop, "joinleaf-demo-" + name);
        thread.setDaemon(true);
    }

    /** Selects the events of a socket on a new event object and watches it; {@code calleeData} for a leaf's join. */
    void watch(SOCKET s, String label, int events, WSABUF calleeData) {
        WSAEVENT ev = ws.WSACreateEvent();
        ws.WSAEventSelect(s, ev, events);
        watched.add(new Watched(s, ev, label, calleeData));
    }

    void start() {
        thread.start();
    }

    /** Ends the thread (bounded) and closes the event objects; the sockets are the demo's to close. */
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.MILLISECONDS.toMillis(5 * WAIT_MS));
        for (Watched w : watched) {
            ws.WSACloseEvent(w.event());
        }
    }

    private void loop() {
        while (running) {
            List<Watched> now = List.copyOf(watched);
            WSAEVENT[] events = now.stream().map(Watched::event).toArray(WSAEVENT[]::new);
            int r = ws.WSAWaitForMultipleEvents(events.length, events, false, WAIT_MS, false);
            if (r >= WSA_WAIT_EVENT_0 && r < WSA_WAIT_EVENT_0 + events.length) {
                dispatch(now.get(r - WSA_WAIT_EVENT_0));
            } else if (r != WSA_WAIT_TIMEOUT) {
                transcript.event(name, "WSAWaitForMultipleEvents", code(ws.WSAGetLastError()), "the role stops");
                return;
            }
        }
    }

    private void dispatch(Watched w) {
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        if (ws.WSAEnumNetworkEvents(w.socket(), w.event(), ne) != 0) {
            transcript.event(name, "WSAEnumNetworkEvents", code(ws.WSAGetLastError()), w.label());
            return;
        }
        if ((ne.lNetworkEvents & FD_CONNECT) != 0) {
            int c = ne.iErrorCode[FD_CONNECT_BIT];
            String callee = w.calleeData() == null ? "" : ", callee data " + quote(w.calleeData().buf, w.calleeData().len);
            transcript.event(name, "FD_CONNECT", code(c), w.label() + " joined" + callee);
            if (c == 0) {
                progress.connected.countDown();
            }
        }
        if ((ne.lNetworkEvents & FD_ACCEPT) != 0) {
            transcript.event(name, "FD_ACCEPT", code(ne.iErrorCode[FD_ACCEPT_BIT]), w.label() + " has a join request");
            acceptAll(w);
        }
        if ((ne.lNetworkEvents & FD_READ) != 0) {
            transcript.event(name, "FD_READ", code(ne.iErrorCode[FD_READ_BIT]), w.label());
            readAll(w);
        }
        if ((ne.lNetworkEvents & FD_CLOSE) != 0) {
            int c = ne.iErrorCode[FD_CLOSE_BIT];
            transcript.event(name, "FD_CLOSE", code(c), w.label() + " closed");
            progress.closeCodes.put(name + " " + w.label(), c);
            progress.closed.countDown();
        }
    }

    /** The root's side of a join: the condition function sees the caller data and answers with callee data. */
    private void acceptAll(Watched listening) {
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            String[] caller = {""};
            LPCONDITIONPROC condition = (callerId, callerData, sqos, gqos, calleeId, calleeData, g, cb) -> {
                caller[0] = new String(callerData.buf, 0, callerData.len, StandardCharsets.US_ASCII);
                byte[] reply = ("welcome " + caller[0].replace("hello from ", "")).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(reply, 0, calleeData.buf, 0, Math.min(reply.length, calleeData.buf.length));
                calleeData.len = Math.min(reply.length, calleeData.buf.length);
                return CF_ACCEPT;
            };
            SOCKET c = ws.WSAAccept(listening.socket(), null, null, condition, 0);
            if (c == SOCKET.INVALID_SOCKET) {
                int error = ws.WSAGetLastError();
                if (error != WSAEWOULDBLOCK) {
                    transcript.event(name, "WSAAccept", code(error), "");
                }
                return;
            }
            String link = "link to " + caller[0].replace("hello from ", "");
            transcript.event(name, "WSAAccept -> CF_ACCEPT", code(0),
                    "caller data " + quote(caller[0]) + ", new c_leaf socket " + c.value() + " (" + link + ")");
            WSAEVENT ev = ws.WSACreateEvent();
            ws.WSAEventSelect(c, ev, FD_READ | FD_CLOSE);
            watched.add(new Watched(c, ev, link, null));
            progress.accepted.countDown();
        }
    }

    private void readAll(Watched w) {
        byte[] buf = new byte[1024];
        for (int i = 0; i < MAX_READS_PER_EVENT; i++) {
            int n = ws.recv(w.socket(), buf, buf.length, 0);
            if (n == SOCKET_ERROR) {
                int error = ws.WSAGetLastError();
                if (error != WSAEWOULDBLOCK) {
                    transcript.event(name, "recv", code(error), w.label());
                }
                return;
            }
            if (n == 0) {
                return;
            }
            transcript.event(name, "recv", n + " bytes", quote(buf, n) + " on " + w.label());
            (isRoot ? progress.rootRead : progress.leavesRead).countDown();
        }
    }

    /** {@code NO_ERROR (0)}, {@code WSAENETDOWN (10050)}: the Winsock name and code. */
    static String code(int error) {
        return WSAError.describe(error);
    }

    private static String quote(byte[] buf, int len) {
        return quote(new String(buf, 0, Math.max(0, len), StandardCharsets.US_ASCII));
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }
}
