package org.joinleaf.demo;

import org.joinleaf.api.Winsock;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs the demo once, on its own thread, when its configuration appears (demo.sh writes it), then stops the
 * gateway if configured to. The thread is interrupted and joined (bounded) when the component goes away.
 */
@Component(configurationPid = "org.joinleaf.demo", configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true,
        service = {})
@Designate(ocd = DemoConfig.class)
public final class GatewayDemo {
    private static final long JOIN_MS = 4_000;

    private final Thread thread;

    @Activate
    public GatewayDemo(BundleContext context, DemoConfig config, @Reference Winsock ownWinsock) {
        DemoRun run = new DemoRun(context, config, ownWinsock, new Transcript(System.out, System::nanoTime));
        thread = new Thread(() -> {
            run.run();
            if (config.stopGateway()) {
                stopFramework(context);
            }
        }, "joinleaf-demo");
        thread.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        thread.interrupt();
        thread.join(JOIN_MS);
    }

    private static void stopFramework(BundleContext context) {
        try {
            context.getBundle(0).stop(); // asynchronous: returns before this component is deactivated
        } catch (BundleException | IllegalStateException e) {
            System.out.println("demo: cannot stop the gateway: " + e.getMessage());
        }
    }
}
