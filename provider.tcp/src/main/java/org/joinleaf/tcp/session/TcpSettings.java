package org.joinleaf.tcp.session;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.joinleaf.spi.Secrets;
import org.joinleaf.spi.config.ConfigCheck;
import org.joinleaf.spi.config.ConfigValues;
import org.joinleaf.spi.config.ListValues;
import org.joinleaf.tcp.TcpProvider;
import org.joinleaf.tcp.TcpProviderConfig;
import org.joinleaf.tcp.tls.TlsSettings;

/**
 * The validated limits of one {@link TcpTransport}, built from {@link TcpProviderConfig} by {@link #from}: by the DS
 * component from Config Admin, by tests and benchmarks from the Metatype defaults plus overrides ({@link #builder()},
 * or {@code from(ConfigValues.of(TcpProviderConfig.class, overrides))}). The annotation is the only place their
 * defaults and ranges are written; their meaning is documented there. The resource limits are what a root on a
 * gateway relies on under a join flood (reliability.md): each refusal is counted in {@link LimitCounters}.
 *
 * <p>The memory settings {@code receiveQueueBytes}, {@code maxReceivedBytes}, {@code maxLeavesPerRoot} and
 * {@code maxQueuedBytes} may be 0, "derived from this JVM's memory limits": {@link DerivedLimits#resolve} gives
 * them their values when a transport starts.
 */
