package org.joinleaf.bench.multicast;

import static org.joinleaf.api.Winsock2.AF_INET;
import static org.joinleaf.api.Winsock2.FD_READ;
import static org.joinleaf.api.Winsock2.FD_WRITE;
import static org.joinleaf.api.Winsock2.IPPROTO_UDP;
import static org.joinleaf.api.Winsock2.JL_RECEIVER_ONLY;
import static org.joinleaf.api.Winsock2.JL_SENDER_ONLY;
import static org.joinleaf.api.Winsock2.MAKEWORD;
import static org.joinleaf.api.Winsock2.SIO_MULTICAST_SCOPE;
import static org.joinleaf.api.Winsock2.SOCKET_ERROR;
import static org.joinleaf.api.Winsock2.SOCK_DGRAM;
import static org.joinleaf.api.Winsock2.WSAEWOULDBLOCK;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_C_LEAF;
import static org.joinleaf.api.Winsock2.WSA_FLAG_MULTIPOINT_D_LEAF;
import static org.joinleaf.api.Winsock2.WSA_WAIT_EVENT_0;
import static org.joinleaf.api.Winsock2.WSA_WAIT_FAILED;
import static org.joinleaf.api.Winsock2.WSA_WAIT_TIMEOUT;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSADATA;
import org.joinleaf.api.WSAError;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.multicast.MulticastConfig;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.multicast.MulticastProvider;
import org.joinleaf.runtime.ProviderCatalog;
import org.joinleaf.runtime.WinsockProcess;

/**
 * The joinleaf variant: the runtime and the multicast provider as plain objects (no OSGi), provider pinned to
 * {@code lo}; every socket gets scope 0 ({@code SIO_MULTICAST_SCOPE}), the sender joins {@code JL_SENDER_ONLY}, the
 * receivers {@code JL_RECEIVER_ONLY}. Each socket has its own event object ({@code WSAEventSelect}); readers wait
 * with {@code WSAWaitForMultipleEvents} over their share (at most 64) and drain with non-blocking {@code recv}.
 */
final class JoinleafFanout implements Fanout {
    private static final int LEAF = WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF;
    /** The provider's I/O threads; null: its own default. */
    private static final Integer RECEIVE_THREADS = Integer.getInteger("bench.multicast.receiveThreads");

    private final int receiveQueueDatagrams;
    private final List<Member> members = new ArrayList<>();
    private final List<Reader> readers = new ArrayList<>();
    private final WSANETWORKEVENTS senderEvents = new WSANETWORKEVENTS();
    private WSAEVENT[] senderEvent;
    private MulticastProvider provider;
    private ProviderCatalog catalog;
    private WinsockProcess ws;
    private Member sender;

    private JoinleafFanout(int receiveQueueDatagrams) {
        this.receiveQueueDatagrams = receiveQueueDatagrams;
    }

