package com.creditrisk.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rows and a content checksum of a run's slice of a table, so two runs can be compared without
 * keeping either: the sum of a 64-bit hash of every row (all columns, in name order), as a whole
 * number. The sum does not depend on row order or partitioning, and, unlike XOR, a duplicated row
 * changes it. One aggregation; no row reaches the driver.
 */
public final class TableFingerprint {
  private TableFingerprint() {}

  public record Print(long rows, String checksum) {}

  /**
   * A table's slice as pipeline.json records it: the version read, the slice's predicate and,
   * when the table exists, its rows and checksum.
   *
   * @param version -1 when the table does not exist
   * @param rows null when the table does not exist
   * @param checksum null when the table does not exist
   */
  @JsonPropertyOrder({"path", "version", "where", "rows", "checksum"})
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SliceRecord(String path, long version, String where, Long rows, String checksum) {}

  public static Print of(Dataset<Row> rows) {
    String[] names = rows.columns().clone();
    Arrays.sort(names);
    Column[] cols = Arrays.stream(names).map(n -> col("`" + n + "`")).toArray(Column[]::new);
    // decimal(38, 0) holds the sum of 10^19 hashes of at most 2^63 each: no overflow in practice.
    Row r = rows.agg(count(lit(1)), sum(xxhash64(cols).cast("decimal(38,0)"))).first();
    return new Print(r.getLong(0), r.isNullAt(1) ? "0" : r.getDecimal(1).toPlainString());
  }
}
