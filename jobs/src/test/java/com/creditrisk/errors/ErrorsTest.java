package com.creditrisk.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every factory method of {@link Errors}: its code, the exit code a scheduler sees (the CLI returns
 * {@link CreditRiskException#exitCode()} for every CreditRiskException) and the whole message, so
 * a change of wording or of exit code is a deliberate change of the user contract (DESIGN.md).
 */
class ErrorsTest {
  /** The factory methods this class covers; {@link #everyFactoryMethodIsCovered} keeps it complete. */
  private static final Set<String> COVERED = Set.of("unknownConfigKeys", "badConfigValue", "badConfigFile",
      "badUsage", "asOfAfterExtract", "badInput", "cannotReadInput", "missingStageOutput", "unusableStageInput",
      "cannotReadTable", "badTableColumn", "badTableColumns", "cannot", "interrupted", "failedAfterWrite",
      "validationGateFailed", "monitoringGateFailed", "invalidConfig", "badGeneratorOption", "asOfBeforeApplications",
      "privacyKeyMissing", "privacyKeyFileReadable", "privacyKeyEmpty", "privacyKeyUnreadable",
      "unwritableOutput", "concurrentWrite");

  /** Code, exit code and message in one line, so one assertion shows every difference at once. */
  private static void assertError(ErrorCode code, int exit, String message, CreditRiskException e) {
    assertEquals(code + " (exit " + exit + "): " + message,
        e.code() + " (exit " + e.exitCode() + "): " + e.getMessage());
  }

  @Test
  void exitCodesAreTheOnesDesignMdPromises() {
    Map<ErrorCode, Integer> exits = new LinkedHashMap<>();
    for (ErrorCode c : ErrorCode.values()) {
      exits.put(c, c.exitCode());
    }
    assertEquals(Map.of(ErrorCode.BAD_USAGE, 2, ErrorCode.BAD_CONFIG, 2, ErrorCode.AS_OF_AFTER_EXTRACT, 2,
        ErrorCode.BAD_INPUT, 3, ErrorCode.GATE_FAILED, 4, ErrorCode.INTERNAL, 1), exits);
  }

  @Test
  void everyFactoryMethodIsCovered() {
    Set<String> factories = new TreeSet<>();
    for (Method m : Errors.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
          && m.getReturnType() == CreditRiskException.class) {
        factories.add(m.getName());
      }
    }
    assertEquals(new TreeSet<>(COVERED), factories, "add a test below for each new factory method");
  }

  @Test
  void unknownConfigKeys() {
    assertError(ErrorCode.BAD_CONFIG, 2, "Invalid configuration: unknown key(s) train.modles, lable.bad_dpd "
        + "(see conf/defaults.conf for the accepted keys)",
        Errors.unknownConfigKeys(List.of("train.modles", "lable.bad_dpd")));
  }

  @Test
  void badConfigValue() {
    assertError(ErrorCode.BAD_CONFIG, 2, "Invalid configuration value for label.bad_dpd: '-5' (an integer >= 1)",
        Errors.badConfigValue("label.bad_dpd", -5, "an integer >= 1"));
  }

  @Test
  void badConfigFile() {
    assertError(ErrorCode.BAD_CONFIG, 2, "Cannot read configuration file conf/prod.conf: no such file",
        Errors.badConfigFile("conf/prod.conf", "no such file"));
  }

  @Test
  void badUsageIsTheMessageAsGiven() {
    assertError(ErrorCode.BAD_USAGE, 2, "Invalid --gate: 'amber' (red)", Errors.badUsage("Invalid --gate: 'amber' (red)"));
  }

  @Test
  void asOfAfterExtract() {
    assertError(ErrorCode.AS_OF_AFTER_EXTRACT, 2, "Invalid --as-of 2026-01-31: it is after the data's extract date "
        + "2025-12-31 (set inputs.extract_date if the extract is more recent than its latest record)",
        Errors.asOfAfterExtract(LocalDate.of(2026, 1, 31), LocalDate.of(2025, 12, 31)));
  }

  @Test
  void asOfBeforeApplications() {
    assertError(ErrorCode.BAD_USAGE, 2, "Invalid --as-of 2020-01-31: the date holds no application (all 6 are "
        + "dated after it); choose a date on or after the first application",
        Errors.asOfBeforeApplications(LocalDate.of(2020, 1, 31), 6));
    assertError(ErrorCode.BAD_USAGE, 2, "Invalid --as-of 2020-01-31: the date holds no application (the "
        + "applications table is empty); choose a date on or after the first application",
        Errors.asOfBeforeApplications(LocalDate.of(2020, 1, 31), 0));
  }

  @Test
  void privacyKeyErrorsNameWhereTheKeyComesFromAndTheFix() {
    assertError(ErrorCode.BAD_CONFIG, 2, "Invalid configuration: privacy.pseudonymize is true but no key is given "
        + "(set privacy.key_file to a file that holds the key, or the environment variable CREDIT_RISK_PRIVACY_KEY)",
        Errors.privacyKeyMissing("privacy.key_file", "CREDIT_RISK_PRIVACY_KEY"));
    assertError(ErrorCode.BAD_CONFIG, 2, "Invalid privacy.key_file /k/p.key: it is readable by group or others "
        + "(mode 644); restrict it with: chmod 600 /k/p.key",
        Errors.privacyKeyFileReadable("privacy.key_file", "/k/p.key", "mode 644"));
    assertError(ErrorCode.BAD_CONFIG, 2, "Invalid pseudonymization key in privacy.key_file /k/p.key: it is empty",
        Errors.privacyKeyEmpty("privacy.key_file /k/p.key"));
    assertError(ErrorCode.BAD_CONFIG, 2, "Cannot read privacy.key_file /k/p.key: NoSuchFileException",
        Errors.privacyKeyUnreadable("privacy.key_file", "/k/p.key", "NoSuchFileException"));
  }

  @Test
  void badInputPutsTheReportOnItsOwnLines() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot build from the inputs: they break the input contract; nothing was "
        + "written.\n  loans: 2 rows with a null loan_id",
        Errors.badInput("  loans: 2 rows with a null loan_id"));
  }

  @Test
  void cannotReadInputNamesTheKeysToCheck() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot read input loans at data/loans: path does not exist "
        + "(check inputs.loans.path and inputs.loans.format)",
        Errors.cannotReadInput("loans", "data/loans", "path does not exist"));
  }

  @Test
  void missingStageOutputSaysWhichStageToRunFirst() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot train as of 2025-12-31: table model_dataset not found at "
        + "wh/model_dataset (run build-dataset --as-of 2025-12-31 first)",
        Errors.missingStageOutput("train as of 2025-12-31", "table model_dataset", "wh/model_dataset",
            "run build-dataset --as-of 2025-12-31 first"));
  }

  @Test
  void unusableStageInput() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot train as of 2025-12-31: table model_dataset has no bad rows in the "
        + "train split",
        Errors.unusableStageInput("train as of 2025-12-31", "model_dataset", "has no bad rows in the train split"));
  }

  @Test
  void cannotReadTable() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot read input table at scores.csv: no such file; nothing was written.",
        Errors.cannotReadTable("scores.csv", "no such file"));
  }

  @Test
  void badTableColumn() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot use input table scores.csv: column 'label' has values other than 0 "
        + "and 1; nothing was written.",
        Errors.badTableColumn("scores.csv", "label", "has values other than 0 and 1"));
  }

  @Test
  void badTableColumnsListsEveryProblemAndTheColumnsFound() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot use input table scores.csv: no column 'score'; no column 'label' "
        + "(columns: id, pd); nothing was written.",
        Errors.badTableColumns("scores.csv", List.of("no column 'score'", "no column 'label'"), List.of("id", "pd")));
  }

  @Test
  void badTableColumnsWithoutColumns() {
    assertError(ErrorCode.BAD_INPUT, 3, "Cannot use input table scores.csv: no column 'score'; nothing was written.",
        Errors.badTableColumns("scores.csv", List.of("no column 'score'"), null));
  }

  @Test
  void cannotKeepsTheCauseMessage() {
    assertError(ErrorCode.INTERNAL, 1, "Cannot write wh/runs/2025-12-31-8ec39fd0/pipeline.json: disk full",
        Errors.cannot("write wh/runs/2025-12-31-8ec39fd0/pipeline.json", new IOException("disk full")));
  }

  @Test
  void interrupted() {
    assertError(ErrorCode.INTERNAL, 1, "Interrupted while scoring",
        Errors.interrupted("scoring", new InterruptedException()));
  }

  @Test
  void theCauseIsKeptForTheStackTrace() {
    IOException cause = new IOException("disk full");
    assertSame(cause, Errors.cannot("write x", cause).getCause());
  }

  @Test
  void failedAfterWriteSaysWhatWasRolledBack() {
    IOException cause = new IOException("disk full");
    CreditRiskException e = Errors.failedAfterWrite("calibrate", "/wh/cutoff_curve", cause);
    assertError(ErrorCode.INTERNAL, 1, "calibrate failed after writing /wh/cutoff_curve (rolled back): disk full", e);
    assertSame(cause, e.getCause());
  }

  @Test
  void validationGateFailedExitsFourAndListsTheRedLights() {
    assertError(ErrorCode.GATE_FAILED, 4, "Validation gate failed: the verdict is red (psi, gbt psi_month 2025-01); "
        + "/run/metrics.json was written",
        Errors.validationGateFailed(List.of("psi", "gbt psi_month 2025-01"), "/run/metrics.json"));
  }

  @Test
  void monitoringGateFailedExitsFourAndListsTheRedIndicators() {
    assertError(ErrorCode.GATE_FAILED, 4, "Monitoring gate failed: the verdict is red (scorecard all auc 2026-03-31); "
        + "/wh/monitoring/2026-03-31 was written",
        Errors.monitoringGateFailed(List.of("scorecard all auc 2026-03-31"), "/wh/monitoring/2026-03-31"));
  }

  @Test
  void invalidConfigKeepsTheParsersReason() {
    IllegalStateException cause = new IllegalStateException("unresolved substitution ${x}");
    CreditRiskException e = Errors.invalidConfig("conf/a.conf: 3: Could not resolve substitution to a value: ${x}",
        cause);
    assertError(ErrorCode.BAD_CONFIG, 2,
        "Invalid configuration: conf/a.conf: 3: Could not resolve substitution to a value: ${x}", e);
    assertSame(cause, e.getCause());
  }

  @Test
  void badGeneratorOption() {
    assertError(ErrorCode.BAD_USAGE, 2, "Invalid --history-months 3: must be between 6 and 120",
        Errors.badGeneratorOption("--history-months", 3, "must be between 6 and 120"));
  }

  @Test
  void unwritableOutput() {
    assertError(ErrorCode.BAD_USAGE, 2, "Invalid --out /data/x.csv: it is a file, not a folder; nothing was written.",
        Errors.unwritableOutput("--out", "/data/x.csv", "it is a file, not a folder"));
  }

  @Test
  void concurrentWriteKeepsOnlyTheFirstLineOfDeltasMessage() {
    assertError(ErrorCode.INTERNAL, 1, "Cannot write as_of_date = '2025-06-30' to wh/model_dataset: another run "
        + "committed to the table at the same time, 5 times in a row (IllegalStateException: Files were added); "
        + "nothing of this write was kept, run it again",
        Errors.concurrentWrite("wh/model_dataset", "as_of_date = '2025-06-30'", 5,
            new IllegalStateException("Files were added\nConflicting commit: {...}\nRefer to ...")));
  }
}
