package org.joinleaf.tcp.session;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Which part of a fan-out batch each target gets ({@link LoopFanout}, decision 46). A batch is frames laid end to
 * end, each with its own targets; a target gets one run per stretch of consecutive frames it is a target of (one,
 * unless it missed a frame in between), its runs in batch order. Consecutive frames to the same list object are one
 * stretch, so a batch to an unchanged membership costs one pass over it; a membership that changed between two sends
 * (a flood's joins and displacements) costs a lookup per target and stretch, never a write per frame. Targets are
 * compared by identity. Not thread-safe: one event loop's.
 */
final class Runs<T> {
    /** Bytes {@code [from, to)} of the batch for {@code target}. */
    private static final class Run<T> {
        final T target;
        final int from;
        int to;

        Run(T target, int from, int to) {
            this.target = target;
            this.from = from;
            this.to = to;
        }
    }

    private final IdentityHashMap<T, Run<T>> open = new IdentityHashMap<>();
    private final List<Run<T>> closed = new ArrayList<>();
    /** The stretch being built: consecutive frames to one list. */
    private List<T> stretch;
    private int stretchFrom;
    private int stretchTo;
    /** The ended batch: its one stretch's list (the whole batch for each), or else its runs. */
    private List<T> only;
    private int onlyFrom;
    private int onlyTo;
    private final List<Run<T>> ended = new ArrayList<>();

    /** Bytes {@code [from, to)} of the batch, right after those added before, go to {@code targets}. */
    void add(List<T> targets, int from, int to) {
        if (only != null || !ended.isEmpty()) { // the first frame of a new batch
            only = null;
            ended.clear();
        }
        if (stretch == targets && stretchTo == from) {
            stretchTo = to;
            return;
        }
        endStretch();
        stretch = targets;
        stretchFrom = from;
        stretchTo = to;
    }

    private void endStretch() {
        if (stretch == null) {
            return;
        }
        for (T t : stretch) {
            Run<T> r = open.get(t);
            if (r != null && r.to == stretchFrom) {
                r.to = stretchTo;
            } else {
                if (r != null) {
                    closed.add(r); // it missed a frame: this run is written before its next one
                }
                open.put(t, new Run<>(t, stretchFrom, stretchTo));
            }
        }
        stretch = null;
    }

    /**
     * Ends the batch: its runs, each target's in batch order, are {@code 0 .. count - 1} until the next
     * {@link #add} starts another batch. A batch that was one stretch allocates nothing per target.
     */
    int end() {
        if (open.isEmpty() && stretch != null) { // one stretch: no lookups
            only = stretch;
            onlyFrom = stretchFrom;
            onlyTo = stretchTo;
            stretch = null;
            return only.size();
        }
        endStretch();
        ended.clear();
        ended.addAll(closed);
        ended.addAll(open.values());
        closed.clear();
        open.clear();
        return ended.size();
    }

    T target(int i) {
        return only != null ? only.get(i) : ended.get(i).target;
    }

    int from(int i) {
        return only != null ? onlyFrom : ended.get(i).from;
    }

    int length(int i) {
        return only != null ? onlyTo - onlyFrom : ended.get(i).to - ended.get(i).from;
    }
}
