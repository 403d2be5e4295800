package org.joinleaf.runtime.health;

import javax.management.ConstructorParameters;

/** The verdict of one check, an open-type item (CompositeData {@code name, ok, detail}) of the Health MXBean. */
public final class CheckResult {
    private final String name;
    private final boolean ok;
    private final String detail;

    @ConstructorParameters({"name", "ok", "detail"})
    public CheckResult(String name, boolean ok, String detail) {
        this.name = name;
        this.ok = ok;
        this.detail = detail;
    }

    static CheckResult ok(String name, String detail) {
        return new CheckResult(name, true, detail);
    }

    static CheckResult failed(String name, String detail) {
        return new CheckResult(name, false, detail);
    }

    public String getName() {
        return name;
    }

    public boolean isOk() {
        return ok;
    }

    /** What was found: on failure, what is wrong and where to look. */
    public String getDetail() {
        return detail;
    }

    @Override
    public String toString() {
        return String.format("%-10s %-4s %s", name, ok ? "OK" : "FAIL", detail);
    }
}
