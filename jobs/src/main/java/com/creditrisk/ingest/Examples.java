package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.creditrisk.contract.ContractRule;
import com.creditrisk.contract.ContractRule.Unique;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The second looks at a table once a pass has found a problem (a few example keys, the exact
 * count of rows sharing a key), and the reading of observed metrics. Never run on valid inputs.
 */
final class Examples {
  private static final int EXAMPLES = 3;

  private Examples() {}

  /** Up to three keys of the failing rows, a null key shown as {@code <null key>}. */
  static List<String> of(Dataset<Row> failing, Column key) {
    List<String> ex = new ArrayList<>();
    for (Row row : failing.select(coalesce(key.cast(DataTypes.StringType), lit("<null key>"))).limit(EXAMPLES)
        .collectAsList()) {
      ex.add(row.getString(0));
    }
    return ex;
  }

  /** The groups of rows sharing a key, with their size {@code __n}; rows with a null key column left out. */
  static Dataset<Row> sharedKeys(RawInput in, List<String> columns) {
    return sharedKeys(in.typed(), columns);
  }

  /** The groups of rows sharing a key, with their size {@code __n}; rows with a null key column left out. */
  static Dataset<Row> sharedKeys(Dataset<Row> rows, List<String> columns) {
    Column present = lit(true);
    for (String c : columns) {
      present = present.and(col(c).isNotNull());
    }
    return rows.filter(present).groupBy(columns.stream().map(c -> col(c)).toArray(Column[]::new))
        .agg(count(lit(1)).as("__n")).filter(col("__n").gt(1));
  }

  /** The exact number of rows sharing a key, for a pass that only proved some keys distinct. */
  static long sharedKeyRows(RawInput in, List<String> columns) {
    return sharedKeys(in, columns).agg(coalesce(sum(col("__n")), lit(0L))).first().getLong(0);
  }

  /** Reports {@code rows} rows sharing the key of a unique rule, with example keys, when there are some. */
  static void reportSharedKeys(RawInput in, ContractRule unique, long rows, List<Violation> out) {
    if (rows > 0) {
      Unique u = (Unique) unique.check();
      out.add(new Violation(in.table().tableName(), unique.column(), unique.wording(), rows,
          of(sharedKeys(in, u.columns()), u.exampleKey())));
    }
  }

  /** An observed count; none when the pass did not run. */
  static long number(Object o) {
    return o == null ? 0L : ((Number) o).longValue();
  }

  /** An observed date, as the observation returns it (java.sql.Date or LocalDate), if any. */
  static void addDate(Object observed, List<LocalDate> dates) {
    if (observed instanceof java.sql.Date d) {
      dates.add(d.toLocalDate());
    } else if (observed instanceof LocalDate d) {
      dates.add(d);
    }
  }
}
