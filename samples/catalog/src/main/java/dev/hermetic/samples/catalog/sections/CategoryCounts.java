package dev.hermetic.samples.catalog.sections;

import dev.hermetic.samples.catalog.Catalog;
import dev.hermetic.samples.catalog.Item;
import dev.hermetic.samples.catalog.ReportSection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** How many items each category has. */
public final class CategoryCounts implements ReportSection {

    @Override
    public String title() {
        return "Items per category";
    }

    @Override
    public List<String> render(Catalog catalog) {
        Map<String, Long> counts = catalog.items().stream()
                .collect(Collectors.groupingBy(Item::category, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%-8s %2d", e.getKey(), e.getValue()))
                .toList();
    }
}
