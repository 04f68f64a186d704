package com.creditrisk.contract;

/** How a contract rule is checked, which is also how the rule list groups it. */
public enum RuleKind {
  /** A CSV row has as many fields as the header. */
  FIELD_COUNT("field count"),
  /** The column is present (unless optional) and of a type that can hold its contract type; checked as it is read. */
  COLUMN("column"),
  /** A present cell parses as the column's contract type. */
  PARSE("parse"),
  /** A parsed number is not NaN or infinite (a double column, whatever the source format). */
  FINITE("finite"),
  /** The cell is not null (nor blank, for a string source column). */
  NOT_NULL("not null"),
  /** A condition on the row alone. */
  ROW("row"),
  /** A condition on the row and the row it refers to in another table. */
  REFERENCE("reference"),
  /** No two rows share a key. */
  UNIQUE("unique key"),
  /** Every key of the table has rows in another table. */
  COVERAGE("coverage"),
  /** A condition on all the installment rows of one loan. */
  PER_LOAN("per loan"),
  /** A condition on the table as a whole, as of the run's date. */
  TABLE("table");

  private final String label;

  RuleKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
