package org.joinleaf.runtime.defaultprovider;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.joinleaf.api.Winsock2;
import org.joinleaf.spi.ProviderSocket;
import org.joinleaf.spi.WsaException;

/** The provider's open sockets, at most {@code maxSockets}; closed all at once when the provider deactivates. */
final class OpenSockets {
    private final int maxSockets;
    private final Set<ProviderSocket> open = new LinkedHashSet<>();
    private boolean shutDown;

    OpenSockets(int maxSockets) {
        this.maxSockets = maxSockets;
    }

    /** Counts a new socket: {@code WSAEMFILE} at the limit, {@code WSAENETDOWN} once the provider is stopping. */
    synchronized void admit(ProviderSocket socket) throws WsaException {
        if (shutDown) {
            throw new WsaException(Winsock2.WSAENETDOWN, "the default provider is stopping; retry on a new socket");
        }
        if (open.size() >= maxSockets) {
            throw new WsaException(Winsock2.WSAEMFILE, "the default provider already has " + maxSockets
                    + " open sockets; close some or raise maxSockets in PID " + DefaultProvider.PID);
        }
        open.add(socket);
    }

    synchronized void release(ProviderSocket socket) {
        open.remove(socket);
    }

    /** Refuses new sockets and closes the open ones (outside the lock: close() calls release()). */
    void closeAll() {
        closeAll(0);
    }

    /** The same, posting {@code FD_CLOSE} with {@code code} first when it is not 0 (the provider cannot go on). */
    void closeAll(int code) {
        List<ProviderSocket> toClose;
        synchronized (this) {
            shutDown = true;
            toClose = new ArrayList<>(open);
        }
        for (ProviderSocket s : toClose) {
            if (code != 0 && s instanceof IoHandler h) {
                h.upcalls().post(Winsock2.FD_CLOSE_BIT, code);
            }
            s.close();
        }
    }
}