    /** A sender and {@code receivers} receivers joined to {@code group}; everything is closed again on failure. */
    static JoinleafFanout open(InetSocketAddress group, int receivers, int messageBytes, int receiveQueueDatagrams)
            throws IOException {
        JoinleafFanout f = new JoinleafFanout(receiveQueueDatagrams);
        try {
            f.start(SOCKADDR.of(group), receivers, messageBytes);
            return f;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private void start(SOCKADDR group, int receivers, int messageBytes) throws IOException {
        provider = new MulticastProvider();
        Map<String, Object> config = new HashMap<>(Map.of("interfaceName", "lo", "defaultScope", 0,
                "receiveQueueDatagrams", receiveQueueDatagrams));
        if (RECEIVE_THREADS != null) {
            config.put("receiveThreads", RECEIVE_THREADS);
        }
        provider.activate(ConfigValues.of(MulticastConfig.class, config));
        catalog = new ProviderCatalog();
        catalog.add(provider, "multicast", 150, 1L);
        ws = new WinsockProcess(catalog);
        int rc = ws.WSAStartup(MAKEWORD(2, 2), new WSADATA());
        if (rc != 0) {
            throw new IOException("WSAStartup failed: " + WSAError.describe(rc));
        }
        sender = join(group, JL_SENDER_ONLY, FD_WRITE);
        senderEvent = new WSAEVENT[] {sender.event};
        List<Member> receiving = new ArrayList<>();
        for (int i = 0; i < receivers; i++) {
            receiving.add(join(group, JL_RECEIVER_ONLY, FD_READ));
        }
        for (List<Member> share : ReaderShares.split(receiving)) {
            readers.add(new EventReader(share, messageBytes));
        }
    }

    /** A new leaf socket, scope 0, joined to {@code group} in {@code direction}, its events on its own event object. */
    private Member join(SOCKADDR group, int direction, int networkEvents) throws IOException {
        SOCKET s = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0, LEAF);
        if (SOCKET.INVALID_SOCKET.equals(s)) {
            throw failure("WSASocket");
        }
        WSAEVENT event = ws.WSACreateEvent();
        Member m = new Member(s, event);
        members.add(m);
        if (event == null) {
            throw failure("WSACreateEvent");
        }
        check(ws.WSAIoctl(s, SIO_MULTICAST_SCOPE, new int[] {0}, 4, null, 0, new int[1]), "WSAIoctl(SIO_MULTICAST_SCOPE)");
        if (SOCKET.INVALID_SOCKET.equals(ws.WSAJoinLeaf(s, group, group.size(), null, null, null, null, direction))) {
            throw failure("WSAJoinLeaf(" + group + ")");
        }
        check(ws.WSAEventSelect(s, event, networkEvents), "WSAEventSelect"); // also makes the socket non-blocking
        return m;
    }

    @Override
    public boolean trySend(byte[] message) throws IOException {
        if (ws.send(sender.socket, message, message.length, 0) != SOCKET_ERROR) {
            return true;
        }
        if (ws.WSAGetLastError() == WSAEWOULDBLOCK) {
            return false;
        }
        throw failure("send");
    }

    @Override
    public void awaitSendRoom(long millis) throws IOException {
        int r = ws.WSAWaitForMultipleEvents(1, senderEvent, false, (int) millis, false);
        if (r == WSA_WAIT_FAILED) {
            throw failure("WSAWaitForMultipleEvents");
        }
        check(ws.WSAEnumNetworkEvents(sender.socket, sender.event, senderEvents), "WSAEnumNetworkEvents");
    }

    @Override
    public List<Reader> readers() {
        return readers;
    }

    @Override
    public String bufferingNote() {
        return "receiveQueueDatagrams=" + receiveQueueDatagrams + ";receiveThreads="
                + (RECEIVE_THREADS == null ? "default" : RECEIVE_THREADS) + ";SO_RCVBUF=kernel default"; // none set
    }

    @Override
    public void close() {
        if (ws != null) {
            for (Member m : members) {
                ws.closesocket(m.socket); // leaves the group
                if (m.event != null) {
                    ws.WSACloseEvent(m.event);
                }
            }
            ws.WSACleanup();
            ws.terminate();
        }
        if (catalog != null) {
            catalog.remove(provider);
        }
        if (provider != null) {
            provider.deactivate(); // stops the provider's I/O thread (bounded wait)
        }
    }

    private void check(int rc, String call) throws IOException {
        if (rc == SOCKET_ERROR) {
            throw failure(call);
        }
    }

    private IOException failure(String call) {
        return new IOException(call + " failed: " + WSAError.describe(ws.WSAGetLastError()) + ": "
                + ws.WSAGetLastErrorMessage());
    }

    private record Member(SOCKET socket, WSAEVENT event) {
    }

    /** One reader thread's share: up to 64 receivers, one event object each. */
    private final class EventReader implements Reader {
        private final Member[] share;
        private final WSAEVENT[] events;
        private final byte[] buffer;
        private final WSANETWORKEVENTS happened = new WSANETWORKEVENTS();

        EventReader(List<Member> share, int messageBytes) {
            this.share = share.toArray(new Member[0]);
            this.events = share.stream().map(Member::event).toArray(WSAEVENT[]::new);
            this.buffer = new byte[messageBytes];
        }

        @Override
        public int readSome(long waitMillis) throws IOException {
            int r = ws.WSAWaitForMultipleEvents(events.length, events, false, (int) waitMillis, false);
            if (r == WSA_WAIT_TIMEOUT) {
                return 0;
            }
            if (r == WSA_WAIT_FAILED) {
                throw failure("WSAWaitForMultipleEvents");
            }
            int read = 0;
            // The wait names the first signalled event; later ones may be signalled too (the Winsock idiom).
            for (int i = r - WSA_WAIT_EVENT_0; i < share.length; i++) {
                check(ws.WSAEnumNetworkEvents(share[i].socket, share[i].event, happened), "WSAEnumNetworkEvents");
                if ((happened.lNetworkEvents & FD_READ) != 0) {
                    read += drain(share[i].socket);
                }
            }
            return read;
        }

        /** Receives until WSAEWOULDBLOCK or the per-visit bound; FD_READ is recorded again if data is left. */
        private int drain(SOCKET s) throws IOException {
            for (int n = 0; n < ReaderShares.RECEIVES_PER_VISIT; n++) {
                if (ws.recv(s, buffer, buffer.length, 0) == SOCKET_ERROR) {
                    if (ws.WSAGetLastError() == WSAEWOULDBLOCK) {
                        return n;
                    }
                    throw failure("recv");
                }
            }
            return ReaderShares.RECEIVES_PER_VISIT;
        }
    }
}
