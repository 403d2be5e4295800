package org.joinleaf.spi.config;

/**
 * A configuration value a component refuses: its message is one line naming the PID, the property key, the value
 * and the rule it breaks. It carries no stack trace: where it came from is in the message, and the log line that
 * reports a failed activation stays one line instead of sixty.
 */
public final class BadConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String pid;
    private final String key;
    private final String shown;
    private final String rule;

    /**
     * @param pid   the configuration PID
     * @param key   the property key as written in a {@code .cfg} file ({@code service.ranking}, not
     *              {@code service_ranking})
     * @param shown the value as it may be shown (passwords hidden)
     * @param rule  what the value must satisfy, e.g. "allowed range 1..255" or "must be below heartbeatTimeoutMillis
     *              (15000)"
     */
    public BadConfigurationException(String pid, String key, String shown, String rule) {
        super("configuration " + pid + ": " + key + "=" + shown + " refused (" + rule + ")");
        this.pid = pid;
        this.key = key;
        this.shown = shown;
        this.rule = rule;
    }

    /** No stack trace: the message says where the value is. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    public String pid() {
        return pid;
    }

    public String key() {
        return key;
    }

    /** The value as it may be shown: passwords are "(hidden)". */
    public String shown() {
        return shown;
    }

    public String rule() {
        return rule;
    }
}
