package org.joinleaf.tcp.session;

/** Which Netty transport carries the provider's connections ({@code transport}, issue 14 item 6). */
public enum TransportChoice {
    /** The native epoll transport where it loads, NIO elsewhere (one INFO line says why). */
    AUTO,
    /** Java NIO, on every platform. */
    NIO,
    /** The native epoll transport (Linux x86_64 with netty-transport-native-epoll); activation fails without it. */
    EPOLL
}
