package org.joinleaf.runtime;

import static org.joinleaf.api.Winsock2.*;

import java.util.ArrayList;
import java.util.List;
import org.joinleaf.api.SOCKET;
import org.joinleaf.api.WSAPROTOCOL_INFO;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/** {@code WSAEnumProtocols} and {@code WSASocket}: the live catalog as a process sees it, and socket creation (§6). */
final class CatalogSockets {
    private final ProviderCatalog catalog;
    private final Startups startups;
    private final DescriptorTable table;
    private final ErrorBoundary boundary;

    CatalogSockets(ProviderCatalog catalog, Startups startups, DescriptorTable table, ErrorBoundary boundary) {
        this.catalog = catalog;
        this.startups = startups;
        this.table = table;
        this.boundary = boundary;
    }

    int enumProtocols(int[] lpiProtocols, WSAPROTOCOL_INFO[] lpProtocolBuffer, int[] lpdwBufferLength)
            throws WsaException {
        startups.check();
        if (lpdwBufferLength == null || lpdwBufferLength.length < 1) {
            throw new WsaException(WSAEFAULT, "lpdwBufferLength is required");
        }
        List<WSAPROTOCOL_INFO> visible = new ArrayList<>();
        for (CatalogEntry e : catalog.entries()) {
            if ((e.info.dwProviderFlags & PFL_HIDDEN) == 0 && e.info.ProtocolChain.ChainLen != LAYERED_PROTOCOL
                    && matchesProtocolList(e.info.iProtocol, lpiProtocols)) {
                visible.add(e.info);
            }
        }
        int needed = visible.size() * WSAPROTOCOL_INFO.SIZE;
        if (lpProtocolBuffer == null || lpdwBufferLength[0] < needed || lpProtocolBuffer.length < visible.size()) {
            lpdwBufferLength[0] = needed;
            throw new WsaException(WSAENOBUFS, "the buffer holds " + (lpProtocolBuffer == null ? 0
                    : lpProtocolBuffer.length) + " entries; " + visible.size() + " (" + needed + " bytes) are needed");
        }
        for (int i = 0; i < visible.size(); i++) {
            if (lpProtocolBuffer[i] == null) {
                lpProtocolBuffer[i] = new WSAPROTOCOL_INFO();
            }
            lpProtocolBuffer[i].set(visible.get(i));
        }
        return visible.size();
    }

    private static boolean matchesProtocolList(int protocol, int[] list) {
        if (list == null) {
            return true;
        }
        for (int p : list) {
            if (p == 0) {
                return false;
            }
            if (p == protocol) {
                return true;
            }
        }
        return false;
    }

    SOCKET socket(int af, int type, int protocol, WSAPROTOCOL_INFO lpProtocolInfo, int g, int dwFlags)
            throws WsaException {
        startups.check();
        if (g != 0) {
            throw new WsaException(WSAEINVAL, "socket groups are reserved; pass g = 0");
        }
        SocketRecord r = lpProtocolInfo != null
                ? create(entryById(lpProtocolInfo, af, type, protocol), dwFlags)
                : createOnFirstTaker(af, type, protocol, dwFlags);
        table.add(r);
        if (r.entry.registration.gone) { // the provider left while we were creating: decisions 12 applies at once
            table.providerGone(r.entry.registration);
        }
        return r.handle;
    }

    /**
     * §6 with one joinleaf rule for a catalog where several providers serve one af/type/protocol: the first entry in
     * catalog order that matches and can make this kind of socket takes it. An entry is passed over when the
     * multipoint flags break decisions 3 for it, or when its provider refuses the kind with
     * {@code WSAESOCKTNOSUPPORT} (a multipoint-only provider asked for a plain socket); if every match refuses, the
     * first refusal is reported.
     */
    private SocketRecord createOnFirstTaker(int af, int type, int protocol, int dwFlags) throws WsaException {
        WsaException firstRefusal = null;
        for (CatalogEntry entry : matches(af, type, protocol)) {
            try {
                return create(entry, dwFlags);
            } catch (KindRefused refused) {
                firstRefusal = firstRefusal == null ? refused.reason : firstRefusal;
            }
        }
        throw firstRefusal;
    }

    /** An entry that cannot make the requested kind of socket; the next match may. */
    private static final class KindRefused extends WsaException {
        private static final long serialVersionUID = 1L;
        final WsaException reason;

        KindRefused(WsaException reason) {
            super(reason.code(), reason.getMessage());
            this.reason = reason;
        }
    }

    private SocketRecord create(CatalogEntry entry, int dwFlags) throws WsaException {
        try {
            SocketKind.check(dwFlags, entry.info);
        } catch (WsaException e) {
            throw new KindRefused(e);
        }
        SocketRecord r = new SocketRecord(DescriptorTable.newHandle(), entry, dwFlags, table.pulse);
        boundary.concerns(entry.registration.name);
        ProviderSocket t;
        try {
            t = entry.provider().socket(entry.copy(), dwFlags, r);
        } catch (WsaException e) {
            throw e.code() == WSAESOCKTNOSUPPORT ? new KindRefused(e) : e;
        }
        if (t == null) {
            throw new WsaException(0, "provider '" + entry.registration.name + "' returned no socket");
        }
        r.attach(t);
        return r;
    }

    private CatalogEntry entryById(WSAPROTOCOL_INFO info, int af, int type, int protocol) throws WsaException {
        for (CatalogEntry e : catalog.entries()) {
            if (e.info.dwCatalogEntryId == info.dwCatalogEntryId) {
                if ((af != FROM_PROTOCOL_INFO && af != e.info.iAddressFamily)
                        || (type != FROM_PROTOCOL_INFO && type != e.info.iSocketType)) {
                    throw new WsaException(WSAEINVAL, "af/type disagree with catalog entry " + info.dwCatalogEntryId
                            + "; pass FROM_PROTOCOL_INFO");
                }
                return e;
            }
        }
        throw new WsaException(WSAEINVAL, "no catalog entry has dwCatalogEntryId " + info.dwCatalogEntryId
                + " (its provider may have left); call WSAEnumProtocols again");
    }

    /**
     * §6: the entries matching af/type/protocol, the pinned provider's first, then catalog order; when none does,
     * the error names the field.
     */
    private List<CatalogEntry> matches(int af, int type, int protocol) throws WsaException {
        boolean afSeen = false;
        boolean typeSeen = false;
        List<CatalogEntry> found = new ArrayList<>();
        for (CatalogEntry e : catalog.selectionOrder()) {
            WSAPROTOCOL_INFO i = e.info;
            if (i.ProtocolChain.ChainLen == LAYERED_PROTOCOL) {
                continue;
            }
            if (af != AF_UNSPEC && af != i.iAddressFamily) {
                continue;
            }
            afSeen = true;
            if (type != 0 && type != i.iSocketType) {
                continue;
            }
            typeSeen = true;
            if (protocol == 0 || (protocol >= i.iProtocol && protocol <= i.iProtocol + i.iProtocolMaxOffset)) {
                found.add(e);
            }
        }
        if (!found.isEmpty()) {
            return found;
        }
        if (!afSeen) {
            throw new WsaException(WSAEAFNOSUPPORT, "no provider in the catalog serves address family " + af);
        }
        if (!typeSeen) {
            throw new WsaException(WSAESOCKTNOSUPPORT, "no provider serves socket type " + type
                    + " in address family " + af);
        }
        throw new WsaException(WSAEPROTONOSUPPORT, "no provider serves protocol " + protocol + " for af " + af
                + ", type " + type);
    }
}
