package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import com.creditrisk.contract.InputTable;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * What a table's pass counts beside its rules, for run.json and the extract date: the date a row
 * is dated by (the latest is a candidate extract date), and the rows dated after the as-of date,
 * by condition name, in the order they are reported.
 */
record AsOfCounts(Column latest, Map<String, Column> conditions) {
  static AsOfCounts of(InputTable t, LocalDate asOf) {
    Column asOfEnd = lit(asOf.plusDays(1).toString()).cast(DataTypes.TimestampType);
    Column asOfDate = lit(asOf.toString()).cast(DataTypes.DateType);
    Map<String, Column> c = new LinkedHashMap<>();
    Column latest = switch (t) {
      case SCORE_SNAPSHOTS -> {
        c.put("after_as_of", col("score_time").geq(asOfEnd));
        yield to_date(col("score_time"));
      }
      case APPLICATIONS -> {
        c.put("after_as_of", col("application_time").geq(asOfEnd));
        yield to_date(col("application_time"));
      }
      case LOANS -> {
        c.put("after_as_of", col("disbursed_date").gt(asOfDate));
        yield col("disbursed_date");
      }
      case REPAYMENTS -> {
        c.put("after_as_of", col("due_date").gt(asOfDate));
        c.put("paid_after_as_of", col("paid_date").gt(asOfDate));
        yield col("paid_date");
      }
      case LOAN_EVENTS -> {
        c.put("after_as_of", col("event_date").gt(asOfDate));
        yield col("event_date");
      }
    };
    return new AsOfCounts(latest, Collections.unmodifiableMap(c));
  }
}
