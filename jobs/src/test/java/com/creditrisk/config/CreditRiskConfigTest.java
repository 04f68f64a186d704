package com.creditrisk.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.ErrorCode;
import com.creditrisk.contract.InputTable;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading, precedence, validation and fingerprint of the configuration; no Spark needed. */
class CreditRiskConfigTest {

  private static CreditRiskConfig withSet(String... overrides) {
    return CreditRiskConfig.load(List.of(), List.of(overrides));
  }

  private static File file(Path dir, String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f.toFile();
  }

  private static CreditRiskException rejected(Runnable load) {
    CreditRiskException e = assertThrows(CreditRiskException.class, load::run);
    assertEquals(ErrorCode.BAD_CONFIG, e.code(), e.getMessage());
    assertEquals(2, e.exitCode());
    return e;
  }

  private static void assertContains(String haystack, String... needles) {
    for (String n : needles) {
      assertTrue(haystack.contains(n), "expected '" + n + "' in: " + haystack);
    }
  }

  @Test
  void defaultsLoadAndMatchTheDefaultsFile() {
    CreditRiskConfig c = CreditRiskConfig.defaults();
    assertEquals(350, c.scoreMin());
    assertEquals(950, c.scoreMax());
    assertEquals(45, c.maxScoreAgeDays());
    assertEquals(6, c.windowMonths());
    assertEquals(0.01, c.paidTolerance(), 1e-12);
    assertEquals(30, c.badDpd());
    assertEquals(29, c.goodMaxDpd(), "good_max_dpd null means bad_dpd - 1");
    assertEquals(List.of("charge_off", "write_off", "restructure"), c.badEvents());
    assertEquals(CreditRiskConfig.LabelUse.MATURE, c.labelUse());
    assertEquals(3, c.ootMonths());
    assertEquals(0.3, c.testFraction(), 1e-12);
    assertEquals(20240601L, c.splitSeed());
    assertEquals(Optional.empty(), c.extractDate());
    assertEquals("warehouse", c.warehousePath());
    assertEquals(Optional.of("local[*]"), c.sparkMaster());
    assertEquals("credit-risk", c.appName());
    assertEquals("UTC", c.sessionTimeZone());
    assertTrue(c.sparkConf().isEmpty());
    for (InputTable t : InputTable.values()) {
      InputSpec s = c.input(t);
      assertEquals(Optional.empty(), s.path(), "the bundled defaults name no input");
      assertEquals(InputFormat.DELTA, s.format());
      assertTrue(s.columnMapping().isEmpty());
    }
  }

  @Test
  void theBundledDefaultsAreTheConfDefaultsFile() throws IOException {
    // conf/defaults.conf is the one copy of the defaults; loading it as a --conf file changes nothing.
    File confDefaults = new File("../conf/defaults.conf");
    assertTrue(confDefaults.isFile(), "conf/defaults.conf from " + new File(".").getAbsolutePath());
    CreditRiskConfig viaFile = CreditRiskConfig.load(List.of(confDefaults), List.of());
    assertEquals(CreditRiskConfig.defaults().flatten(), viaFile.flatten());
    assertEquals(CreditRiskConfig.defaults().fingerprint(), viaFile.fingerprint());
  }

  @Test
  void goodMaxDpdFollowsBadDpdUnlessSet() {
    assertEquals(59, withSet("label.bad_dpd=60").goodMaxDpd());
    assertEquals(10, withSet("label.bad_dpd=60", "label.good_max_dpd=10").goodMaxDpd());
  }

