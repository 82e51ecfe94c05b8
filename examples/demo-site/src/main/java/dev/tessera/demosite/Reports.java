package dev.tessera.demosite;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Predicate;

/** The small per-user report figures served by the bearer-token API. */
final class Reports {

  /** One named figure. */
  record Row(String name, String value) {}

  private Reports() {}

  static List<Row> of(DemoUser user) {
    List<Invoice> invoices = Invoices.of(user);
    return List.of(
        new Row("Invoices issued", Integer.toString(invoices.size())),
        new Row("Total billed", sum(invoices, invoice -> true)),
        new Row("Outstanding", sum(invoices, invoice -> !invoice.status().equals("Paid"))),
        new Row(
            "Overdue invoices",
            Long.toString(
                invoices.stream().filter(invoice -> invoice.status().equals("Overdue")).count())));
  }

  private static String sum(List<Invoice> invoices, Predicate<Invoice> filter) {
    return invoices.stream()
        .filter(filter)
        .map(invoice -> new BigDecimal(invoice.amount()))
        .reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add)
        .toPlainString();
  }
}
