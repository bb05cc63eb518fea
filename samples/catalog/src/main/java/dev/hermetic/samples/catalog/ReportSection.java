package dev.hermetic.samples.catalog;

import java.util.List;

/**
 * A section of the catalog report: the application's own plugin interface. Implementations are found
 * with {@link java.util.ServiceLoader} through {@code META-INF/services}, and printed in the order of
 * their titles.
 */
public interface ReportSection {

    /** @return the section's heading */
    String title();

    /** @return the section's lines, deterministic for the same catalog */
    List<String> render(Catalog catalog);
}
