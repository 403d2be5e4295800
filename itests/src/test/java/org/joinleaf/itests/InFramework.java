package org.joinleaf.itests;

import static org.joinleaf.itests.WinsockFixture.cleanupAll;

import javax.inject.Inject;
import org.joinleaf.api.Winsock;
import org.junit.After;
import org.osgi.framework.BundleContext;

/**
 * What every in-framework test has: the Winsock service and the probe's bundle context, injected by Pax Exam, and
 * every startup of the process ended after each test, so each one begins uninitialised.
 */
abstract class InFramework {
    @Inject
    Winsock ws;

    @Inject
    BundleContext context;

    /** Subclasses that stop threads of their own override it and end with {@code cleanupAll(ws)} too. */
    @After
    public void cleanup() throws Exception {
        cleanupAll(ws);
    }
}
