package org.joinleaf.bench.tcp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What both fan-out variants keep alike: each leaf's sequence check, the delivery count, a reader's failure. */
abstract class LeafChecks implements Fanout {
    final List<SequenceCheck> checks = new ArrayList<>();
    final LongAdder delivered = new LongAdder();
    final AtomicReference<IOException> failure = new AtomicReference<>();

    @Override
    public List<SequenceCheck> leaves() {
        return checks;
    }

    @Override
    public long delivered() {
        return delivered.sum();
    }

    @Override
    public void rethrowReaderFailure() throws IOException {
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
