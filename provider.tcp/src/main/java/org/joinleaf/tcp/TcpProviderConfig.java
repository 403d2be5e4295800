package org.joinleaf.tcp;

import org.joinleaf.tcp.session.SlowLeafPolicy;
import org.joinleaf.tcp.session.TransportChoice;
import org.joinleaf.tcp.tls.TlsMode;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the TCP multipoint provider (PID {@value TcpProvider#PID}); every value has a default. */
@ObjectClassDefinition(id = TcpProvider.PID, name = "joinleaf TCP multipoint provider",
        description = "Rooted multipoint sessions (WSAJoinLeaf) over TCP.")
public @interface TcpProviderConfig {

    @AttributeDefinition(name = "Service ranking",
            description = "Catalog order: higher wins over other providers of the same protocol.")
    int service_ranking() default 200;

    @AttributeDefinition(name = "Event-loop threads", min = "1", description = "Event-loop threads (NIO or epoll).")
    int eventLoopThreads() default 2;

    @AttributeDefinition(name = "Transport",
            description = "The Netty transport of every connection. AUTO (the default): the native epoll transport where it loads "
                    + "(Linux x86_64 with io.netty.transport-classes-epoll and its native fragment installed), NIO "
                    + "elsewhere, with one INFO line saying why. NIO: Java NIO. EPOLL: epoll; where it does not load, "
                    + "activation fails.")
    TransportChoice transport() default TransportChoice.AUTO;

    @AttributeDefinition(name = "Join timeout (ms)", min = "1",
            description = "Deadline of a join or invitation, TCP connect included (WSAETIMEDOUT), and of a "
                    + "queued JOIN/INVITE the application has not accepted (REJECT, WSAETIMEDOUT at the caller).")
    int joinTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Opening frame timeout (ms)", min = "1",
            description = "A passive connection that has not delivered its JOIN/INVITE (TLS handshake included) "
                    + "this long after its accept is reset; at most joinTimeoutMillis applies. Short, so a flood of "
                    + "slow handshakes holds the pending-handshake places only briefly.")
    int openingFrameTimeoutMillis() default 1000;

    @AttributeDefinition(name = "Max connect data (bytes)", min = "0", max = "65535",
            description = "Largest caller or callee data; more is WSAEFAULT.")
    int maxConnectData() default 1024;

    @AttributeDefinition(name = "Max message size (bytes)", min = "1",
            description = "Largest message (dwMessageSize); more is WSAEMSGSIZE and bounds the frame size.")
    int maxMessageSize() default 65536;

    @AttributeDefinition(name = "Write buffer low water mark (bytes)", min = "1")
    int writeBufferLowWaterMark() default 32768;

    @AttributeDefinition(name = "Write buffer high water mark (bytes)", min = "1",
            description = "Above it a connection is unwritable: sends return WSAEWOULDBLOCK, slow leaves are "
                    + "handled by the slow-leaf policy.")
    int writeBufferHighWaterMark() default 65536;

    @AttributeDefinition(name = "Slow-leaf policy",
            description = "A leaf's backlog counts from the send. EVICT: keep sending; a leaf whose backlog passes 2x "
                    + "the high water mark is evicted when it falls behind the others (another receiving leaf is "
                    + "writable). BLOCK_SENDER: the root's send returns WSAEWOULDBLOCK while a leaf is unwritable. "
                    + "Under either policy, when every receiving leaf is behind the sender gets WSAEWOULDBLOCK and "
                    + "then FD_WRITE; a leaf whose root relays others' data pauses them while it is unwritable.")
    SlowLeafPolicy slowLeafPolicy() default SlowLeafPolicy.EVICT;

    @AttributeDefinition(name = "Slow-leaf timeout (ms)", min = "1",
            description = "A leaf unwritable this long while another receiving leaf is writable is evicted "
                    + "(FD_CLOSE WSAECONNABORTED at both ends), under either policy.")
    int slowLeafTimeoutMillis() default 2000;

    @AttributeDefinition(name = "Slow-leaf grace (ms)", min = "0",
            description = "EVICT: a leaf at twice the high water mark that took nothing while another leaf kept up "
                    + "is evicted only once it has taken nothing, with data waiting, this long; meanwhile the sender "
                    + "gets WSAEWOULDBLOCK and then FD_WRITE. A stalled leaf goes at most this long after reaching "
                    + "its bound. Under epoll only a leaf whose receive window is closed goes; one whose data is in "
                    + "flight holds the sender back, up to slowLeafTimeoutMillis. Raise it on links where TCP flows "
                    + "starve each other longer (a veth pair shaped to 10 Mbit/s: up to 1.7 s).")
    int slowLeafGraceMillis() default 50;

    @AttributeDefinition(name = "Heartbeat interval (ms)", min = "1",
            description = "PING after this long without writing. Mandatory: must be below the heartbeat timeout.")
    int heartbeatIntervalMillis() default 5000;

    @AttributeDefinition(name = "Heartbeat timeout (ms)", min = "1",
            description = "Close with WSAECONNABORTED after this long without any frame. Mandatory: TCP "
                    + "keepalive alone takes hours to notice a partitioned leaf.")
    int heartbeatTimeoutMillis() default 15000;

    @AttributeDefinition(name = "Receive queue (messages)", min = "1",
            description = "Messages queued per socket before its connections stop reading.")
    int receiveQueueMessages() default 1024;

    @AttributeDefinition(name = "Receive queue (bytes)", min = "0",
            description = "Received bytes queued per socket before the connections feeding it stop reading (they "
                    + "resume once the application took it down to half). 0: derived from the JVM, a quarter of "
                    + "maxReceivedBytes.")
    long receiveQueueBytes() default 0;

    @AttributeDefinition(name = "Max received bytes", min = "0",
            description = "Received bytes queued over every socket of this provider; over it each connection that "
                    + "delivers stops reading until the total is down to half. 0: derived, an eighth of the heap "
                    + "(-Xmx).")
    long maxReceivedBytes() default 0;

    @AttributeDefinition(name = "QoS scope",
            description = "The capacity this provider's QoS flows are admitted against (a scope of the QoS service,"
                    + " PID org.joinleaf.qos, scopeCapacities).")
    String qosScope() default "tcp";

    @AttributeDefinition(name = "RequestQueue", min = "1",
            description = "Largest listen backlog: join requests waiting for WSAAccept. The kernel's accept queue "
                    + "holds up to the larger of this and maxPendingHandshakes (decision 43).")
    int backlog() default 128;

    @AttributeDefinition(name = "Max join rate per source (joins/s)", min = "1",
            description = "Token bucket per source IP (burst = rate) over JOIN and INVITE frames; an over-rate one "
                    + "is answered REJECT (WSAECONNREFUSED at the caller) and closed, never queued.")
    int maxJoinRatePerSource() default 100;

    @AttributeDefinition(name = "Max pending handshakes per source", min = "1",
            description = "Accepted connections from one source IP that have not sent their JOIN/INVITE yet; "
                    + "over it a new connection gets REJECT (WSAECONNREFUSED) at once and is closed.")
    int maxPendingHandshakesPerSource() default 128;

    @AttributeDefinition(name = "Max pending handshakes", min = "1",
            description = "The same, over all sources of this provider.")
    int maxPendingHandshakes() default 1024;

    @AttributeDefinition(name = "Max leaves per root", min = "0",
            description = "c_leaf links of one c_root (members, invitations and queued JOINs). Over it a JOIN is "
                    + "refused (WSAECONNREFUSED) and the root's own WSAJoinLeaf fails with WSAENOBUFS. 0: derived "
                    + "from the JVM, an eighth of the heap (-Xmx) at 4 KiB per link (1024 in 32 MB).")
    int maxLeavesPerRoot() default 0;

    @AttributeDefinition(name = "Max queued outbound bytes", min = "0",
            description = "DATA bytes sent but not yet taken by the kernel, over all connections of this provider (a "
                    + "fan-out or relay frame counts once, until its last leaf took it; frames waiting on an event "
                    + "loop included). A send "
                    + "that would pass it fails with WSAENOBUFS; a leaf whose message the root relays stops being "
                    + "read. 0: derived from the JVM, a quarter of the direct-memory limit. The memory settings "
                    + "together must fit half the heap and half the direct memory, or activation fails.")
    long maxQueuedBytes() default 0;

    @AttributeDefinition(name = "TLS mode",
            description = "OFF: plain TCP. TLS: the listening side proves its identity. MUTUAL_TLS: both do; the "
                    + "caller's certificate identity reaches the WSAAccept condition function. The side that opened "
                    + "TCP is the TLS client. Both peers must use the same mode.")
    TlsMode tlsMode() default TlsMode.OFF;

    @AttributeDefinition(name = "Key store", description = "Path of the keystore holding this side's key and "
            + "certificate (needed unless tlsMode is OFF).")
    String keyStore() default "";

    // Property ".keyStorePassword": the leading dot keeps it out of the service properties, where every bundle
    // (and scr:info) could read it.
    @AttributeDefinition(name = "Key store password", type = AttributeType.PASSWORD,
            description = "Password of keyStore and of its key (property .keyStorePassword).")
    String _keyStorePassword() default "";

    @AttributeDefinition(name = "Key store type", description = "Type of keyStore and trustStore.")
    String keyStoreType() default "PKCS12";

    @AttributeDefinition(name = "Trust store", description = "Path of the keystore whose certificates identify the "
            + "peers this side trusts (needed unless tlsMode is OFF).")
    String trustStore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD,
            description = "Password of trustStore (property .trustStorePassword).")
    String _trustStorePassword() default "";

    @AttributeDefinition(name = "TLS protocols", description = "Protocol versions offered, comma separated.")
    String[] tlsProtocols() default {"TLSv1.3", "TLSv1.2"};
}
