package org.joinleaf.gateway;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

/** Minimal service doubles for unit tests: an interface answered by a lambda. */
final class Fakes {
    private Fakes() {
    }

    static <T> T of(Class<T> type, InvocationHandler answers) {
        return type.cast(Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {type}, answers));
    }
}