  @Test
  void precedenceIsSetThenLaterFileThenEarlierFileThenDefaults(@TempDir Path dir) throws IOException {
    File early = file(dir, "early.conf", "label { bad_dpd = 60, window_months = 9 }\nsplit.oot_months = 4\n");
    File late = file(dir, "late.conf", "label.bad_dpd = 90\n");

    CreditRiskConfig onlyEarly = CreditRiskConfig.load(List.of(early), List.of());
    assertEquals(60, onlyEarly.badDpd());
    assertEquals(9, onlyEarly.windowMonths());

    CreditRiskConfig both = CreditRiskConfig.load(List.of(early, late), List.of());
    assertEquals(90, both.badDpd(), "a later file beats an earlier one");
    assertEquals(9, both.windowMonths(), "keys the later file does not set keep the earlier file's value");
    assertEquals(4, both.ootMonths());
    assertEquals(45, both.maxScoreAgeDays(), "keys no file sets keep the default");

    CreditRiskConfig reversed = CreditRiskConfig.load(List.of(late, early), List.of());
    assertEquals(60, reversed.badDpd());

    CreditRiskConfig withSet = CreditRiskConfig.load(List.of(early, late), List.of("label.bad_dpd=15"));
    assertEquals(15, withSet.badDpd(), "--set beats every file");
    assertEquals(9, withSet.windowMonths());

    CreditRiskConfig laterSetWins = withSet("label.bad_dpd=15", "label.bad_dpd=16");
    assertEquals(16, laterSetWins.badDpd());
  }

  @Test
  void aMissingConfFileIsRejected(@TempDir Path dir) {
    CreditRiskException e = rejected(() -> CreditRiskConfig.load(List.of(dir.resolve("nope.conf").toFile()), List.of()));
    assertContains(e.getMessage(), "nope.conf");
  }

  @Test
  void anUnknownKeyGivenWithSetIsRejectedNamingIt() {
    CreditRiskException e = rejected(() -> withSet("label.bad_dpdd=3"));
    assertContains(e.getMessage(), "unknown key", "label.bad_dpdd");
  }

  @Test
  void anUnknownKeyInAFileIsRejectedNamingIt(@TempDir Path dir) throws IOException {
    File f = file(dir, "typo.conf", "split { test_fractoin = 0.2 }\n");
    CreditRiskException e = rejected(() -> CreditRiskConfig.load(List.of(f), List.of()));
    assertContains(e.getMessage(), "unknown key", "split.test_fractoin");
  }

  @Test
  void anUnknownKeySetToNullIsRejectedToo(@TempDir Path dir) throws IOException {
    CreditRiskException e = rejected(() -> withSet("label.bad_dpdd=null"));
    assertContains(e.getMessage(), "unknown key", "label.bad_dpdd");
    File f = file(dir, "nulltypo.conf", "inputs { extract_dat = null }\n");
    e = rejected(() -> CreditRiskConfig.load(List.of(f), List.of()));
    assertContains(e.getMessage(), "unknown key", "inputs.extract_dat");
  }

  @Test
  void anUnknownInputTableIsRejected() {
    CreditRiskException e = rejected(() -> withSet("inputs.customers.path=/tmp/x"));
    assertContains(e.getMessage(), "inputs.customers.path");
  }

  @ParameterizedTest(name = "{0}={1} rejected")
  @CsvSource(delimiter = '|', value = {
      "label.bad_dpd|abc|an integer",
      "label.bad_dpd|0|an integer in [1,",
      "label.bad_dpd|30.5|an integer",
      "label.window_months|0|an integer in [1,",
      "features.max_score_age_days|-1|an integer in [0,",
      "split.test_fraction|1.5|a number in [0.0, 0.99]",
      "split.test_fraction|-0.1|a number in [0.0, 0.99]",
      "split.test_fraction|lots|a number",
      "label.paid_tolerance|-0.01|a number in [0.0,",
      "label.good_max_dpd|30|an integer in [0, 29]",
      "inputs.loans.format|xml|one of delta, parquet, csv",
      "label.use|sometimes|one of mature, all",
      "spark.session_time_zone|Mars/Base|a time zone id",
      "inputs.extract_date|2025-13-01|a date yyyy-MM-dd",
      "warehouse.path|' '|a non-empty string",
  })
  void aBadValueIsRejectedNamingKeyAndRule(String key, String value, String rule) {
    CreditRiskException e = rejected(() -> withSet(key + "=" + value));
    assertContains(e.getMessage(), key, rule);
  }

