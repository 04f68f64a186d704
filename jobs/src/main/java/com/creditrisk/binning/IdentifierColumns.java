package com.creditrisk.binning;

import com.creditrisk.contract.InputContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The columns {@code bin} leaves out by default because they look like identifiers (DESIGN.md,
 * "Data protection"): binning one writes its values out, and a category per row has no WoE worth
 * reading anyway. A column is one when it is a contract key column (by name), or a string column
 * whose distinct values are at least {@value #NEAR_UNIQUE_PERCENT}% of its non-null rows and more
 * than {@value #MIN_DISTINCT} (so a small table's genuine categories are kept).
 *
 * <p>Where the counts come from. The key columns are left out by name before anything is read. On
 * the Spark path a string column's counts come from the fit's own pass ({@link FineBins#table}
 * with the column screened): its reduce task counts the column's non-null rows and distinct
 * values and, for a near-unique one, emits a marker with the two counts instead of its bins, so
 * the screening takes no pass of its own and an identifier's values never reach the driver (the
 * fit collects one row per category: one per row for an identifier). The local path
 * ({@link LocalBins}) counts them as it reads the file. Either way the rule and the reason are
 * these.
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
   * and {@code stringColumns} (a subset) by their counts, which {@code counts} gives for the string
   * columns that are not key columns: each one's non-null rows and distinct non-null values, in
   * turn; in the order of {@code columns}. The local path ({@link LocalBins}) counts them as it reads.
   */
  static List<Excluded> find(List<String> columns, List<String> stringColumns,
      Function<List<String>, long[]> counts) {
    List<Excluded> out = new ArrayList<>(keyColumns(columns));
    List<String> counted = counted(stringColumns);
    if (!counted.isEmpty()) {
      long[] r = counts.apply(counted);
      for (int i = 0; i < counted.size(); i++) {
        long nonNull = r[2 * i];
        long distinct = r[2 * i + 1];
        if (nearUnique(distinct, nonNull)) {
          out.add(nearUniqueColumn(counted.get(i), distinct, nonNull));
        }
      }
    }
    return inOrder(columns, out);
  }

  /** The key columns among {@code columns}, in their order. */
  static List<Excluded> keyColumns(List<String> columns) {
    return columns.stream().filter(IdentifierColumns::isKeyColumn)
        .map(c -> new Excluded(c, "a key column of the input contract")).toList();
  }

  /** The string columns that are screened by their counts: those that are not key columns. */
  static List<String> counted(List<String> stringColumns) {
    return stringColumns.stream().filter(c -> !isKeyColumn(c)).toList();
  }

  /** A string column left out as near-unique, with its counts in the reason. */
  static Excluded nearUniqueColumn(String column, long distinct, long nonNull) {
    return new Excluded(column, String.format(Locale.ROOT,
        "near-unique: %,d distinct values in %,d non-null rows (at least %d%% and more than %d)",
        distinct, nonNull, NEAR_UNIQUE_PERCENT, MIN_DISTINCT));
  }

  /** {@code excluded} in the order of {@code columns}. */
  static List<Excluded> inOrder(List<String> columns, List<Excluded> excluded) {
    Map<String, Excluded> byColumn = new LinkedHashMap<>();
    excluded.forEach(e -> byColumn.put(e.column(), e));
    return columns.stream().filter(byColumn::containsKey).map(byColumn::get).toList();
  }
}
