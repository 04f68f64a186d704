package com.creditrisk.ingest;

import static com.creditrisk.ingest.ColumnSpec.key;
import static com.creditrisk.ingest.ColumnSpec.nullable;
import static com.creditrisk.ingest.ColumnSpec.optional;
import static com.creditrisk.ingest.ColumnType.DATE;
import static com.creditrisk.ingest.ColumnType.DOUBLE;
import static com.creditrisk.ingest.ColumnType.INT;
import static com.creditrisk.ingest.ColumnType.STRING;
import static com.creditrisk.ingest.ColumnType.TIMESTAMP;

import java.util.List;
import java.util.Optional;

/** The input tables of the contract (DESIGN.md, "Inputs") with their columns. */
public enum InputTable {
  SCORE_SNAPSHOTS("score_snapshots", false, List.of(
      key("customer_id", STRING),
      key("score_time", TIMESTAMP),
      key("score", INT),
      optional("source", STRING))),
  APPLICATIONS("applications", false, List.of(
      key("application_id", STRING),
      key("customer_id", STRING),
      key("application_time", TIMESTAMP),
      nullable("product", STRING),
      nullable("channel", STRING),
      nullable("requested_amount", DOUBLE),
      nullable("term_months", INT),
      key("decision", STRING),
      nullable("loan_id", STRING),
      optional("decision_score", INT))),
  LOANS("loans", false, List.of(
      key("loan_id", STRING),
      key("application_id", STRING),
      key("disbursed_date", DATE),
      key("principal", DOUBLE),
      key("annual_rate", DOUBLE),
      key("term_months", INT))),
  REPAYMENTS("repayments", false, List.of(
      key("loan_id", STRING),
      key("installment_no", INT),
      key("due_date", DATE),
      key("amount_due", DOUBLE),
      key("amount_paid", DOUBLE),
      nullable("paid_date", DATE))),
  LOAN_EVENTS("loan_events", true, List.of(
      key("loan_id", STRING),
      key("event_date", DATE),
      key("event_type", STRING)));

  private final String tableName;
  private final boolean optionalTable;
  private final List<ColumnSpec> columns;

  InputTable(String tableName, boolean optionalTable, List<ColumnSpec> columns) {
    this.tableName = tableName;
    this.optionalTable = optionalTable;
    this.columns = columns;
  }

  /** The contract name, also the conf key segment: inputs.&lt;tableName&gt;. */
  public String tableName() {
    return tableName;
  }

  public boolean isOptional() {
    return optionalTable;
  }

  public List<ColumnSpec> columns() {
    return columns;
  }

  public Optional<ColumnSpec> column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  public static Optional<InputTable> byName(String name) {
    for (InputTable t : values()) {
      if (t.tableName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
