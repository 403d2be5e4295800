package org.joinleaf.itests.blockhound;

import org.junit.runners.Suite;
import org.junit.runners.model.InitializationError;
import org.junit.runners.model.RunnerBuilder;

/**
 * A JUnit suite that installs BlockHound before any of its classes starts a framework (Pax Exam's native container
 * runs Felix in this JVM). End the suite with {@link NoBlockingCallsRecorded} so that any finding fails it.
 */
public final class BlockHoundSuite extends Suite {
    static {
        BlockingCalls.install();
    }

    public BlockHoundSuite(Class<?> klass, RunnerBuilder builder) throws InitializationError {
        super(klass, builder);
    }
}
