package org.joinleaf.runtime.jmx;

import java.lang.management.ManagementFactory;
import java.util.Map;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.joinleaf.runtime.Counters;

/**
 * The MBean of one provider, {@code org.joinleaf:type=Provider,name="<joinleaf.provider.name>",serviceId=<id>},
 * registered on the platform MBeanServer while the provider is in the catalog.
 */
public final class ProviderCounters implements ProviderCountersMBean {
    private final String name;
    private final Counters counters;
    private final ObjectName objectName;

    public ProviderCounters(String name, long serviceId, Counters counters) throws JMException {
        this.name = name;
        this.counters = counters;
        this.objectName = new ObjectName("org.joinleaf:type=Provider,name=" + ObjectName.quote(name)
                + ",serviceId=" + serviceId);
    }

    public ObjectName objectName() {
        return objectName;
    }

    public void register() throws JMException {
        server().registerMBean(this, objectName);
    }

    public void unregister() throws JMException {
        MBeanServer server = server();
        if (server.isRegistered(objectName)) {
            server.unregisterMBean(objectName);
        }
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }

    @Override
    public String getProviderName() {
        return name;
    }

    @Override
    public long getJoinsAttempted() {
        return counters.joinsAttempted();
    }

    @Override
    public long getJoinsAccepted() {
        return counters.joinsAccepted();
    }

    @Override
    public long getJoinsRefused() {
        return counters.joinsRefused();
    }

    @Override
    public long getBytesIn() {
        return counters.bytesIn();
    }

    @Override
    public long getBytesOut() {
        return counters.bytesOut();
    }

    @Override
    public long getMessagesIn() {
        return counters.messagesIn();
    }

    @Override
    public long getMessagesOut() {
        return counters.messagesOut();
    }

    @Override
    public long getEvictions() {
        return counters.evictions();
    }

    @Override
    public Map<String, Long> getErrors() {
        return counters.errorsByName();
    }
}
