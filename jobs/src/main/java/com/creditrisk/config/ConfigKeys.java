package com.creditrisk.config;

import static com.creditrisk.config.ConfigType.choice;
import static com.creditrisk.config.ConfigType.integer;
import static com.creditrisk.config.ConfigType.longInteger;
import static com.creditrisk.config.ConfigType.nullableInteger;
import static com.creditrisk.config.ConfigType.number;
import static com.creditrisk.config.ConfigType.optionalDate;
import static com.creditrisk.config.ConfigType.optionalText;
import static com.creditrisk.config.ConfigType.text;
import static com.creditrisk.config.ConfigType.textList;

import com.creditrisk.contract.InputTable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry: every config key, declared once, in the order of conf/defaults.conf and of the
 * configuration page. The known keys, the parsing, the fingerprint and docs/configuration.md all
 * come from here; the train, validation and calibrate keys are declared in
 * {@link TrainKeys}, {@link ValidationKeys}, {@link CalibrateKeys} and {@link MonitoringKeys}.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  private static final KeyList HEAD = new KeyList();
  private static final KeyList TAIL = new KeyList();

  public static final ConfigKey<Integer> SCORE_MIN = HEAD.add(ConfigKey.of("score.min",
      integer(Integer.MIN_VALUE, Integer.MAX_VALUE)).byDefault(350)
      .doc("Lowest valid consumer score; a snapshot outside [score.min, score.max] is an input violation."));
  public static final ConfigKey<Integer> SCORE_MAX = HEAD.add(ConfigKey.of("score.max",
      integer(Integer.MIN_VALUE, Integer.MAX_VALUE)).byDefault(950)
      .doc("Highest valid consumer score; must be greater than score.min."));
  public static final ConfigKey<Integer> MAX_SCORE_AGE_DAYS = HEAD.add(ConfigKey.of("features.max_score_age_days",
      integer(0, 100_000)).byDefault(45)
      .doc("A snapshot older than this many calendar days at application time is not used (stale)."));
  public static final ConfigKey<Double> MAX_MISSING_SHARE = HEAD.add(ConfigKey.of("features.max_missing_share",
      number(0.0, 1.0)).byDefault(0.5).executionOnly()
      .doc("build-dataset warns when more than this share of the applications has no usable score (by "
          + "score_missing_reason). It only warns, so it is not part of the RUN_ID."));

  public static final ConfigKey<Integer> WINDOW_MONTHS = HEAD.add(ConfigKey.of("label.window_months",
      integer(1, 1200)).byDefault(6)
      .doc("Outcome window: [disbursed_date, disbursed_date + window_months], both ends included."));
  public static final ConfigKey<Double> PAID_TOLERANCE = HEAD.add(ConfigKey.of("label.paid_tolerance",
      number(0.0, Double.MAX_VALUE)).byDefault(0.01)
      .doc("An installment counts as paid when amount_paid >= amount_due - paid_tolerance."));
  public static final ConfigKey<Integer> BAD_DPD = HEAD.add(ConfigKey.of("label.bad_dpd",
      integer(1, 100_000)).byDefault(30)
      .doc("Bad when the maximum days past due in the window reaches bad_dpd days."));
  public static final ConfigKey<Integer> GOOD_MAX_DPD = HEAD.add(ConfigKey.of("label.good_max_dpd",
      nullableInteger(Integer.MIN_VALUE, Integer.MAX_VALUE)).byDefault(null)
      .doc("Good when mature and the maximum DPD is at most this, at most bad_dpd - 1; null means "
          + "bad_dpd - 1 (no indeterminate band)."));
  public static final ConfigKey<List<String>> BAD_EVENTS = HEAD.add(ConfigKey.of("label.bad_events", textList())
      .byDefault(List.of("charge_off", "write_off", "restructure"))
      .fingerprintAs(l -> String.join(",", l))
      .doc("Loan events that make a loan bad on their event date."));
  public static final ConfigKey<CreditRiskConfig.LabelUse> LABEL_USE = HEAD.add(ConfigKey.of("label.use",
      choice(CreditRiskConfig.LabelUse.class, true, "one of mature, all")).byDefault(CreditRiskConfig.LabelUse.MATURE)
      .fingerprintAs(Enum::name)
      .doc("Rows used for training and validation: mature, or all (early bads of open cohorts too)."));

  public static final ConfigKey<Integer> OOT_MONTHS = HEAD.add(ConfigKey.of("split.oot_months", integer(0, 1200))
      .byDefault(3)
      .doc("The latest application months holding mature labelled rows form the out-of-time sample."));
  public static final ConfigKey<Double> TEST_FRACTION = HEAD.add(ConfigKey.of("split.test_fraction", number(0.0, 0.99))
      .byDefault(0.3)
      .doc("Share of customers (by a seeded hash of customer_id) in the test split."));
  public static final ConfigKey<Long> SPLIT_SEED = HEAD.add(ConfigKey.of("split.seed", longInteger())
      .byDefault(20240601L)
      .doc("Seed of the customer hash that assigns the train and test splits."));

  public static final ConfigKey<Integer> RETRAIN_EVERY_DAYS = TAIL.add(ConfigKey.of("run.retrain_every_days",
      integer(0, 100_000)).byDefault(28).executionOnly()
      .doc("`run` trains again when the last train run of the same config is this many days older than the "
          + "as-of date (or there is none, or --retrain is given); otherwise it scores with that run's models. "
          + "0 trains on every run. Decides when to train, not what a run computes."));

  /**
   * What both local reads' size keys (this one and validation.local_max_bytes) end with: the rules
   * beside the bound (LocalCsv.eligible), said once.
   */
  static final String LOCAL_READ_LIMITS = " Whatever the bound, files over a tenth of the JVM's maximum heap (a "
      + "smaller CREDIT_RISK_HEAP than bin/credit-risk's 4g, a notebook's JVM) go to Spark, which spills, as does "
      + "a spark.sql.* setting other than spark.sql.shuffle.partitions and spark.sql.adaptive.enabled. 0 always "
      + "starts Spark.";

  public static final ConfigKey<Integer> BINNING_LOCAL_MAX_BYTES = TAIL.add(ConfigKey.of("binning.local_max_bytes",
      integer(0, Integer.MAX_VALUE)).byDefault(402_653_184).executionOnly()
      .doc("bin on a local master reads a local CSV of at most this many bytes in the JVM, without starting "
          + "Spark, when it covers the options (--format csv or none) and the file's spelling (docs/binning.md, "
          + "a local CSV without Spark); the output files are the Spark path's, byte for byte. It keeps 8 bytes "
          + "of heap per numeric cell of a column it reads, at most 4 per byte of the file (a cell and its comma "
          + "take at least 2), in arrays that may hold up to as much again while they grow, and at most 2^20 "
          + "distinct text values: the default, 384 MiB, is at most 1.5 GB of cells (a file of 15-17 digit "
          + "doubles keeps about half a byte per byte)." + LOCAL_READ_LIMITS));

  public static final ConfigKey<Optional<java.time.LocalDate>> EXTRACT_DATE = TAIL.add(ConfigKey.of(
      "inputs.extract_date", optionalDate()).byDefault(Optional.empty())
      .doc("The data's extract date (yyyy-MM-dd); null means the latest date found in the inputs."));

  private static final Map<InputTable, InputKeys> INPUTS = inputKeys();

  /** The three keys of one input table. */
  public record InputKeys(ConfigKey<Optional<String>> path, ConfigKey<InputFormat> format,
      ConfigKey<Map<String, String>> columns) {}

  private static Map<InputTable, InputKeys> inputKeys() {
    Map<InputTable, InputKeys> out = new EnumMap<>(InputTable.class);
    for (InputTable t : InputTable.values()) {
      String base = "inputs." + t.tableName();
      out.put(t, new InputKeys(
          TAIL.add(ConfigKey.of(base + ".path", optionalText("path or catalog table name")).byDefault(Optional.empty())
              .doc(t.isOptional()
                  ? "Optional: a folder or file, or a catalog table name (format delta); null means the lender "
                      + "has no " + t.tableName() + " table."
                  : "A folder or file, or a catalog table name (format delta). No default: build-dataset and "
                      + "run stop with exit 2 when it is not set.")),
          TAIL.add(ConfigKey.of(base + ".format", choice(InputFormat.class, true, "one of delta, parquet, csv"))
              .byDefault(InputFormat.DELTA).fingerprintAs(Enum::name)
              .doc("Storage format of " + t.tableName() + ": delta, parquet or csv.")),
          TAIL.add(ConfigKey.of(base + ".columns", ConfigType.stringMap(
                  "object: contract column = the lender's column name", c -> t.column(c).isPresent(), "a column name"))
              .byDefault(Map.of())
              .doc("columns.<contract column> = <the lender's column name>, for each column of "
                  + t.tableName() + " that is named differently."))));
    }
    return Collections.unmodifiableMap(out);
  }

  public static final ConfigKey<Map<String, FeatureSource>> FEATURE_SOURCES = TAIL.add(ConfigKey.of("feature_sources",
      new FeatureSourcesType()).byDefault(Map.of()).hashedUnlessDefault()
      .doc("The lender's other data: feature_sources.<name> { path, format, columns, entity (customer | application), "
          + "kind (snapshot | events | application), attributes, max_age_days (snapshot), windows_days and "
          + "aggregates (events: count, sum:<column>, min:, max:, mean:, distinct:), cost_per_application, types "
          + "(<column> = string | int | double | date | timestamp; a column a sum, min, max or mean reads is a double) }. "
          + "A customer source's time column is event_time (map it with columns.event_time). Each source's "
          + "features are named <name>__<feature>, with <name>__missing_reason."));

  public static final ConfigKey<String> WAREHOUSE_PATH = TAIL.add(ConfigKey.of("warehouse.path", text())
      .byDefault("warehouse")
      .doc("Output Delta tables go to <path>/<table>, run folders to <path>/runs/<RUN_ID>."));

  public static final ConfigKey<Optional<String>> OUTPUT_PERMISSIONS = TAIL.add(ConfigKey.of("output.permissions",
      optionalText("umask, octal", "[0-7]{3,4}",
          "a umask of 3 or 4 octal digits, e.g. 027")).byDefault(Optional.empty()).executionOnly()
      .doc("The umask that every file and folder the jobs write follows (tables, run folders, reports), as "
          + "octal digits: \"077\" leaves no access to group and others. null means the process umask. Who may "
          + "read the outputs, not what they hold: not part of the RUN_ID."));

  public static final ConfigKey<Boolean> PSEUDONYMIZE = TAIL.add(ConfigKey.of("privacy.pseudonymize",
      ConfigType.flag()).byDefault(false).hashedUnlessDefault()
      .doc("true replaces customer_id, application_id and loan_id by a keyed HMAC-SHA256 token (64 hex "
          + "characters) in every table build-dataset writes; null stays null. The key comes from "
          + "privacy.key_file or the environment variable " + CreditRiskConfig.PRIVACY_KEY_ENV + ". Part of the RUN_ID when "
          + "true; the key is not (docs/data-protection.md)."));
  public static final ConfigKey<Optional<String>> PRIVACY_KEY_FILE = TAIL.add(ConfigKey.of("privacy.key_file",
      optionalText("path")).byDefault(Optional.empty()).executionOnly()
      .doc("A local file that holds the pseudonymization key (its bytes, trailing line breaks removed); it must "
          + "not be readable by group or others (chmod 600). null means the key comes from the environment "
          + "variable " + CreditRiskConfig.PRIVACY_KEY_ENV + ". Where the key is kept is not part of the RUN_ID."));
  public static final ConfigKey<Integer> MIN_CELL_COUNT = TAIL.add(ConfigKey.of("privacy.min_cell_count",
      integer(0, Integer.MAX_VALUE)).byDefault(10).executionOnly()
      .doc("An aggregate cell of an HTML report (a score bin, grade, cutoff row, month or vintage) with fewer "
          + "rows than this is merged with a neighbouring bin or shown as suppressed, and metrics.json flags it "
          + "(small_cells); 0 or 1 shows every cell. Rendering only: no computed figure changes, so it is not "
          + "part of the RUN_ID."));

  public static final ConfigKey<Optional<String>> SPARK_MASTER = TAIL.add(ConfigKey.of("spark.master",
      optionalText("Spark master URL")).byDefault(Optional.of("local[*]")).executionOnly()
      .doc("Used only when spark-submit gave no master."));
  public static final ConfigKey<String> SPARK_APP_NAME = TAIL.add(ConfigKey.of("spark.app_name", text())
      .byDefault("credit-risk").executionOnly()
      .doc("The Spark application name."));
  public static final ConfigKey<String> SESSION_TIME_ZONE = TAIL.add(ConfigKey.of("spark.session_time_zone",
      ConfigType.zoneId()).byDefault("UTC")
      .doc("Timestamps in CSV inputs and the as-of day boundary are read in this time zone, so it is part "
          + "of the RUN_ID."));
  public static final ConfigKey<Map<String, String>> SPARK_CONF = TAIL.add(ConfigKey.of("spark.conf",
      ConfigType.stringMap("object: Spark setting = value", k -> true, null)).byDefault(Map.of()).executionOnly()
      .doc("Extra Spark settings, quoted keys: conf { \"spark.sql.shuffle.partitions\" = 64 }. On the command "
          + "line: --set spark.conf.spark.sql.shuffle.partitions=64."));

  private static final List<ConfigKey<?>> ALL = java.util.stream.Stream.of(HEAD.keys(), TrainKeys.LIST.keys(),
      ValidationKeys.LIST.keys(), CalibrateKeys.LIST.keys(), MonitoringKeys.LIST.keys(), TAIL.keys())
      .flatMap(List::stream).toList();

  /** Every key, in declaration order. */
  public static List<ConfigKey<?>> all() {
    return ALL;
  }

  /** The keys of one input table. */
  public static InputKeys input(InputTable t) {
    return INPUTS.get(t);
  }

  /** The key of a name, if it is declared. */
  public static Optional<ConfigKey<?>> byName(String key) {
    return ALL.stream().filter(k -> k.key().equals(key)).findFirst();
  }
}
