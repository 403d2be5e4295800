package org.joinleaf.multicast;

import org.junit.After;
import org.junit.Before;

/** A started provider per test, on loopback; stopped after it. */
abstract class ProviderOnLoopback {
    MulticastProvider provider;

    /** Whether the tests need IPv4 multicast on loopback (skipped where the kernel does not deliver it). */
    boolean needsIpv4() {
        return true;
    }

    @Before
    public void startProvider() throws Exception {
        if (needsIpv4()) {
            Loopback.assumeIpv4();
        }
        provider = Loopback.provider();
    }

    @After
    public void stopProvider() {
        if (provider != null) {
            provider.deactivate();
        }
    }
}