public record TcpSettings(int eventLoopThreads, int joinTimeoutMillis, int openingFrameTimeoutMillis,
                          int maxConnectData, int maxMessageSize,
                          int writeBufferLowWaterMark, int writeBufferHighWaterMark,
                          SlowLeafPolicy slowLeafPolicy, int slowLeafTimeoutMillis, int slowLeafGraceMillis,
                          int heartbeatIntervalMillis, int heartbeatTimeoutMillis, int receiveQueueMessages,
                          long receiveQueueBytes, long maxReceivedBytes, int backlog, String qosScope,
                          int maxJoinRatePerSource, int maxPendingHandshakesPerSource, int maxPendingHandshakes,
                          int maxLeavesPerRoot, long maxQueuedBytes, TlsSettings tls,
                          TransportChoice transport) {
    /**
     * The settings a change of which applies to a running provider (issue 15 item 3): rate limits, caps, deadlines
     * of later joins, and the TLS stores and protocols of new connections (the TLS mode excepted). A change of any
     * other setting restarts the provider. README, "Configuration", lists both.
     */
    public static final Set<String> LIVE = Set.of("joinTimeoutMillis", "openingFrameTimeoutMillis",
            "maxJoinRatePerSource", "maxLeavesPerRoot", "tls");

    /**
     * A password as configured, or what its {@code $[env:NAME]} / {@code $[secret:NAME]} reference names (decision 30):
     * resolved here, so the value never sits in the component properties; a reference that cannot be resolved is
     * refused naming the key and the reference, never a password.
     */
    private static String secret(ConfigCheck check, String key, String value) {
        try {
            return Secrets.resolve(value);
        } catch (IllegalArgumentException e) {
            throw check.refuse(key, value, e.getMessage());
        }
    }

    /**
     * Checks {@code config} against its Metatype ranges and the rules across its fields.
     *
     * @throws org.joinleaf.spi.config.BadConfigurationException naming PID, key, value and range or rule
     */
    public static TcpSettings from(TcpProviderConfig config) {
        ConfigCheck check = ConfigCheck.of(TcpProvider.PID, config);
        check.require(config.writeBufferHighWaterMark() >= config.writeBufferLowWaterMark(),
                "writeBufferHighWaterMark", "must be at least writeBufferLowWaterMark ("
                        + config.writeBufferLowWaterMark() + ")");
        // The heartbeat is mandatory (reliability.md): TCP keepalive alone takes hours to see a partition.
        check.require(config.heartbeatIntervalMillis() < config.heartbeatTimeoutMillis(), "heartbeatIntervalMillis",
                "must be below heartbeatTimeoutMillis (" + config.heartbeatTimeoutMillis() + ")");
        check.require(config.receiveQueueBytes() == 0 || config.maxReceivedBytes() == 0
                || config.receiveQueueBytes() <= config.maxReceivedBytes(), "receiveQueueBytes",
                "must not exceed maxReceivedBytes (" + config.maxReceivedBytes() + "), the total over all sockets");
        check.require(!config.qosScope().isBlank(), "qosScope", "must name the QoS capacity this provider uses, "
                + "e.g. tcp");
        check.require(config.maxPendingHandshakesPerSource() <= config.maxPendingHandshakes(),
                "maxPendingHandshakesPerSource", "must not exceed maxPendingHandshakes ("
                        + config.maxPendingHandshakes() + ")");
        check.require(config.maxQueuedBytes() == 0 || config.maxQueuedBytes() >= 2L * config.writeBufferHighWaterMark(),
                "maxQueuedBytes", "must hold at least one slow leaf's backlog, 2 x writeBufferHighWaterMark ("
                        + 2L * config.writeBufferHighWaterMark() + ")");
        IoTransports.check(check, config.transport(), IoTransports::epollUnavailable);
        TlsSettings tls;
        try {
            tls = new TlsSettings(config.tlsMode(), config.keyStore(),
                    secret(check, "_keyStorePassword", config._keyStorePassword()), config.keyStoreType(),
                    config.trustStore(), secret(check, "_trustStorePassword", config._trustStorePassword()),
                    ListValues.of(config.tlsProtocols()));
        } catch (IllegalArgumentException e) {
            throw check.refuse("tlsProtocols", config.tlsProtocols(), e.getMessage());
        }
        return new TcpSettings(config.eventLoopThreads(), config.joinTimeoutMillis(),
                config.openingFrameTimeoutMillis(), config.maxConnectData(), config.maxMessageSize(),
                config.writeBufferLowWaterMark(), config.writeBufferHighWaterMark(), config.slowLeafPolicy(),
                config.slowLeafTimeoutMillis(), config.slowLeafGraceMillis(), config.heartbeatIntervalMillis(), config.heartbeatTimeoutMillis(),
                config.receiveQueueMessages(), config.receiveQueueBytes(), config.maxReceivedBytes(),
                config.backlog(), config.qosScope(), config.maxJoinRatePerSource(),
                config.maxPendingHandshakesPerSource(), config.maxPendingHandshakes(), config.maxLeavesPerRoot(),
                config.maxQueuedBytes(), tls, config.transport());
    }

    /** True when {@code next} differs from these settings in {@link #LIVE} settings only (the TLS mode excepted). */
    public boolean changesOnlyLive(TcpSettings next) {
        if (tls.mode() != next.tls.mode()) {
            return false;
        }
        for (RecordComponent c : TcpSettings.class.getRecordComponents()) {
            if (!LIVE.contains(c.getName()) && !Objects.equals(value(c, this), value(c, next))) {
                return false;
            }
        }
        return true;
    }

    private static Object value(RecordComponent c, TcpSettings s) {
        try {
            return c.getAccessor().invoke(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deadline of a passive connection's opening frame: {@code openingFrameTimeoutMillis}, at most the join's. */
    public int openingDeadlineMillis() {
        return Math.min(openingFrameTimeoutMillis, joinTimeoutMillis);
    }

    /**
     * The kernel's accept queue of a listening socket (decision 43): {@code backlog} bounds the requests waiting for
     * {@code WSAAccept}, not the connections the accepting thread has yet to take. The kernel drops a connect over
     * its queue without a word (the caller retries after 1 s, then 3 s), whoever it is; taken, a connection meets the
     * pending-handshake gate, which is fair per prefix. So the kernel may hold as many as the gate admits.
     */
    public int acceptQueueLength() {
        return Math.max(backlog, maxPendingHandshakes);
    }

    /** A builder holding the Metatype defaults of {@link TcpProviderConfig}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Metatype defaults. */
    public static TcpSettings defaults() {
        return from(ConfigValues.defaults(TcpProviderConfig.class));
    }

    /**
     * The Metatype defaults as mutable fields for tests and benchmarks; {@link #build} passes them through
     * {@link TcpSettings#from}, the path DS takes. Each field is named as its {@link TcpProviderConfig} attribute
     * and starts at its default (read from the annotation, never written here); {@code tls}, when set, replaces the
     * TLS attributes.
     */
    public static final class Builder {
        public int eventLoopThreads;
        public int joinTimeoutMillis;
        public int openingFrameTimeoutMillis;
        public int maxConnectData;
        public int maxMessageSize;
        public int writeBufferLowWaterMark;
        public int writeBufferHighWaterMark;
        public SlowLeafPolicy slowLeafPolicy;
        public int slowLeafTimeoutMillis;
        public int slowLeafGraceMillis;
        public int heartbeatIntervalMillis;
        public int heartbeatTimeoutMillis;
        public int receiveQueueMessages;
        /** 0: derived from the JVM's memory limits ({@link DerivedLimits}). */
        public long receiveQueueBytes;
        /** 0: derived. */
        public long maxReceivedBytes;
        public int backlog;
        public String qosScope;
        public int maxJoinRatePerSource;
        public int maxPendingHandshakesPerSource;
        public int maxPendingHandshakes;
        /** 0: derived. */
        public int maxLeavesPerRoot;
        /** 0: derived. */
        public long maxQueuedBytes;
        public TransportChoice transport;
        /** Null: the TLS attributes' defaults (plain TCP). */
        public TlsSettings tls;

        Builder() {
            TcpProviderConfig defaults = ConfigValues.defaults(TcpProviderConfig.class);
            try {
                for (Field f : attributeFields()) {
                    f.set(this, TcpProviderConfig.class.getMethod(f.getName()).invoke(defaults));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The settings, checked as DS's are. */
        public TcpSettings build() {
            Map<String, Object> values = new HashMap<>();
            try {
                for (Field f : attributeFields()) {
                    values.put(f.getName(), f.get(this));
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (tls != null) {
                values.put("tlsMode", tls.mode());
                values.put("keyStore", tls.keyStore());
                values.put("_keyStorePassword", tls.keyStorePassword());
                values.put("keyStoreType", tls.keyStoreType());
                values.put("trustStore", tls.trustStore());
                values.put("_trustStorePassword", tls.trustStorePassword());
                values.put("tlsProtocols", tls.protocols().toArray(new String[0]));
            }
            return from(ConfigValues.of(TcpProviderConfig.class, values));
        }

        private static java.util.List<Field> attributeFields() {
            return java.util.Arrays.stream(Builder.class.getDeclaredFields())
                    .filter(f -> !Modifier.isStatic(f.getModifiers()) && !f.getName().equals("tls")).toList();
        }
    }
}
