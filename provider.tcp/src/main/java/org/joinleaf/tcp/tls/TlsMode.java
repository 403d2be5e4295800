package org.joinleaf.tcp.tls;

/** Whether session connections run inside TLS, and who must prove its identity. */
public enum TlsMode {
    /** Plain TCP (the wire protocol as such). */
    OFF,
    /** TLS; the listening side (server) proves its identity, the connecting side (client) presents none. */
    TLS,
    /** TLS; both sides prove their identity: the listening side requires the client's certificate. */
    MUTUAL_TLS
}
