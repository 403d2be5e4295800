package org.joinleaf.gateway.hostile.target;

import java.util.Hashtable;
import org.joinleaf.api.Winsock;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * The hostile-peer suite's application inside the gateway: a bundle of its own (its own Winsock process) that the
 * suite installs from the shell. It registers the {@code hostile:} Gogo commands; Gogo finds them by the
 * {@code osgi.command.*} properties, so this bundle needs no Gogo import.
 */
public final class TargetActivator implements BundleActivator {
    private ServiceReference<Winsock> winsockRef;
    private TargetCommands commands;
    private ServiceRegistration<?> registration;

    @Override
    public void start(BundleContext context) {
        winsockRef = context.getServiceReference(Winsock.class);
        commands = new TargetCommands(context.getService(winsockRef), context);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "hostile");
        props.put("osgi.command.function", new String[] {"probe", "monitor", "root", "lobby", "group", "stats", "tls",
            "close", "stop"});
        registration = context.registerService(Object.class.getName(), commands, props);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        commands.stop();
        context.ungetService(winsockRef);
    }
}
