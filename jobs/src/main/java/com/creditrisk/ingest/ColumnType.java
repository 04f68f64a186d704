package com.creditrisk.ingest;

/** Contract column types; CSV cells are parsed into these with the formats of the contract. */
public enum ColumnType {
  STRING("string"),
  INT("int"),
  DOUBLE("double"),
  /** {@code yyyy-MM-dd HH:mm:ss} in CSV. */
  TIMESTAMP("timestamp"),
  /** {@code yyyy-MM-dd} in CSV. */
  DATE("date");

  private final String label;

  ColumnType(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
