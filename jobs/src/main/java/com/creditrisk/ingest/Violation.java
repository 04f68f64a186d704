package com.creditrisk.ingest;

import java.util.List;

/**
 * One broken contract rule: which table and column, which rule, how many rows break it, and a
 * few example keys so the lender can find them.
 */
public record Violation(String table, String column, String rule, long count, List<String> examples) {
  public Violation {
    examples = List.copyOf(examples);
  }

  public String describe() {
    if (count == 0) {
      return table + "." + column + ": " + rule;
    }
    return table + "." + column + ": " + rule + " (" + count + " row" + (count == 1 ? "" : "s")
        + (examples.isEmpty() ? "" : ", e.g. " + String.join(", ", examples)) + ")";
  }
}
