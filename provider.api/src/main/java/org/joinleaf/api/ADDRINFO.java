package org.joinleaf.api;

/**
 * {@code addrinfo} / {@code ADDRINFOA}: a {@code getaddrinfo} hint (only {@code ai_flags}, {@code ai_family},
 * {@code ai_socktype}, {@code ai_protocol} are read) and each result, chained through {@link #ai_next}.
 */
public final class ADDRINFO {
    public int ai_flags;
    public int ai_family;
    public int ai_socktype;
    public int ai_protocol;
    /** {@code ai_addr.size()}. */
    public int ai_addrlen;
    /** The canonical name, on the first result only and only with {@code AI_CANONNAME}. */
    public String ai_canonname;
    public SOCKADDR ai_addr;
    public ADDRINFO ai_next;
}
