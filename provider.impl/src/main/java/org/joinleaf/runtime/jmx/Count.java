package org.joinleaf.runtime.jmx;

import javax.management.ConstructorParameters;

/** A named count, an open-type item (CompositeData {@code name, count}) of a JMX attribute. */
public final class Count {
    private final String name;
    private final long count;

    @ConstructorParameters({"name", "count"})
    public Count(String name, long count) {
        this.name = name;
        this.count = count;
    }

    public String getName() {
        return name;
    }

    public long getCount() {
        return count;
    }

    @Override
    public String toString() {
        return name + "=" + count;
    }
}
