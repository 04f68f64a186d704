package com.creditrisk.errors;

import java.time.LocalDate;
import java.util.List;

/**
 * The one place user-facing errors are made, so every message keeps the same shape
 * ("Cannot ...: reason" / "Invalid ...: value") and names what to fix.
 */
public final class Errors {
  private Errors() {}

  public static CreditRiskException unknownConfigKeys(List<String> keys) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG,
        "Invalid configuration: unknown key(s) " + String.join(", ", keys)
            + " (see conf/defaults.conf for the accepted keys)");
  }

  public static CreditRiskException badConfigValue(String key, Object value, String rule) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG,
        "Invalid configuration value for " + key + ": '" + value + "' (" + rule + ")");
  }

  public static CreditRiskException badConfigFile(String file, String reason) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG,
        "Cannot read configuration file " + file + ": " + reason);
  }

  public static CreditRiskException badUsage(String message) {
    return new CreditRiskException(ErrorCode.BAD_USAGE, message);
  }

  public static CreditRiskException asOfAfterExtract(LocalDate asOf, LocalDate extract) {
    return new CreditRiskException(ErrorCode.AS_OF_AFTER_EXTRACT,
        "Invalid --as-of " + asOf + ": it is after the data's extract date " + extract
            + " (set inputs.extract_date if the extract is more recent than its latest record)");
  }

  public static CreditRiskException badInput(String report) {
    return new CreditRiskException(ErrorCode.BAD_INPUT,
        "Cannot build from the inputs: they break the input contract; nothing was written.\n"
            + report);
  }

  public static CreditRiskException cannotReadInput(String table, String path, String reason) {
    return new CreditRiskException(ErrorCode.BAD_INPUT,
        "Cannot read input " + table + " at " + path + ": " + reason
            + " (check inputs." + table + ".path and inputs." + table + ".format)");
  }

  /** An earlier stage's output that this stage reads is missing. */
  public static CreditRiskException missingStageOutput(String action, String what, String path, String fix) {
    return new CreditRiskException(ErrorCode.BAD_INPUT,
        "Cannot " + action + ": " + what + " not found at " + path + " (" + fix + ")");
  }

  /** The stage's input exists but cannot support the stage (e.g. one class only). */
  public static CreditRiskException unusableStageInput(String action, String table, String reason) {
    return new CreditRiskException(ErrorCode.BAD_INPUT, "Cannot " + action + ": table " + table + " " + reason);
  }

  public static CreditRiskException cannotReadTable(String path, String reason) {
    return new CreditRiskException(ErrorCode.BAD_INPUT,
        "Cannot read input table at " + path + ": " + reason + "; nothing was written.");
  }

  /** A column of an ad-hoc input table (bin, validate --scores) that breaks a rule. */
  public static CreditRiskException badTableColumn(String path, String column, String rule) {
    return new CreditRiskException(ErrorCode.BAD_INPUT,
        "Cannot use input table " + path + ": column '" + column + "' " + rule + "; nothing was written.");
  }

  /** Every problem found with the columns of an ad-hoc input table (validate --scores), at once. */
  public static CreditRiskException badTableColumns(String path, List<String> problems, List<String> columns) {
    return new CreditRiskException(ErrorCode.BAD_INPUT,
        "Cannot use input table " + path + ": " + String.join("; ", problems)
            + (columns == null ? "" : " (columns: " + String.join(", ", columns) + ")") + "; nothing was written.");
  }

  // --- validation and cutoffs ---

  /** A stage failed after writing a table, whose slice got back its rows from before the run. */
  public static CreditRiskException failedAfterWrite(String command, String path, Exception cause) {
    return new CreditRiskException(ErrorCode.INTERNAL, command + " failed after writing " + path
        + " (rolled back): " + cause.getMessage(), cause);
  }

  /** --gate red and the verdict is red: exit 4, after the metrics were written. */
  public static CreditRiskException validationGateFailed(List<String> redLights, String written) {
    return new CreditRiskException(ErrorCode.GATE_FAILED, "Validation gate failed: the verdict is red ("
        + String.join(", ", redLights) + "); " + written + " was written");
  }

  /** {@code monitor --gate red} and the latest as-of date's verdict is red: exit 4, after everything is written. */
  public static CreditRiskException monitoringGateFailed(List<String> redIndicators, String written) {
    return new CreditRiskException(ErrorCode.GATE_FAILED, "Monitoring gate failed: the verdict is red ("
        + String.join(", ", redIndicators) + "); " + written + " was written");
  }

  // --- warehouse ---

  /**
   * A stage that fails for another reason than its inputs or its configuration, e.g. a file or
   * folder of the warehouse that cannot be read, written or listed: an environment failure or a
   * bug (exit 1). {@code action} completes "Cannot ...", e.g. "write runs/X/pipeline.json".
   */
  public static CreditRiskException cannot(String action, Exception cause) {
    return new CreditRiskException(ErrorCode.INTERNAL, "Cannot " + action + ": " + cause.getMessage(), cause);
  }

  /**
   * The job's thread was interrupted while it waited for Spark; the caller restores the interrupt
   * flag. {@code activity} completes "Interrupted while ...".
   */
  public static CreditRiskException interrupted(String activity, InterruptedException cause) {
    return new CreditRiskException(ErrorCode.INTERNAL, "Interrupted while " + activity, cause);
  }

  // --- config ---

  /** A configuration HOCON cannot resolve (e.g. a ${substitution} that names no key). */
  public static CreditRiskException invalidConfig(String reason, Throwable cause) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG, "Invalid configuration: " + reason, cause);
  }

  // --- H9: usage, messages and escaping ---

  /** A generate or demo option out of its range: exit 2, naming the option as typed. */
  public static CreditRiskException badGeneratorOption(String option, Object value, String rule) {
    return new CreditRiskException(ErrorCode.BAD_USAGE, "Invalid " + option + " " + value + ": " + rule);
  }

  // --- H7: inputs that pass but should not ---

  /** An --as-of date on or before which no application is dated: every table it would write is empty. */
  public static CreditRiskException asOfBeforeApplications(LocalDate asOf, long applications) {
    return new CreditRiskException(ErrorCode.BAD_USAGE, "Invalid --as-of " + asOf + ": the date holds no "
        + "application (" + (applications == 0 ? "the applications table is empty"
            : "all " + applications + " are dated after it") + "); choose a date on or after the first application");
  }
  // --- H11: data protection ---

  /** privacy.pseudonymize is on but neither place a key may come from holds one. */
  public static CreditRiskException privacyKeyMissing(String keyFileKey, String envVar) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG, "Invalid configuration: privacy.pseudonymize is true but "
        + "no key is given (set " + keyFileKey + " to a file that holds the key, or the environment variable "
        + envVar + ")");
  }

  /** A key file others may read: the key must stay the owner's (as ssh refuses such a private key). */
  public static CreditRiskException privacyKeyFileReadable(String keyFileKey, String path, String permissions) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG, "Invalid " + keyFileKey + " " + path + ": it is readable "
        + "by group or others (" + permissions + "); restrict it with: chmod 600 " + path);
  }

  /** An empty key (a file of blank lines, or an empty environment variable): no secret at all. */
  public static CreditRiskException privacyKeyEmpty(String where) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG, "Invalid pseudonymization key in " + where
        + ": it is empty");
  }

  /** The key file cannot be read; the reason names the file, never its content. */
  public static CreditRiskException privacyKeyUnreadable(String keyFileKey, String path, String reason) {
    return new CreditRiskException(ErrorCode.BAD_CONFIG, "Cannot read " + keyFileKey + " " + path + ": " + reason);
  }

  // --- H10: faults and concurrency ---

  /**
   * An output folder ({@code --out}, {@code warehouse.path}) that cannot be written, found before
   * any work: exit 2, naming the option, the path and why.
   */
  public static CreditRiskException unwritableOutput(String option, String path, String reason) {
    return new CreditRiskException(ErrorCode.BAD_USAGE,
        "Invalid " + option + " " + path + ": " + reason + "; nothing was written.");
  }

  /**
   * A Delta write still rejected for concurrent commits after every retry: exit 1, so a scheduler
   * retries the run, with a one-line message (Delta's own runs over many lines).
   */
  public static CreditRiskException concurrentWrite(String path, String predicate, int attempts, Exception cause) {
    String msg = cause.getMessage() == null ? "" : cause.getMessage().strip();
    int nl = msg.indexOf('\n');
    return new CreditRiskException(ErrorCode.INTERNAL, "Cannot write " + predicate + " to " + path
        + ": another run committed to the table at the same time, " + attempts + " times in a row ("
        + cause.getClass().getSimpleName() + (msg.isEmpty() ? "" : ": " + (nl < 0 ? msg : msg.substring(0, nl)).strip())
        + "); nothing of this write was kept, run it again", cause);
  }
}
