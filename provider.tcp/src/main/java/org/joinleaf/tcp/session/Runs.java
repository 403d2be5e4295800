package org.joinleaf.tcp.session;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Which part of a fan-out batch each target gets ({@link LoopFanout}, decision 45). A batch is frames laid end to
 * end, each with its own targets; a target gets one run per stretch of consecutive frames it is a target of (one,
 * unless it missed a frame in between), its runs in batch order. Consecutive frames to the same list object are one
 * stretch, so a batch to an unchanged membership costs one pass over it; a membership that changed between two sends
 * (a flood's joins and displacements) costs a lookup per target and stretch, never a write per frame. Targets are
 * compared by identity. Not thread-safe: one event loop's.
 */
final class Runs<T> {
    /** Bytes {@code [from, to)} of the batch for {@code target}. */
    static final class Run<T> {
        private final T target;
        private final int from;
        private int to;

        Run(T target, int from, int to) {
            this.target = target;
            this.from = from;
            this.to = to;
        }

        T target() {
            return target;
        }

        int from() {
            return from;
        }

        int length() {
            return to - from;
        }
    }

    private final IdentityHashMap<T, Run<T>> open = new IdentityHashMap<>();
    private final List<Run<T>> closed = new ArrayList<>();
    /** The stretch being built: consecutive frames to one list. */
    private List<T> stretch;
    private int stretchFrom;
    private int stretchTo;

    /** Bytes {@code [from, to)} of the batch, right after those added before, go to {@code targets}. */
    void add(List<T> targets, int from, int to) {
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

    /** The runs of everything added since the last call, each target's in batch order; starts anew. */
    List<Run<T>> take() {
        List<Run<T>> all;
        if (open.isEmpty() && stretch != null) { // one stretch: no lookups
            all = new ArrayList<>(stretch.size());
            for (T t : stretch) {
                all.add(new Run<>(t, stretchFrom, stretchTo));
            }
            stretch = null;
            return all;
        }
        endStretch();
        all = new ArrayList<>(closed.size() + open.size());
        all.addAll(closed);
        all.addAll(open.values());
        closed.clear();
        open.clear();
        return all;
    }
}
