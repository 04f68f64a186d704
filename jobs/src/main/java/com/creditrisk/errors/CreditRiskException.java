package com.creditrisk.errors;

/** A user-facing failure with a stable {@link ErrorCode}; its message is printed as is. */
public class CreditRiskException extends RuntimeException {
  private final ErrorCode code;

  public CreditRiskException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public CreditRiskException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  public int exitCode() {
    return code.exitCode();
  }
}
