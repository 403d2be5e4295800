package org.joinleaf.runtime.shell;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.service.command.Descriptor;
import org.joinleaf.runtime.ProviderCatalog;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code joinleaf:pin} / {@code joinleaf:unpin}: set or clear the catalog's {@code pinnedProvider} through Config
 * Admin, so new sockets try that provider's entries first; open sockets keep their provider. A component of its own
 * with a mandatory Config Admin reference: where Config Admin is absent (its import is optional) this component stays
 * unsatisfied and its class is never loaded, while the other {@code joinleaf:} commands keep working.
 */
@Component(service = PinCommands.class, property = {"osgi.command.scope=joinleaf", "osgi.command.function=pin",
        "osgi.command.function=unpin"})
public final class PinCommands {
    private final ProviderCatalog catalog;
    private final ConfigurationAdmin configAdmin;

    @Activate
    public PinCommands(@Reference ProviderCatalog catalog, @Reference ConfigurationAdmin configAdmin) {
        this.catalog = catalog;
        this.configAdmin = configAdmin;
    }

    @Descriptor("make new sockets try this provider's catalog entries first (sets the catalog's pinnedProvider in"
            + " Config Admin); open sockets keep their provider")
    public String pin(@Descriptor("joinleaf.provider.name, as joinleaf:providers shows it") String providerName)
            throws IOException {
        return setPinned(providerName);
    }

    @Descriptor("back to catalog order for new sockets (clears the catalog's pinnedProvider)")
    public String unpin() throws IOException {
        return setPinned(null);
    }

    private String setPinned(String providerName) throws IOException {
        Configuration c = configAdmin.getConfiguration(ProviderCatalog.PID, "?");
        Dictionary<String, Object> props = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        if (providerName == null) {
            props.remove(ProviderCatalog.PINNED_PROVIDER);
        } else {
            props.put(ProviderCatalog.PINNED_PROVIDER, providerName);
        }
        c.update(props);
        boolean known = providerName == null
                || catalog.providerDTOs().stream().anyMatch(p -> p.name.equals(providerName));
        return providerName == null ? "unpinned: new sockets use catalog order"
                : "pinned '" + providerName + "' for new sockets"
                        + (known ? "" : " (not registered yet; applies when it is)");
    }
}
