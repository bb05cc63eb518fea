package dev.hermetic.samples.catalog;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One article of the catalog, as {@code catalog.json} describes it.
 *
 * @param sku       the stock-keeping unit, unique
 * @param name      what it is called
 * @param category  its category, lower case
 * @param price     its price in the catalog's currency
 * @param released  when it first came out
 * @param restocked when the shop last restocked it
 * @param tags      free-form tags
 */
@JsonPropertyOrder({"sku", "name", "category", "price", "released", "restocked", "tags"})
public record Item(String sku, String name, String category, BigDecimal price, LocalDate released,
                   Instant restocked, List<String> tags) {

    public Item {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
