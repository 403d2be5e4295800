package org.joinleaf.gateway.hostile.target;

import static org.joinleaf.api.Winsock2.*;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.joinleaf.api.SOCKADDR;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAEVENT;
import org.joinleaf.api.WSANETWORKEVENTS;
import org.joinleaf.api.Winsock;

/**
 * A member of a multicast group (provider.multicast, JL_RECEIVER_ONLY, scope 0) that reads every datagram and counts
 * them by their first byte, so the suite can tell group traffic from unicast sent to the group's port.
 */
final class TargetGroup {
    private final Winsock ws;
    private final SOCKET socket;
    private final WSAEVENT event;
    private final Thread thread;
    private final byte[] buffer = new byte[64 * 1024];
    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    final String joined;

    TargetGroup(Winsock ws, String group, int port) {
        this.ws = ws;
        socket = ws.WSASocket(AF_INET, SOCK_DGRAM, IPPROTO_UDP, null, 0,
                WSA_FLAG_MULTIPOINT_C_LEAF | WSA_FLAG_MULTIPOINT_D_LEAF);
        ws.WSAIoctl(socket, SIO_MULTICAST_SCOPE, new int[] {0}, 4, null, 0, new int[1]);
        SOCKADDR at = SOCKADDR.of(group, port);
        if (SOCKET.INVALID_SOCKET.equals(ws.WSAJoinLeaf(socket, at, at.size(), null, null, null, null,
                JL_RECEIVER_ONLY))) {
            throw new IllegalStateException("WSAJoinLeaf(" + at + ") failed: " + ws.WSAGetLastError());
        }
        event = ws.WSACreateEvent();
        ws.WSAEventSelect(socket, event, FD_READ);
        joined = at.toString();
        thread = new Thread(this::loop, "hostile-group");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        WSANETWORKEVENTS ne = new WSANETWORKEVENTS();
        try {
            while (running) {
                ws.WSAWaitForMultipleEvents(1, new WSAEVENT[] {event}, false, 100, false);
                ws.WSAEnumNetworkEvents(socket, event, ne);
                for (int i = 0; i < 4096; i++) {
                    int n = ws.recv(socket, buffer, buffer.length, 0);
                    if (n == SOCKET_ERROR) {
                        break;
                    }
                    String kind = n == 0 ? "empty" : String.valueOf((char) buffer[0]);
                    received.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                }
            }
        } catch (Throwable t) {
            System.out.println("hostile-group loop ended: " + t);
        }
    }

    String stats() {
        return "group=" + new TreeMap<>(received).toString().replace(" ", "");
    }

    void stop() {
        running = false;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ws.WSACloseEvent(event);
        ws.closesocket(socket);
    }
}
