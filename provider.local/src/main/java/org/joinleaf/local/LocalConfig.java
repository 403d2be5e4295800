package org.joinleaf.local;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the in-JVM provider (PID {@code org.joinleaf.local}); which changes apply live: {@link LocalProvider#modified}. */
@ObjectClassDefinition(id = LocalConfig.PID, name = "joinleaf local multipoint provider",
        description = "In-JVM multipoint sessions between sockets of one JVM; no OS sockets.")
public @interface LocalConfig {
    /** The configuration PID. */
    String PID = "org.joinleaf.local";

    @AttributeDefinition(name = "Service ranking", description = "Catalog order against other providers (higher first).")
    int service_ranking() default 100;

    @AttributeDefinition(name = "Join timeout (ms)",
            description = "A join not admitted or refused within this time fails with WSAETIMEDOUT.", min = "1")
    int joinTimeoutMillis() default 5000;

    @AttributeDefinition(name = "Max connect data (bytes)",
            description = "Largest caller or callee data; more fails with WSAEFAULT.", min = "0")
    int maxConnectData() default 1024;

    @AttributeDefinition(name = "Max message size (bytes)",
            description = "Largest message (dwMessageSize); more fails with WSAEMSGSIZE.", min = "1")
    int maxMessageSize() default 65507;

    @AttributeDefinition(name = "Receive queue (messages)",
            description = "Messages each socket holds before senders are refused or datagrams dropped.", min = "1")
    int receiveQueueMessages() default 1024;

    @AttributeDefinition(name = "Receive queue (bytes)",
            description = "Bytes of messages (payload plus 96 bytes each) each socket holds before senders are "
                    + "refused, slow leaves handled by the slow leaf policy, or datagrams dropped. 0 = derive: a "
                    + "quarter of totalReceiveQueueBytes, at least one largest message. A value above the total "
                    + "fails activation.", min = "0")
    int receiveQueueBytes() default 0;

    @AttributeDefinition(name = "Receive queues, all sockets (bytes)",
            description = "Bytes all sockets hold together; beyond it reliable senders get WSAEWOULDBLOCK (then "
                    + "FD_WRITE) and datagrams are dropped. 0 = derive: 1/8 of the JVM heap (Runtime.maxMemory(), "
                    + "4 MiB with -Xmx32m). A value above a quarter of the heap cannot fit and fails activation.",
            min = "0")
    int totalReceiveQueueBytes() default 0;

    @AttributeDefinition(name = "Slow leaf policy",
            description = "Reliable fan-out to a leaf whose queue is full: EVICT the leaf, or BLOCK_SENDER: the sender gets "
                    + "WSAEWOULDBLOCK, then FD_WRITE. BACKPRESSURE, the old name of BLOCK_SENDER, is read as it.")
    SlowLeafPolicy slowLeafPolicy() default SlowLeafPolicy.EVICT;
}
