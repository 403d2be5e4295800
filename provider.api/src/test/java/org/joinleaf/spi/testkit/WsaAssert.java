package org.joinleaf.spi.testkit;

import static org.junit.Assert.fail;

import org.joinleaf.api.WSAError;
import org.joinleaf.spi.WsaException;

/** The one assertion provider tests use for "this call fails with that Winsock code". */
public final class WsaAssert {
    private WsaAssert() {
    }

    /** A call expected to fail with a Winsock code. */
    @FunctionalInterface
    public interface WsaCall {
        void run() throws Exception;
    }

    /** Runs {@code call} and checks it fails with {@code code}; returns the exception for further checks. */
    public static WsaException expectWsa(int code, WsaCall call) {
        return expectWsa(code, "the call", call);
    }

    /** The same, naming {@code what} was called in the failure message. */
    public static WsaException expectWsa(int code, String what, WsaCall call) {
        try {
            call.run();
        } catch (WsaException e) {
            if (e.code() != code) {
                fail(what + ": expected " + WSAError.describe(code) + " but was " + e);
            }
            return e;
        } catch (Exception e) {
            throw new AssertionError(what + ": expected " + WSAError.describe(code) + " but it threw " + e, e);
        }
        fail(what + ": expected " + WSAError.describe(code) + " but it succeeded");
        return null;
    }
}
