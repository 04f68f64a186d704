package com.creditrisk.binning;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;

import com.creditrisk.contract.InputContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The columns {@code bin} leaves out by default because they look like identifiers (DESIGN.md,
 * "Data protection"): binning one writes its values out, and a category per row has no WoE worth
 * reading anyway. A column is one when it is a contract key column (by name), or a string column
 * whose distinct values are at least {@value #NEAR_UNIQUE_PERCENT}% of its non-null rows and more
 * than {@value #MIN_DISTINCT} (so a small table's genuine categories are kept).
 */
public final class IdentifierColumns {
  /** Distinct values as a percentage of non-null rows from which a string column counts as near-unique. */
  public static final int NEAR_UNIQUE_PERCENT = 90;
  /** A near-unique column has more distinct values than this. */
  public static final long MIN_DISTINCT = 50;

  private IdentifierColumns() {}

  /** A column left out, and why, in words for the output and the summary. */
  public record Excluded(String column, String reason) {}

  /** Whether a column is one of the contract's key columns, case aside. */
  static boolean isKeyColumn(String column) {
    return InputContract.IDENTIFIER_COLUMNS.stream().anyMatch(k -> k.equalsIgnoreCase(column));
  }

  /** The near-unique rule on one column's counts. */
  static boolean nearUnique(long distinct, long nonNull) {
    return distinct > MIN_DISTINCT && distinct * 100 >= NEAR_UNIQUE_PERCENT * nonNull;
  }

  /**
   * The identifier-like columns among {@code columns}: key columns by name, whatever their type,
   * and {@code stringColumns} (a subset) by their counts; in the order of {@code columns}. The counts take one aggregation,
   * run only when some string column is not already a key column; it is done before the binning
   * because the binning collects one row per category to the driver, which for an identifier is
   * one per row.
   */
  static List<Excluded> find(Dataset<Row> df, List<String> columns, List<String> stringColumns) {
    return find(columns, stringColumns, counted -> {
      List<Column> aggs = new ArrayList<>();
      for (String c : counted) {
        aggs.add(count(col(FineBins.quote(c))));
        aggs.add(count_distinct(col(FineBins.quote(c))));
      }
      Row r = df.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
      long[] out = new long[2 * counted.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = r.getLong(i);
      }
      return out;
    });
  }

  /**
   * {@link #find} with the counts from {@code counts}: for the string columns it is given, each
   * column's non-null rows and distinct non-null values, in turn.
   */
  static List<Excluded> find(List<String> columns, List<String> stringColumns,
      Function<List<String>, long[]> counts) {
    Map<String, Excluded> out = new LinkedHashMap<>();
    for (String c : columns) {
      if (isKeyColumn(c)) {
        out.put(c, new Excluded(c, "a key column of the input contract"));
      }
    }
    List<String> counted = stringColumns.stream().filter(c -> !out.containsKey(c)).toList();
    if (!counted.isEmpty()) {
      long[] r = counts.apply(counted);
      for (int i = 0; i < counted.size(); i++) {
        long nonNull = r[2 * i];
        long distinct = r[2 * i + 1];
        if (nearUnique(distinct, nonNull)) {
          out.put(counted.get(i), new Excluded(counted.get(i), String.format(Locale.ROOT,
              "near-unique: %,d distinct values in %,d non-null rows (at least %d%% and more than %d)",
              distinct, nonNull, NEAR_UNIQUE_PERCENT, MIN_DISTINCT)));
        }
      }
    }
    return columns.stream().filter(out::containsKey).map(out::get).toList();
  }
}
