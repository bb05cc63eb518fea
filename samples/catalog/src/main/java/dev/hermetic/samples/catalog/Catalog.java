package dev.hermetic.samples.catalog;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The items a report covers, with the settings from {@code catalog.properties}.
 *
 * @param title    the shop's name
 * @param currency the currency of all prices
 * @param items    the items, sorted by SKU
 */
public record Catalog(String title, String currency, List<Item> items) {

    public Catalog {
        items = List.copyOf(items);
    }

    /** @return an amount with two decimals and the currency, independent of the default locale */
    public String money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_EVEN).toPlainString() + " " + currency;
    }
}
