package org.joinleaf.runtime;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.JMException;
import org.joinleaf.api.SOCKET;
import org.joinleaf.runtime.jmx.RootSession;

/**
 * One JMX view per root session of a process (issue 15 item 4): registered when a c_root socket opens, while the
 * catalog exports to JMX (in the framework, not plain objects), unregistered when it closes.
 */
final class SessionBeans implements DescriptorTable.RootWatcher {
    private static final System.Logger LOG = System.getLogger(SessionBeans.class.getName());

    private final ProviderCatalog catalog;
    private final DescriptorTable table;
    private final String owner;
    private final Map<SOCKET, RootSession> beans = new ConcurrentHashMap<>();

    SessionBeans(ProviderCatalog catalog, DescriptorTable table, String owner) {
        this.catalog = catalog;
        this.table = table;
        this.owner = owner;
    }

    @Override
    public void added(SocketRecord root) {
        if (!catalog.exportsToJmx()) {
            return;
        }
        SOCKET handle = root.handle;
        RootSession bean = new RootSession(owner, handle.value(), () -> table.dtoOf(handle, owner),
                () -> table.leavesOf(handle));
        try {
            bean.register();
            beans.put(handle, bean);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "joinleaf: no JMX view of the session of " + handle + ": " + e);
        }
    }

    @Override
    public void removed(SocketRecord root) {
        RootSession bean = beans.remove(root.handle);
        if (bean == null) {
            return;
        }
        try {
            bean.unregister();
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "joinleaf: cannot unregister the JMX view of the session of " + root.handle
                    + ": " + e);
        }
    }
}
