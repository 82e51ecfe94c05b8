package dev.tessera.demosite;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/** The deterministic invoice ledger of each user, split into pages. */
final class Invoices {

  static final int PAGE_SIZE = 10;

  private static final long SEED = 0x7E55E7AL;
  private static final LocalDate FIRST_DATE = LocalDate.of(2024, 1, 8);
  private static final Map<String, Integer> COUNTS = Map.of("alice", 34, "bob", 12, "carol", 7);
  private static final List<String> CUSTOMERS =
      List.of(
          "Acme Corporation",
          "Globex Inc.",
          "Initech",
          "Umbrella Ltd.",
          "Smith & Sons",
          "Stark Industries",
          "Wayne Enterprises",
          "Cyberdyne Systems",
          "O'Brien Logistics",
          "Hooli",
          "Tyrell Corp.",
          "Soylent Foods");
  private static final Map<String, List<Invoice>> LEDGERS = new ConcurrentHashMap<>();

  private Invoices() {}

  /** All invoices of the user, newest first. */
  static List<Invoice> of(DemoUser user) {
    return LEDGERS.computeIfAbsent(user.username(), Invoices::generate);
  }

  /** How many pages the user's invoices fill; at least one. */
  static int pages(DemoUser user) {
    return Math.max(1, (of(user).size() + PAGE_SIZE - 1) / PAGE_SIZE);
  }

  /** The invoices on page {@code page} (starting at 1); the caller checks the range. */
  static List<Invoice> page(DemoUser user, int page) {
    List<Invoice> all = of(user);
    int from = Math.min(all.size(), (page - 1) * PAGE_SIZE);
    return all.subList(from, Math.min(all.size(), from + PAGE_SIZE));
  }

  private static List<Invoice> generate(String username) {
    int count = COUNTS.getOrDefault(username, 0);
    Random random = new Random(SEED ^ username.hashCode());
    String prefix = "INV-" + Character.toUpperCase(username.charAt(0));
    List<Invoice> invoices = new ArrayList<>(count);
    LocalDate date = FIRST_DATE;
    for (int i = 0; i < count; i++) {
      date = date.plusDays(3 + random.nextInt(12));
      String customer = CUSTOMERS.get(random.nextInt(CUSTOMERS.size()));
      String amount = BigDecimal.valueOf(2_500 + random.nextInt(1_250_000), 2).toPlainString();
      int roll = random.nextInt(10);
      String status = roll < 6 ? "Paid" : roll < 8 ? "Open" : "Overdue";
      invoices.add(
          new Invoice(
              String.format("%s%04d", prefix, 1001 + i),
              date.toString(),
              customer,
              amount,
              status));
    }
    Collections.reverse(invoices);
    return List.copyOf(invoices);
  }
}
