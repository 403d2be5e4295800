package org.joinleaf.itests.blockhound;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingMethod;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound for the itests JVM (reliability.md, "blocking on an event loop"): installed once before any framework
 * starts, it records every blocking call made on an event-loop thread. The record is process-wide: Felix reaches this
 * class through boot delegation (JoinleafOptions adds it once this is installed), so tests inside the framework and
 * the verdict outside it see the same findings.
 *
 * <p>Findings are recorded, not thrown: an error thrown inside Netty's or a provider's loop is often swallowed or
 * leaves its state half-updated, turning one finding into unrelated hangs; the verdict reports them all with stacks.
 */
public final class BlockingCalls {
    /** Most findings kept with their stacks; later ones are only counted (the record stays bounded). */
    private static final int MAX_KEPT = 50;
    private static final int STACK_FRAMES = 25;
    private static final String NETTY_INTEGRATION = "io.netty.util.internal.Hidden$NettyBlockHoundIntegration";
    private static final String NETTY_FAST_THREAD = "io.netty.util.concurrent.FastThreadLocalThread";

    private static final List<Finding> KEPT = new ArrayList<>();
    private static int dropped;
    private static volatile boolean installed;

    private BlockingCalls() {
    }

    /** One blocking call seen on an event-loop thread. */
    public record Finding(String thread, String method, String stack) {
        @Override
        public String toString() {
            return method + " on thread \"" + thread + "\"\n" + stack;
        }
    }

    /** True once {@link #install} ran in this JVM. */
    public static boolean isInstalled() {
        return installed;
    }

    /**
     * Installs BlockHound with the integrations found on the class path (Netty's own allowances among them, else
     * this fails) and joinleaf's event-loop threads marked non-blocking. Idempotent.
     */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        List<String> integrations = ServiceLoader.load(BlockHoundIntegration.class, BlockHound.class.getClassLoader())
                .stream().map(p -> p.type().getName()).collect(Collectors.toList());
        if (!integrations.contains(NETTY_INTEGRATION)) {
            throw new IllegalStateException("Netty's BlockHound integration is not on the test class path (found "
                    + integrations + "): add netty-common as a test dependency of itests");
        }
        BlockHound.builder()
                .loadIntegrations() // Netty's allowances are by class name, so they hold for Felix-loaded Netty too
                .nonBlockingThreadPredicate(p -> p.or(BlockingCalls::isEventLoop))
                .blockingMethodCallback(BlockingCalls::record)
                .install();
        installed = true;
        System.out.println("BlockHound installed with " + integrations);
    }

    /**
     * The threads that must never block: joinleaf's provider loops by name, and every Netty event-loop thread.
     * Netty's integration tests {@code instanceof FastThreadLocalThread} against the class-path copy of Netty, which
     * never matches threads of the Netty bundles inside Felix; the class is therefore matched by name here.
     */
    static boolean isEventLoop(Thread t) {
        String name = t.getName();
        return name.startsWith("joinleaf-tcp") || name.startsWith("joinleaf-multicast-io")
                || name.equals("joinleaf-default-io") || isNettyThreadNotPermittedToBlock(t);
    }

    private static boolean isNettyThreadNotPermittedToBlock(Thread t) {
        for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(NETTY_FAST_THREAD)) {
                try {
                    return !(Boolean) c.getMethod("permitBlockingCalls").invoke(t);
                } catch (ReflectiveOperationException e) {
                    return true; // a Netty without the method: its loop threads never permit blocking
                }
            }
        }
        return false;
    }

    private static void record(BlockingMethod method) {
        Thread t = Thread.currentThread();
        StackTraceElement[] frames = t.getStackTrace();
        int from = 0; // the blocking method's own frame, below BlockHound's
        for (int i = 0; i < frames.length; i++) {
            if (frames[i].getClassName().equals(method.getClassName())
                    && frames[i].getMethodName().equals(method.getName())) {
                from = i;
                break;
            }
        }
        String stack = Arrays.stream(frames).skip(from).limit(STACK_FRAMES)
                .map(f -> "\tat " + f).collect(Collectors.joining("\n"));
        Finding f = new Finding(t.getName(), method.toString(), stack);
        synchronized (BlockingCalls.class) {
            if (KEPT.size() < MAX_KEPT) {
                KEPT.add(f);
            } else {
                dropped++;
            }
        }
    }

    /** Every finding so far, and how many more were only counted. */
    public static synchronized String report() {
        StringBuilder out = new StringBuilder();
        out.append(KEPT.size() + dropped).append(" blocking call(s) on event-loop threads");
        for (Finding f : KEPT) {
            out.append("\n- ").append(f);
        }
        if (dropped > 0) {
            out.append("\n... and ").append(dropped).append(" more not kept");
        }
        return out.toString();
    }

    /** How many blocking calls were found (kept and only counted). */
    public static synchronized int count() {
        return KEPT.size() + dropped;
    }

    /** Removes and returns the findings a test provoked on purpose. */
    public static synchronized List<Finding> removeIf(Predicate<Finding> provoked) {
        List<Finding> removed = KEPT.stream().filter(provoked).collect(Collectors.toList());
        KEPT.removeAll(removed);
        return removed;
    }
}
