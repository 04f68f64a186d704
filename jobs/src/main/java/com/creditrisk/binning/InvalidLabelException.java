package com.creditrisk.binning;

/**
 * The label column cannot train a binning: a value other than 0/1, or only one class. A data
 * problem, not a usage one, so callers can map it to "bad input".
 */
public class InvalidLabelException extends IllegalArgumentException {
  private final String column;
  private final String rule;

  public InvalidLabelException(String column, String rule) {
    super("Cannot fit WoeBinning: labelCol '" + column + "' " + rule);
    this.column = column;
    this.rule = rule;
  }

  /** The label column. */
  public String column() {
    return column;
  }

  /** The rule it breaks, e.g. "must hold 0/1 (1 = bad), found 12 rows with other values". */
  public String rule() {
    return rule;
  }
}
