package org.joinleaf.local;

import java.util.ArrayList;
import java.util.List;
import org.joinleaf.spi.ConnectCompletion;
import org.joinleaf.spi.SocketUpcalls;

/**
 * Upcalls and completions collected under a lock and run after it is released, so the runtime is never called back
 * while this provider holds a lock a send or join path takes. After the provider was deactivated nothing is run:
 * sockets are closed silently and the runtime posts {@code WSAENETDOWN} itself.
 */
final class Outbox {
    private final LocalNetwork network;
    /** One operation's actions, run once by flush: at most one per socket of the session it touches. */
    private final List<Runnable> actions = new ArrayList<>(4);

    Outbox(LocalNetwork network) {
        this.network = network;
    }

    void post(SocketUpcalls upcalls, int fdBit, int errorCode) {
        actions.add(() -> upcalls.post(fdBit, errorCode));
    }

    /** Fails a join or connect: {@code completion.failed} once the lock is released. */
    void fail(ConnectCompletion completion, int errorCode, String message) {
        actions.add(() -> completion.failed(errorCode, message));
    }

    void later(Runnable action) {
        actions.add(action);
    }

    /** Runs what was collected, in order; one that throws does not stop the others. Call with no lock held. */
    void flush() {
        if (!network.isDown()) {
            for (Runnable action : actions) {
                network.survive(action);
            }
        }
        actions.clear();
    }
}
