package org.joinleaf.bench;

import java.util.Locale;

/**
 * One measured run: {@code sent} messages from one sender, {@code delivered} copies counted over all
 * {@code receivers}, over {@code durationNanos} (first send to last delivery, at least the sending time).
 *
 * @param notes free text for the last CSV column; must not contain commas or line breaks
 */
public record Measurement(String benchmark, String variant, int receivers, int messageBytes, long sent,
                          long delivered, long durationNanos, String notes) {

    /** The first line of the output. */
    public static final String CSV_HEADER =
            "benchmark,variant,receivers,message_bytes,sent,delivered,loss_pct,duration_ms,msgs_per_s,notes";

    public Measurement {
        if (notes.contains(",") || notes.contains("\n")) {
            throw new IllegalArgumentException("notes must not contain commas or line breaks: " + notes);
        }
    }

    /** 100 * (1 - delivered / (sent * receivers)); 0 when nothing was sent. */
    public double lossPercent() {
        long expected = sent * receivers;
        return expected == 0 ? 0 : 100.0 * (1.0 - (double) delivered / expected);
    }

    /** Deliveries per second over the whole duration. */
    public double messagesPerSecond() {
        return durationNanos == 0 ? 0 : delivered * 1e9 / durationNanos;
    }

    /** This measurement as one CSV line matching {@link #CSV_HEADER}. */
    public String toCsv() {
        return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%.2f,%.1f,%.0f,%s", benchmark, variant, receivers,
                messageBytes, sent, delivered, lossPercent(), durationNanos / 1e6, messagesPerSecond(), notes);
    }
}
