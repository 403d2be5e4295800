package org.joinleaf.gateway;

import java.util.Collection;
import java.util.Map;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;

/**
 * No unauthenticated remote shell in the gateway (issue 15 item 4): the Gogo shell bundle registers a
 * {@code gogo:telnetd} command that opens a telnet console with no authentication at all. This activator hides that
 * command service from every other bundle (service hooks), so Gogo's command processor never sees it and
 * {@code telnetd} is "command not found" (only {@code help}, which reads the registry as the system bundle, still names
 * it: no hook may hide a service from the system bundle). The gateway bundle starts at start level 1, before the shell (gateway.bndrun),
 * so the command is hidden from the first moment. Remote management is JMX with authentication (README).
 */
public final class RemoteShellGuard implements BundleActivator, FindHook, EventListenerHook {
    /** The service class of the telnet command in org.apache.felix.gogo.shell. */
    static final String TELNET = "org.apache.felix.gogo.shell.Telnet";

    private ServiceRegistration<?> hooks;

    @Override
    public void start(BundleContext context) {
        hooks = context.registerService(new String[] {FindHook.class.getName(), EventListenerHook.class.getName()},
                this, null);
    }

    @Override
    public void stop(BundleContext context) {
        hooks.unregister();
    }

    /** True for the telnet command, seen by any bundle but its own. */
    static boolean hidden(ServiceReference<?> reference, BundleContext viewer) {
        Object classes = reference.getProperty(Constants.OBJECTCLASS);
        if (!(classes instanceof String[] names) || viewer.getBundle().equals(reference.getBundle())) {
            return false;
        }
        for (String name : names) {
            if (TELNET.equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        references.removeIf(r -> hidden(r, context));
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        listeners.keySet().removeIf(viewer -> hidden(event.getServiceReference(), viewer));
    }
}
