package dev.hermetic.samples.catalog.sections;

import dev.hermetic.samples.catalog.Catalog;
import dev.hermetic.samples.catalog.Item;
import dev.hermetic.samples.catalog.ReportSection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** When the items came out, by decade, and which came out last. */
public final class ReleaseDecades implements ReportSection {

    @Override
    public String title() {
        return "Releases";
    }

    @Override
    public List<String> render(Catalog catalog) {
        Map<Integer, List<String>> byDecade = catalog.items().stream()
                .sorted(Comparator.comparing(Item::released).thenComparing(Item::sku))
                .collect(Collectors.groupingBy(item -> item.released().getYear() / 10 * 10, TreeMap::new,
                        Collectors.mapping(Item::sku, Collectors.toList())));
        List<String> lines = new ArrayList<>();
        byDecade.forEach((decade, skus) -> lines.add(decade + "s  " + String.join(" ", skus)));
        catalog.items().stream()
                .max(Comparator.comparing(Item::released).thenComparing(Item::sku))
                .ifPresent(newest -> lines.add("newest " + newest.released() + "  " + newest.name()));
        return lines;
    }
}