  @Test
  void scoreMinMustBeBelowScoreMax() {
    CreditRiskException e = rejected(() -> withSet("score.min=950"));
    assertContains(e.getMessage(), "score.max", "score.min");
    e = rejected(() -> withSet("score.min=600", "score.max=500"));
    assertContains(e.getMessage(), "score.max", "greater than score.min");
    CreditRiskConfig ok = withSet("score.min=300", "score.max=850");
    assertEquals(300, ok.scoreMin());
    assertEquals(850, ok.scoreMax());
  }

  @Test
  void aBadValueInAFileIsRejectedNamingKeyAndRule(@TempDir Path dir) throws IOException {
    File f = file(dir, "bad.conf", "label.good_max_dpd = 45\n");
    CreditRiskException e = rejected(() -> CreditRiskConfig.load(List.of(f), List.of()));
    assertContains(e.getMessage(), "label.good_max_dpd", "an integer in [0, 29]");
  }

  @Test
  void anUnparsableFileIsRejectedNamingTheFile(@TempDir Path dir) throws IOException {
    File f = file(dir, "broken.conf", "label { bad_dpd = \n");
    CreditRiskException e = rejected(() -> CreditRiskConfig.load(List.of(f), List.of()));
    assertContains(e.getMessage(), "broken.conf");
  }

  @Test
  void aSetWithoutEqualsIsBadUsage() {
    CreditRiskException e = assertThrows(CreditRiskException.class, () -> withSet("label.bad_dpd"));
    assertEquals(2, e.exitCode());
    assertContains(e.getMessage(), "label.bad_dpd", "key=value");
  }

  @Test
  void sparkConfSettingsKeepTheirDottedKeys(@TempDir Path dir) throws IOException {
    CreditRiskConfig c = withSet("spark.conf.spark.sql.shuffle.partitions=7");
    assertEquals("7", c.sparkConf().get("spark.sql.shuffle.partitions"), c.sparkConf().toString());
    assertEquals(1, c.sparkConf().size());

    File f = file(dir, "spark.conf", "spark.conf { \"spark.sql.shuffle.partitions\" = 64, "
        + "\"spark.executor.memory\" = 2g }\n");
    CreditRiskConfig fromFile = CreditRiskConfig.load(List.of(f), List.of("spark.conf.spark.sql.shuffle.partitions=7"));
    assertEquals("7", fromFile.sparkConf().get("spark.sql.shuffle.partitions"));
    assertEquals("2g", fromFile.sparkConf().get("spark.executor.memory"));
  }

  @Test
  void columnMappingIsAcceptedForContractColumnsOnly() {
    CreditRiskConfig c = withSet("inputs.score_snapshots.columns.score=bureau_score",
        "inputs.loans.columns.loan_id=contract_no");
    assertEquals("bureau_score", c.input(InputTable.SCORE_SNAPSHOTS).sourceColumn("score"));
    assertEquals("customer_id", c.input(InputTable.SCORE_SNAPSHOTS).sourceColumn("customer_id"));
    assertEquals("contract_no", c.input(InputTable.LOANS).sourceColumn("loan_id"));

    CreditRiskException e = rejected(() -> withSet("inputs.loans.columns.nonexistent=x"));
    assertContains(e.getMessage(), "inputs.loans.columns.nonexistent");
    // a column of another table is not a column of this one
    e = rejected(() -> withSet("inputs.loans.columns.score=x"));
    assertContains(e.getMessage(), "inputs.loans.columns.score");
  }

  @Test
  void inputsAcceptFormatsAndAnAbsentOptionalTable() {
    CreditRiskConfig c = withSet("inputs.loans.format=PARQUET", "inputs.repayments.format=csv",
        "inputs.loan_events.path=null", "inputs.extract_date=2026-06-30");
    assertEquals(InputFormat.PARQUET, c.input(InputTable.LOANS).format());
    assertEquals(InputFormat.CSV, c.input(InputTable.REPAYMENTS).format());
    assertEquals(Optional.empty(), c.input(InputTable.LOAN_EVENTS).path());
    assertEquals(Optional.of(LocalDate.of(2026, 6, 30)), c.extractDate());
  }

