package org.joinleaf.runtime.shell;

import org.apache.felix.service.command.Descriptor;
import org.joinleaf.runtime.ProviderCatalog;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code joinleaf:} Gogo commands: read-only views of the live catalog and of every process's sockets. Gogo
 * finds them by the {@code osgi.command.*} properties; without Gogo the component is simply unused.
 */
@Component(service = JoinleafCommands.class, property = {"osgi.command.scope=joinleaf",
        "osgi.command.function=providers", "osgi.command.function=sockets"})
public final class JoinleafCommands {
    private final ProviderCatalog catalog;

    @Activate
    public JoinleafCommands(@Reference ProviderCatalog catalog) {
        this.catalog = catalog;
    }

    @Descriptor("list the transport providers, best first, with their counters and catalog entries (XP1 flags by name)")
    public String providers() {
        return Tables.providers(catalog.providerDTOs());
    }

    @Descriptor("list the open sockets of every process (bundle): kind, state, provider, peer and counters")
    public String sockets() {
        return Tables.sockets(catalog.socketDTOs());
    }
}
