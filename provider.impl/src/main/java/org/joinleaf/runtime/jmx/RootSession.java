package org.joinleaf.runtime.jmx;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.joinleaf.runtime.dto.SocketDTO;

/**
 * The MXBean of one root session, read from the runtime on each access: {@code root} gives the c_root's snapshot
 * (null once it closed), {@code leaves} the number of its leaves open now.
 */
public final class RootSession implements SessionMXBean {
    private final String process;
    private final long handle;
    private final Supplier<SocketDTO> root;
    private final Supplier<Integer> leaves;
    private final ObjectName name;

    public RootSession(String process, long handle, Supplier<SocketDTO> root, Supplier<Integer> leaves) {
        this.process = process;
        this.handle = handle;
        this.root = root;
        this.leaves = leaves;
        try {
            this.name = new ObjectName("org.joinleaf:type=Session,process=" + ObjectName.quote(process) + ",handle="
                    + hex(handle));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("no JMX name for the session of " + hex(handle), e);
        }
    }

    public ObjectName objectName() {
        return name;
    }

    public void register() throws JMException {
        server().registerMBean(this, name);
    }

    public void unregister() throws JMException {
        if (server().isRegistered(name)) {
            server().unregisterMBean(name);
        }
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    private static String hex(long handle) {
        return "0x" + Long.toHexString(handle);
    }

    private SocketDTO dto() {
        SocketDTO d = root.get();
        if (d == null) {
            d = new SocketDTO();
            d.state = "closed";
            d.kind = "";
            d.provider = "";
        }
        return d;
    }

    @Override
    public String getProcess() {
        return process;
    }

    @Override
    public String getHandle() {
        return hex(handle);
    }

    @Override
    public String getProvider() {
        return dto().provider;
    }

    @Override
    public String getKind() {
        return dto().kind;
    }

    @Override
    public String getState() {
        return dto().state;
    }

    @Override
    public int getLeaves() {
        return leaves.get();
    }

    @Override
    public long getBytesIn() {
        SocketDTO d = dto();
        return d.counters == null ? 0 : d.counters.bytesIn;
    }

    @Override
    public long getBytesOut() {
        SocketDTO d = dto();
        return d.counters == null ? 0 : d.counters.bytesOut;
    }

    @Override
    public long getMessagesIn() {
        SocketDTO d = dto();
        return d.counters == null ? 0 : d.counters.messagesIn;
    }

    @Override
    public long getMessagesOut() {
        SocketDTO d = dto();
        return d.counters == null ? 0 : d.counters.messagesOut;
    }
}
