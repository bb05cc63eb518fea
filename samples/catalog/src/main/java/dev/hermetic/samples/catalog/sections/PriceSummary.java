package dev.hermetic.samples.catalog.sections;

import dev.hermetic.samples.catalog.Catalog;
import dev.hermetic.samples.catalog.Item;
import dev.hermetic.samples.catalog.ReportSection;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;

/** Total, mean, cheapest and dearest price. */
public final class PriceSummary implements ReportSection {

    @Override
    public String title() {
        return "Prices";
    }

    @Override
    public List<String> render(Catalog catalog) {
        List<Item> items = catalog.items();
        if (items.isEmpty()) {
            return List.of("no items");
        }
        BigDecimal total = items.stream().map(Item::price).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal mean = total.divide(BigDecimal.valueOf(items.size()), 2, RoundingMode.HALF_EVEN);
        Comparator<Item> byPrice = Comparator.comparing(Item::price).thenComparing(Item::sku);
        Item cheapest = items.stream().min(byPrice).orElseThrow();
        Item dearest = items.stream().max(byPrice).orElseThrow();
        return List.of(
                "total    " + catalog.money(total),
                "mean     " + catalog.money(mean),
                "cheapest " + catalog.money(cheapest.price()) + "  " + cheapest.name(),
                "dearest  " + catalog.money(dearest.price()) + "  " + dearest.name());
    }
}
