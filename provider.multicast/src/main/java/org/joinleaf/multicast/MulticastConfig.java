package org.joinleaf.multicast;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the multicast provider (PID {@value #PID}). The defaults keep every datagram on this host
 * (loopback interface): operators set {@code interfaceName} (or {@code ipv4Interface}) to their real multicast
 * interface. Outside OSGi, build one with {@link org.joinleaf.spi.config.ConfigValues#of}.
 */
@ObjectClassDefinition(id = MulticastConfig.PID, name = "joinleaf IP multicast provider",
        description = "Non-rooted WSAJoinLeaf over IP multicast (UDP, IPv4 and IPv6).")
public @interface MulticastConfig {
    /** The configuration PID. */
    String PID = "org.joinleaf.multicast";

    @AttributeDefinition(name = "Multicast interface",
            description = "Name of the network interface groups are joined on and datagrams leave by "
                    + "(IP_MULTICAST_IF). The default, lo, keeps all traffic on this host; set your real "
                    + "interface (for example eth0) to reach other hosts. The default is not followed to the "
                    + "host's real interface: left on lo while the host has other multicast-capable interfaces, "
                    + "activation logs one WARNING naming them and this setting.")
    String interfaceName() default "lo";

    @AttributeDefinition(name = "Multicast interface by IPv4 address",
            description = "Alternative to the interface name, as Windows' IP_MULTICAST_IF takes it: an IPv4 "
                    + "address of the interface (for example 127.0.0.1). Takes precedence when set.")
    String ipv4Interface() default "";

    @AttributeDefinition(name = "Default scope (TTL)",
            description = "SIO_MULTICAST_SCOPE of new sockets: 0 = this host only, 1 = local segment, more = "
                    + "across routers. 0..255.", min = "0", max = "255")
    int defaultScope() default 1;

    @AttributeDefinition(name = "Receive queue (datagrams)",
            description = "Datagrams queued per socket until the application reads them; further arrivals are "
                    + "dropped and counted.", min = "1")
    int receiveQueueDatagrams() default 256;

    @AttributeDefinition(name = "Receive queue (bytes)",
            description = "Bytes of datagrams (payload plus 128 bytes each) queued per socket until the application "
                    + "reads them; further arrivals are dropped and counted. 0 = derive: a quarter of "
                    + "totalReceiveQueueBytes, at least one 64 KiB datagram. A value above the total fails "
                    + "activation.", min = "0")
    int receiveQueueBytes() default 0;

    @AttributeDefinition(name = "Receive queues, all sockets (bytes)",
            description = "Bytes all sockets of the provider may hold queued together; an arrival beyond it is "
                    + "dropped and counted. 0 = derive: 1/16 of the JVM heap (Runtime.maxMemory(), 2 MiB with "
                    + "-Xmx32m). A value above a quarter of the heap cannot fit and fails activation.", min = "0")
    int totalReceiveQueueBytes() default 0;

    @AttributeDefinition(name = "Socket receive buffer (bytes)",
            description = "SO_RCVBUF of the kernel socket each joined member receives on: datagrams that arrive "
                    + "faster than the I/O threads read are held there, and dropped by the kernel beyond it (counted "
                    + "where Linux exposes them, /proc/net/udp). 0 = the operating system's default "
                    + "(net.core.rmem_default); Linux doubles the value and caps it at net.core.rmem_max. "
                    + "setsockopt(SO_RCVBUF) changes it per socket.", min = "0")
    int socketReceiveBufferBytes() default 0;

    @AttributeDefinition(name = "Receive threads",
            description = "I/O threads that read the members' sockets; each socket is served by one of them, dealt "
                    + "round-robin as sockets open. One thread per core lets a fan-out to many local members keep up "
                    + "with the sender (issue 14); each thread holds one 64 KiB direct read buffer. 1..64.",
            min = "1", max = "64")
    int receiveThreads() default 2;

    @AttributeDefinition(name = "Largest datagram (bytes)",
            description = "Largest message a socket may send (WSAEMSGSIZE above it) and the catalog entries' "
                    + "dwMessageSize. 1..65467.", min = "1", max = "65467")
    int maxDatagramSize() default MulticastCatalog.MAX_MESSAGE_SIZE;

    @AttributeDefinition(name = "Service ranking",
            description = "Catalog order among providers: higher comes first. 150 is above the default provider "
                    + "(lowest) and the local one (100), below tcp (200).")
    int service_ranking() default 150;
}
