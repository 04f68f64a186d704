package com.creditrisk.contract;

/**
 * One column of an input contract.
 *
 * @param name contract name (the lender's own name is mapped with inputs.TABLE.columns.NAME)
 * @param type contract type
 * @param nullable whether a null cell is allowed
 * @param required whether the column must be present; an absent optional column reads as nulls
 */
public record ColumnSpec(String name, ColumnType type, boolean nullable, boolean required) {
  /** A column that must be present and may hold no null cell. */
  public static ColumnSpec notNull(String name, ColumnType type) {
    return new ColumnSpec(name, type, false, true);
  }

  /** A column that must be present; its cells may be null. */
  public static ColumnSpec nullable(String name, ColumnType type) {
    return new ColumnSpec(name, type, true, true);
  }

  /** A column that may be absent (then read as nulls). */
  public static ColumnSpec optional(String name, ColumnType type) {
    return new ColumnSpec(name, type, true, false);
  }
}
