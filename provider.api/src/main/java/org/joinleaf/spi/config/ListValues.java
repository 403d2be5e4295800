package org.joinleaf.spi.config;

import java.util.Arrays;
import java.util.List;

/** The one reading of a list-valued property. */
public final class ListValues {
    private ListValues() {
    }

    /**
     * The elements of {@code values}, each also split at commas (a FileInstall {@code .cfg} file can only give a
     * list as one string), trimmed, empty ones left out; {@code null} is the empty list.
     */
    public static List<String> of(String[] values) {
        return values == null ? List.of() : Arrays.stream(values).filter(v -> v != null)
                .flatMap(v -> Arrays.stream(v.split(","))).map(String::trim).filter(v -> !v.isEmpty()).toList();
    }
}
