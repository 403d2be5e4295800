package org.joinleaf.runtime.defaultprovider;

/** Lets runtime tests outside this package run a process over the real default provider on loopback. */
public final class StartedDefaultProvider {
    private StartedDefaultProvider() {
    }

    /** An activated default provider with the fixture's limits (64 KiB buffers). */
    public static DefaultProvider start() {
        DefaultProvider p = new DefaultProvider();
        p.activate(ProviderFixture.config(65536, 65536, 64, 1024, 0));
        return p;
    }

    public static void stop(DefaultProvider p) throws InterruptedException {
        p.deactivate();
    }
}
