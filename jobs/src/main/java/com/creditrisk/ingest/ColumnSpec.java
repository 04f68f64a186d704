package com.creditrisk.ingest;

/**
 * One column of an input contract.
 *
 * @param name contract name (the lender's own name is mapped with inputs.TABLE.columns.NAME)
 * @param type contract type
 * @param nullable whether a null cell is allowed
 * @param required whether the column must be present; an absent optional column reads as nulls
 */
public record ColumnSpec(String name, ColumnType type, boolean nullable, boolean required) {
  public static ColumnSpec key(String name, ColumnType type) {
    return new ColumnSpec(name, type, false, true);
  }

  public static ColumnSpec nullable(String name, ColumnType type) {
    return new ColumnSpec(name, type, true, true);
  }

  public static ColumnSpec optional(String name, ColumnType type) {
    return new ColumnSpec(name, type, true, false);
  }
}
