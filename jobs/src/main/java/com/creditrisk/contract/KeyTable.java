package com.creditrisk.contract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;

/**
 * A table's rows grouped by its key, with what the {@link RuleKind#REFERENCE} rules of other tables
 * look up: a referencing row is joined to it on the key column, which has the same name on both
 * sides, and a reference rule's condition reads the columns below. The same grouping counts the
 * rows sharing a key, so the table's {@link RuleKind#UNIQUE} rule on that key needs no pass of its own.
 */
public enum KeyTable {
  LOANS_BY_ID(InputTable.LOANS, "loan_id", List.of("loan_id", "disbursed_date", "application_id")),
  APPLICATIONS_BY_ID(InputTable.APPLICATIONS, "application_id",
      List.of("application_id", "decision", "loan_id", "application_time"));

  /** Rows of loans with the loan_id; null after the join for an unknown loan. */
  public static final String LOAN_ROWS = "__loan_rows";
  /** The loan's disbursed_date (the earliest, should the key repeat). */
  public static final String LOAN_DISBURSED = "__loan_disbursed";
  /** The loan's application_id (the least, should the key repeat). */
  public static final String LOAN_APPLICATION = "__loan_application";
  /** Rows of applications with the application_id; null after the join for an unknown application. */
  public static final String APPLICATION_ROWS = "__app_rows";
  /** 1 when an application with the application_id was approved, else 0. */
  public static final String APPLICATION_APPROVED = "__app_approved";
  /** The application's loan_id, null when null or blank (the least, should the key repeat). */
  public static final String APPLICATION_LOAN = "__app_loan";
  /** The application's application_time (the earliest, should the key repeat). */
  public static final String APPLICATION_TIME = "__app_time";

  private final InputTable table;
  private final String key;
  private final List<String> needs;

  KeyTable(InputTable table, String key, List<String> needs) {
    this.table = table;
    this.key = key;
    this.needs = needs;
  }

  public InputTable table() {
    return table;
  }

  /** The key column, also the referencing table's column that is joined to it. */
  public String key() {
    return key;
  }

  /** The columns of {@link #table()} the aggregates read: a reference to it is skipped when one is broken. */
  public List<String> needs() {
    return needs;
  }

  /** The name of the aggregate that counts the rows sharing a key. */
  public String rowsColumn() {
    return this == LOANS_BY_ID ? LOAN_ROWS : APPLICATION_ROWS;
  }

  /** The aggregates per key, computed over the rows whose key is not null. */
  public List<Column> aggregates() {
    return switch (this) {
      case LOANS_BY_ID -> List.of(count(lit(1)).as(LOAN_ROWS), min("disbursed_date").as(LOAN_DISBURSED),
          min("application_id").as(LOAN_APPLICATION));
      case APPLICATIONS_BY_ID -> List.of(count(lit(1)).as(APPLICATION_ROWS),
          max(when(col("decision").equalTo("approved"), 1).otherwise(0)).as(APPLICATION_APPROVED),
          min(when(trim(col("loan_id")).notEqual(""), col("loan_id"))).as(APPLICATION_LOAN),
          min("application_time").as(APPLICATION_TIME));
    };
  }
}