  @ParameterizedTest(name = "{0} unset")
  @CsvSource({"score_snapshots", "applications", "loans", "repayments"})
  void aRequiredInputWithoutAPathStopsACommandThatReadsInputsNamingTheKey(String table) {
    List<String> sets = new java.util.ArrayList<>();
    for (InputTable t : InputTable.values()) {
      if (!t.isOptional()) {
        sets.add("inputs." + t.tableName() + ".path=" + (t.tableName().equals(table) ? "null" : "/data/" + t.tableName()));
      }
    }
    CreditRiskConfig c = withSet(sets.toArray(new String[0]));
    assertEquals(Optional.empty(), c.input(InputTable.byName(table).orElseThrow()).path(),
        "loading succeeds: train, score, calibrate and validate read no inputs");
    CreditRiskException e = rejected(c::requireInputs);
    assertContains(e.getMessage(), "inputs." + table + ".path", "a path or table name is required");
  }

  @Test
  void loanEventsAreAbsentUnlessSet() {
    CreditRiskConfig c = withSet("inputs.score_snapshots.path=/d/s", "inputs.applications.path=/d/a",
        "inputs.loans.path=/d/l", "inputs.repayments.path=/d/r");
    assertEquals(Optional.empty(), c.requireInputs().input(InputTable.LOAN_EVENTS).path());
    assertEquals(Optional.of("/d/e"), c.with(List.of("inputs.loan_events.path=/d/e")).input(InputTable.LOAN_EVENTS).path());
  }

  @Test
  void badEventsAcceptAListOrACommaSeparatedString() {
    assertEquals(List.of("charge_off", "fraud"), withSet("label.bad_events=charge_off, fraud").badEvents());
    assertEquals(List.of("fraud"), withSet("label.bad_events=[fraud]").badEvents());
  }

  @Test
  void fingerprintIsEqualForEqualConfig(@TempDir Path dir) throws IOException {
    assertEquals(CreditRiskConfig.defaults().fingerprint(), CreditRiskConfig.defaults().fingerprint());
    File f = file(dir, "same.conf", "label.bad_dpd = 60\n");
    assertEquals(withSet("label.bad_dpd=60").fingerprint(),
        CreditRiskConfig.load(List.of(f), List.of()).fingerprint(),
        "the same effective config from a file or from --set");
    assertEquals(CreditRiskConfig.defaults().fingerprint(), withSet("label.good_max_dpd=29").fingerprint(),
        "an unset good_max_dpd is its explicit default bad_dpd - 1");
    assertEquals(8, CreditRiskConfig.defaults().fingerprint().length());
  }

  @Test
  void theMissingScoreShareOnlyWarnsSoItIsNotInTheFingerprint() {
    assertEquals(0.5, CreditRiskConfig.defaults().maxMissingShare());
    assertEquals(CreditRiskConfig.defaults().fingerprint(), withSet("features.max_missing_share=0.1").fingerprint());
  }

  @Test
  void fingerprintChangesWithTheSessionTimeZoneWhichDecidesHowTimestampsAreRead() {
    assertNotEquals(CreditRiskConfig.defaults().fingerprint(),
        withSet("spark.session_time_zone=Europe/Berlin").fingerprint());
  }

  @Test
  void fingerprintChangesWhenALabelRuleChanges() {
    String base = CreditRiskConfig.defaults().fingerprint();
    assertNotEquals(base, withSet("label.bad_dpd=60").fingerprint());
    assertNotEquals(base, withSet("label.window_months=12").fingerprint());
    assertNotEquals(base, withSet("label.good_max_dpd=20").fingerprint());
    assertNotEquals(base, withSet("score.min=300").fingerprint());
  }

  @Test
  void fingerprintIgnoresSparkExecutionSettings() {
    String base = CreditRiskConfig.defaults().fingerprint();
    assertEquals(base, withSet("spark.conf.spark.sql.shuffle.partitions=7").fingerprint());
    assertEquals(base, withSet("spark.master=local[2]").fingerprint());
    assertEquals(base, withSet("spark.app_name=nightly").fingerprint());
    assertFalse(withSet("spark.master=local[2]").flatten().isEmpty());
  }

