package org.joinleaf.gateway;

import java.io.PrintStream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Stops the framework when the JVM is asked to exit (SIGTERM, SIGINT, {@code System.exit}). The bnd launcher does
 * not do this itself, so without this hook no {@code @Deactivate} would run and providers' event loops would be
 * cut off mid-flight. The hook stops the system bundle and waits, bounded, until every bundle has stopped.
 */
@Component(immediate = true, configurationPid = ShutdownOnSignal.PID)
@Designate(ocd = ShutdownOnSignal.Config.class)
public final class ShutdownOnSignal {
    static final String PID = "org.joinleaf.gateway.shutdown";

    /** Settings of the shutdown hook. */
    @ObjectClassDefinition(name = "joinleaf gateway shutdown",
            description = "Stops the OSGi framework cleanly when the JVM is asked to exit (SIGTERM).")
    public @interface Config {
        @AttributeDefinition(name = "Stop timeout (ms)",
                description = "How long the JVM waits for the framework to stop before it exits anyway.", min = "0")
        long stopTimeoutMillis() default 10_000;
    }

    private final Bundle systemBundle;
    private final Thread hook = new Thread(this::stopFramework, "joinleaf-gateway-shutdown");
    private final PrintStream out = System.out;
    private volatile long stopTimeoutMillis;

    @Activate
    public ShutdownOnSignal(BundleContext context, Config config) {
        this.systemBundle = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION);
        this.stopTimeoutMillis = config.stopTimeoutMillis();
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Modified
    void modified(Config config) {
        stopTimeoutMillis = config.stopTimeoutMillis();
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // We are being deactivated by our own hook: nothing to remove.
        }
    }

    private void stopFramework() {
        long start = System.nanoTime();
        out.println("joinleaf gateway stopping (JVM shutdown)");
        try {
            systemBundle.stop();
            FrameworkEvent event = systemBundle instanceof Framework
                    ? ((Framework) systemBundle).waitForStop(stopTimeoutMillis)
                    : null;
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (event != null && event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                out.println("joinleaf gateway did not stop within " + stopTimeoutMillis + " ms; exiting anyway");
            } else {
                out.println("joinleaf gateway stopped in " + ms + " ms");
            }
        } catch (BundleException | InterruptedException e) {
            out.println("joinleaf gateway could not stop the framework: " + e);
        }
        out.flush();
    }
}
