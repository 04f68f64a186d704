package com.creditrisk.ingest;

import java.util.List;

/** The text of the exit-3 message: every problem found, one line each, in the order found. */
final class ContractMessage {
  private ContractMessage() {}

  static String format(List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    sb.append(violations.size()).append(" problem").append(violations.size() == 1 ? "" : "s").append(" found:");
    for (Violation v : violations) {
      sb.append("\n  - ").append(describe(v));
    }
    return sb.toString();
  }

  /**
   * {@code table.column: rule (N rows, e.g. K1, K2, K3)}, {@code table: rule (...)} for a rule on
   * the whole row; the count part only for rows.
   */
  static String describe(Violation v) {
    String head = v.table() + (v.column().isEmpty() ? "" : "." + v.column()) + ": " + v.rule();
    if (v.count() == 0) {
      return head;
    }
    return head + " (" + v.count() + " " + v.unit() + (v.count() == 1 ? "" : "s")
        + (v.examples().isEmpty() ? "" : ", e.g. " + String.join(", ", v.examples())) + ")";
  }
}
