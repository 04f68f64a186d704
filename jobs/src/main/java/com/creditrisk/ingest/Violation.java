package com.creditrisk.ingest;

import java.util.List;

/**
 * One broken contract rule: which table and column, which rule, how many rows break it, and a
 * few example keys so the lender can find them; a column problem has no count and no examples.
 */
public record Violation(String table, String column, String rule, long count, List<String> examples) {
  public Violation {
    examples = List.copyOf(examples);
  }
}
