package org.joinleaf.gateway;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.apache.felix.service.command.Job;
import org.osgi.service.component.annotations.Component;

/**
 * Bounds what the gateway's shell keeps per command. Gogo runtime 1.1.6 adds the job of every command line to the
 * job that runs the console ({@code JobImpl.add}) and never removes it, and each keeps its pipes with their print
 * streams (about 45 KB). Measured in the gateway (-Xmx32m): 300 {@code echo} lines took the heap left after a full
 * collection from 7.6 MB to 21 MB, and about 600 lines ran it out (issue 11: the hostile suite's shell probes, or an
 * operator's session, could exhaust the gateway). After each command line this drops the finished jobs from the
 * console job's children; nothing else refers to them.
 *
 * <p>Gogo offers no API for it, so the list is reached by reflection on the runtime's job class; on a runtime whose
 * job has no such list this says so once and does nothing.
 */
@Component(service = CommandSessionListener.class)
public final class GogoJobReaper implements CommandSessionListener {
    private static final System.Logger LOG = System.getLogger(GogoJobReaper.class.getName());
    private final AtomicBoolean unsupported = new AtomicBoolean();

    @Override
    public void beforeExecute(CommandSession session, CharSequence commandline) {
        // nothing to do before
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Exception exception) {
        reap(Job.Utils.current());
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Object result) {
        reap(Job.Utils.current());
    }

    /** Drops the finished children of {@code parent} (the console's job, on the console's thread). */
    void reap(Job parent) {
        if (parent == null || unsupported.get()) {
            return;
        }
        List<?> children = children(parent);
        if (children == null) {
            return;
        }
        synchronized (children) { // the runtime's JobImpl.add locks the list itself
            children.removeIf(c -> c instanceof Job j && j.status() == Job.Status.Done);
        }
    }

    private List<?> children(Job parent) {
        try {
            Field f = parent.getClass().getDeclaredField("children");
            f.setAccessible(true);
            return f.get(parent) instanceof List<?> l ? l : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (unsupported.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.INFO, "this Gogo runtime's jobs are not reaped (" + e
                        + "): each shell command keeps some heap until the gateway restarts");
            }
            return null;
        }
    }
}
