package org.joinleaf.bench;

import java.util.function.Consumer;

/** One benchmark: runs its warm-up and measurements, hands each kept measurement to the sink, closes what it opened. */
public interface Benchmark {
    /**
     * Runs to completion; every socket, thread and provider it started is closed before it returns or throws.
     *
     * @throws SkippedException when the machine cannot run it (the reason is printed, the run still succeeds)
     */
    void run(RunSettings settings, Consumer<Measurement> sink) throws Exception;
}
