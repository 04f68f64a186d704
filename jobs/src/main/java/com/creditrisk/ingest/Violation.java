package com.creditrisk.ingest;

import java.util.List;

/**
 * One broken contract rule: which table and column, which rule, how many rows break it, and a
 * few example keys so the lender can find them; a column problem has no count and no examples.
 *
 * @param unit what {@code count} counts, singular: "row", or "loan" for a per-loan rule
 */
public record Violation(String table, String column, String rule, long count, List<String> examples, String unit) {
  public Violation {
    examples = List.copyOf(examples);
  }

  /** A violation counted in rows. */
  public Violation(String table, String column, String rule, long count, List<String> examples) {
    this(table, column, rule, count, examples, "row");
  }
}
