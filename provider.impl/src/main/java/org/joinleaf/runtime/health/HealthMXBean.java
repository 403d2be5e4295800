package org.joinleaf.runtime.health;

import java.util.List;

/** The gateway's health, {@code org.joinleaf:type=Health}: every read runs every check again. */
public interface HealthMXBean {
    /** {@code OK} when every check passes, else {@code CRITICAL}. */
    String getStatus();

    /** One line per failed check; empty when healthy. */
    List<String> getProblems();

    /** Every check with its verdict. */
    List<CheckResult> getChecks();
}
