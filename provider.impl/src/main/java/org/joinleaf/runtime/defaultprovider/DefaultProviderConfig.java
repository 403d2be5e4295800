package org.joinleaf.runtime.defaultprovider;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the default provider (PID {@value DefaultProvider#PID}). Every limit is per socket except
 * {@link #maxSockets()}; together they bound the provider's memory. A change restarts the provider: its open sockets
 * then fail with {@code WSAENETDOWN} (decisions 12), new sockets get the new limits.
 */
@ObjectClassDefinition(id = DefaultProvider.PID, name = "joinleaf default provider",
        description = "The CE-style built-in TCP/IP and UDP/IP provider. It does not support WSAJoinLeaf.")
public @interface DefaultProviderConfig {

    @AttributeDefinition(name = "Service ranking",
            description = "Catalog order among providers: higher comes first. The default is the lowest possible, so"
                    + " any other provider's matching entry wins.")
    int service_ranking() default Integer.MIN_VALUE;

    @AttributeDefinition(name = "Receive buffer (bytes)", min = "1024",
            description = "Bytes held for the application per socket: TCP data not yet received (reading stops"
                    + " while it is full), or queued UDP datagrams (later ones are dropped while it is full).")
    int receiveBufferBytes() default 65536;

    @AttributeDefinition(name = "Send buffer (bytes)", min = "1024",
            description = "Bytes a TCP socket queues for sending; send() fails with WSAEWOULDBLOCK while it is"
                    + " full and FD_WRITE follows once it has drained to half.")
    int sendBufferBytes() default 65536;

    @AttributeDefinition(name = "Maximum backlog", min = "1",
            description = "Upper bound of listen()'s backlog: accepted connections waiting for WSAAccept.")
    int maxBacklog() default 64;

    @AttributeDefinition(name = "Maximum sockets", min = "1",
            description = "Open sockets of this provider; socket() and WSAAccept fail with WSAEMFILE beyond it.")
    int maxSockets() default 1024;

    @AttributeDefinition(name = "Receive buffers, all sockets (bytes)", min = "0",
            description = "Bytes all sockets hold for the application together: each TCP connection's receive"
                    + " buffer (taken whole when it connects or is accepted; beyond the total that fails with"
                    + " WSAENOBUFS) and every queued UDP datagram (dropped and counted beyond it). 0 = derive:"
                    + " 1/8 of the JVM heap (Runtime.maxMemory(), 4 MiB with -Xmx32m). A value above a quarter of"
                    + " the heap, or below receiveBufferBytes, cannot fit and fails activation.")
    int totalReceiveBytes() default 0;
}
