package org.joinleaf.itests;

import org.joinleaf.itests.blockhound.BlockHoundSuite;
import org.joinleaf.itests.blockhound.NoBlockingCallsRecorded;
import org.junit.runner.RunWith;
import org.junit.runners.Suite.SuiteClasses;

/**
 * The integration tests that drive Netty and the providers' I/O threads, again under BlockHound (failsafe execution
 * {@code blockhound} only; it needs {@code -XX:+AllowRedefinitionToAddDeleteMethods}). It first proves a deliberate
 * sleep on a provider event loop is caught, and fails at the end if anything else blocked an event loop.
 */
@RunWith(BlockHoundSuite.class)
@SuiteClasses({EventLoopSleepDetected.class, TcpConformanceIT.class, TcpHotSwapIT.class, TcpHotSwapLoadIT.class,
    TlsIT.class, QosIT.class, MulticastIT.class, NoBlockingCallsRecorded.class})
public class BlockHoundSuiteIT {
}
