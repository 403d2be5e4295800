package org.joinleaf.spi;

import org.joinleaf.api.QOS;
import org.joinleaf.api.SOCKADDR;

/**
 * A validated {@code WSAJoinLeaf} or {@code WSAConnect}, as the runtime hands it to the provider. Everything is a
 * copy the provider may keep: the application owns its own buffers (§3 R32). The runtime has already checked the
 * rules that are the same for every provider (startup, descriptor, multipoint kind, {@code dwFlags}, {@code namelen},
 * {@code ADDR_ANY}, address family, caller data without {@code XP1_CONNECT_DATA}, QoS without
 * {@code XP1_QOS_SUPPORTED}, join state).
 */
public final class ConnectRequest {
    private final SOCKADDR name;
    private final byte[] callerData;
    private final int calleeDataCapacity;
    private final QOS qos;
    private final int direction;
    private final SocketUpcalls newSocketUpcalls;

    /**
     * @param name               the peer: root, session or invited leaf (§3 R37)
     * @param callerData         bytes to send, or {@code null} when {@code lpCallerData} was NULL (R29)
     * @param calleeDataCapacity room for reply data; 0 when {@code lpCalleeData} was NULL (R31)
     * @param qos                {@code lpSQOS}, or {@code null} (R33)
     * @param direction          {@code JL_SENDER_ONLY}, {@code JL_RECEIVER_ONLY} or {@code JL_BOTH}; {@code JL_BOTH}
     *                           for {@code WSAConnect}
     * @param newSocketUpcalls   for a c_root join, the upcalls of the new c_leaf socket the runtime created for the
     *                           invited leaf; {@code null} otherwise
     */
    public ConnectRequest(SOCKADDR name, byte[] callerData, int calleeDataCapacity, QOS qos, int direction,
                          SocketUpcalls newSocketUpcalls) {
        this.name = new SOCKADDR().set(name);
        this.callerData = callerData == null ? null : callerData.clone();
        this.calleeDataCapacity = calleeDataCapacity;
        this.qos = qos == null ? null : new QOS(qos);
        this.direction = direction;
        this.newSocketUpcalls = newSocketUpcalls;
    }

    public SOCKADDR name() {
        return new SOCKADDR().set(name);
    }

    public byte[] callerData() {
        return callerData == null ? null : callerData.clone();
    }

    public int calleeDataCapacity() {
        return calleeDataCapacity;
    }

    public QOS qos() {
        return qos == null ? null : new QOS(qos);
    }

    public int direction() {
        return direction;
    }

    public SocketUpcalls newSocketUpcalls() {
        return newSocketUpcalls;
    }
}
