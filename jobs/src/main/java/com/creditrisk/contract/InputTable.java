package com.creditrisk.contract;

import static com.creditrisk.contract.ColumnSpec.notNull;
import static com.creditrisk.contract.ColumnSpec.nullable;
import static com.creditrisk.contract.ColumnSpec.optional;
import static com.creditrisk.contract.ColumnType.DATE;
import static com.creditrisk.contract.ColumnType.DOUBLE;
import static com.creditrisk.contract.ColumnType.INT;
import static com.creditrisk.contract.ColumnType.STRING;
import static com.creditrisk.contract.ColumnType.TIMESTAMP;

import java.util.List;
import java.util.Optional;

/** The input tables of the contract (DESIGN.md, "Inputs") with their columns. */
public enum InputTable {
  SCORE_SNAPSHOTS("score_snapshots", false, List.of(
      notNull("customer_id", STRING),
      notNull("score_time", TIMESTAMP),
      notNull("score", INT),
      optional("source", STRING))),
  APPLICATIONS("applications", false, List.of(
      notNull("application_id", STRING),
      notNull("customer_id", STRING),
      notNull("application_time", TIMESTAMP),
      nullable("product", STRING),
      nullable("channel", STRING),
      nullable("requested_amount", DOUBLE),
      nullable("term_months", INT),
      notNull("decision", STRING),
      nullable("loan_id", STRING),
      optional("decision_score", INT))),
  LOANS("loans", false, List.of(
      notNull("loan_id", STRING),
      notNull("application_id", STRING),
      notNull("disbursed_date", DATE),
      notNull("principal", DOUBLE),
      notNull("annual_rate", DOUBLE),
      notNull("term_months", INT))),
  REPAYMENTS("repayments", false, List.of(
      notNull("loan_id", STRING),
      notNull("installment_no", INT),
      notNull("due_date", DATE),
      notNull("amount_due", DOUBLE),
      notNull("amount_paid", DOUBLE),
      nullable("paid_date", DATE))),
  LOAN_EVENTS("loan_events", true, List.of(
      notNull("loan_id", STRING),
      notNull("event_date", DATE),
      notNull("event_type", STRING)));

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
