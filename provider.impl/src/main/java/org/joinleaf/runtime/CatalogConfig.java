package org.joinleaf.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The catalog's settings (PID {@value ProviderCatalog#PID}). Besides these, DS itself reads {@code Provider.target}
 * from the same configuration: an LDAP filter that restricts which providers are in the catalog at all (a provider
 * that no longer matches leaves it, and its sockets get {@code WSAENETDOWN}, decisions 12).
 */
@ObjectClassDefinition(id = ProviderCatalog.PID, name = "joinleaf provider catalog",
        description = "Which transport provider new sockets try first")
@interface CatalogConfig {
    @AttributeDefinition(name = "Pinned provider", required = false, description = "joinleaf.provider.name of the"
            + " provider whose matching entries WSASocket tries before catalog order; empty = catalog order only."
            + " Affects new sockets only; open sockets keep their provider (joinleaf:pin / joinleaf:unpin)")
    String pinnedProvider() default "";
}
