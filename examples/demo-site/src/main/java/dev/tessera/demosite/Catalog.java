package dev.tessera.demosite;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The public product catalog: readable without a login, split into pages. */
final class Catalog {
  static final int PAGE_SIZE = 10;
  static final int SIZE = 25;

  private static final List<String> ADJECTIVES =
      List.of("Compact", "Deluxe", "Rugged", "Silent", "Smart", "Classic", "Solar", "Modular");
  private static final List<String> NOUNS =
      List.of(
          "Stapler",
          "Desk Lamp",
          "Monitor Arm",
          "Label Printer",
          "Shredder",
          "Whiteboard",
          "Headset");
  private static final List<Product> PRODUCTS = generate();

  /** One product row, with every field exactly as the HTML page and the JSON API show it. */
  record Product(String sku, String name, String price) {}

  private Catalog() {}

  static int pages() {
    return (SIZE + PAGE_SIZE - 1) / PAGE_SIZE;
  }

  /** The products on page {@code page} (starting at 1); the caller checks the range. */
  static List<Product> page(int page) {
    int from = (page - 1) * PAGE_SIZE;
    return PRODUCTS.subList(from, Math.min(SIZE, from + PAGE_SIZE));
  }

  private static List<Product> generate() {
    Random random = new Random(0xCA7A1061L);
    List<Product> products = new ArrayList<>(SIZE);
    for (int i = 0; i < SIZE; i++) {
      String name =
          ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
              + " "
              + NOUNS.get(random.nextInt(NOUNS.size()));
      String price = BigDecimal.valueOf(999 + random.nextInt(49_000), 2).toPlainString();
      products.add(new Product(String.format("SKU-%03d", 101 + i), name, price));
    }
    return List.copyOf(products);
  }
}