  @Test
  void trainSettingsAreParsedWithTheirDefaults() {
    TrainConfig t = CreditRiskConfig.defaults().train();
    assertEquals(List.of("score_logistic", "score_isotonic", "scorecard", "gbt"), t.models());
    assertEquals(List.of("score_missing_reason", "product", "channel"), t.categoricalFeatures());
    assertFalse(t.numericFeatures().contains("product"));
    assertEquals(List.of(2, 3, 4), t.gbtMaxDepths());
    assertEquals(20.0 / Math.log(2), t.scaling().factor(), 1e-12);
    assertEquals(600 - 20.0 / Math.log(2) * Math.log(50), t.scaling().offset(), 1e-9);
    assertEquals(List.of(-9.0, -8.0), withSet("train.binning.special_values=-9,-8").train().specialValues());
    assertTrue(withSet("train.class_weight=balanced").train().balancedWeights());
  }

  @Test
  void rejectsTrainSettingsThatCannotWork() {
    assertContains(rejected(() -> withSet("train.models=[scorecard, xgb]")).getMessage(), "train.models", "xgb");
    assertContains(rejected(() -> withSet("train.models=[]")).getMessage(), "train.models");
    assertContains(rejected(() -> withSet("train.categorical_features=[colour]")).getMessage(),
        "train.categorical_features", "colour");
    assertContains(rejected(() -> withSet("train.class_weight=auto")).getMessage(), "none or balanced");
    assertContains(rejected(() -> withSet("train.gbt.max_depths=[2.5]")).getMessage(), "train.gbt.max_depths");
    assertContains(rejected(() -> withSet("grades.pd_upper_bounds=[0.1, 0.05]")).getMessage(), "ascending");
    assertContains(rejected(() -> withSet("train.binning.monotonicity=up")).getMessage(), "auto, ascending");
    assertContains(rejected(() -> withSet("train.gbt.depth=3")).getMessage(), "train.gbt.depth");
  }

  @Test
  void enumSettingsParseTheirConfigSpellingAndRejectOthersNamingTheChoices() {
    CreditRiskConfig c = withSet("calibrate.method=platt", "calibrate.policy=max_profit",
        "calibrate.reject_inference.method=parcelling", "train.binning.monotonicity=descending",
        "train.class_weight=balanced");
    assertEquals(CalibrateConfig.Method.PLATT, c.calibrate().method());
    assertEquals(CalibrateConfig.Policy.MAX_PROFIT, c.calibrate().policy());
    assertEquals(CalibrateConfig.RejectInferenceMethod.PARCELLING, c.calibrate().rejectInference());
    assertEquals(TrainConfig.Monotonicity.DESCENDING, c.train().monotonicity());
    assertEquals(TrainConfig.ClassWeight.BALANCED, c.train().classWeight());
    assertEquals("max_profit", c.calibrate().policy().configName());
    assertContains(rejected(() -> withSet("calibrate.method=Platt")).getMessage(),
        "calibrate.method", "'Platt'", "one of isotonic, platt");
    assertContains(rejected(() -> withSet("calibrate.policy=cheapest")).getMessage(),
        "calibrate.policy", "one of target_bad_rate, target_bad_rate_upper, max_profit");
    assertContains(rejected(() -> withSet("calibrate.reject_inference.method=augment")).getMessage(),
        "calibrate.reject_inference.method", "one of none, fuzzy, parcelling");
    assertEquals(CreditRiskConfig.LabelUse.ALL, withSet("label.use= ALL ").labelUse(), "label.use ignores case");
  }

  @Test
  void fingerprintChangesWithTrainSettingsSoEachModelSetHasItsOwnRun() {
    String base = CreditRiskConfig.defaults().fingerprint();
    assertNotEquals(base, withSet("train.gbt.max_depths=[3]").fingerprint());
    assertNotEquals(base, withSet("scorecard.pdo=40").fingerprint());
    assertEquals(base, withSet("train.models=[score_logistic, score_isotonic, scorecard, gbt]").fingerprint());
  }
}
