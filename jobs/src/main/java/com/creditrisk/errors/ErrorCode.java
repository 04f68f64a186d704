package com.creditrisk.errors;

/**
 * Stable error classes of the user-facing contract, each bound to the process exit code a
 * scheduler (Airflow) branches on. The codes are part of {@code DESIGN.md}: 2 bad usage or
 * config, 3 bad input data, 4 a validation gate failed, 1 anything else.
 */
public enum ErrorCode {
  /** Command-line arguments that do not parse or do not fit together. */
  BAD_USAGE(2),
  /** An unknown configuration key, or a value of the wrong type or out of range. */
  BAD_CONFIG(2),
  /** The as-of date lies after the data's extract date. */
  AS_OF_AFTER_EXTRACT(2),
  /** An input table breaks the input contract. */
  BAD_INPUT(3),
  /** A validation gate that the caller asked for failed. */
  GATE_FAILED(4),
  /** Anything else: a bug or an environment failure. */
  INTERNAL(1);

  private final int exitCode;

  ErrorCode(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
