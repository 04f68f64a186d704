package com.creditrisk.config;

import static com.creditrisk.config.ConfigKeys.BAD_DPD;
import static com.creditrisk.config.ConfigKeys.GOOD_MAX_DPD;
import static com.creditrisk.config.ConfigKeys.SCORE_MAX;
import static com.creditrisk.config.ConfigKeys.SCORE_MIN;

import com.creditrisk.errors.Errors;
import com.creditrisk.contract.InputTable;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective configuration of a run, with one typed accessor per setting.
 *
 * <p>Precedence, highest first: {@code --set key=value}, then {@code --conf FILE} (a later file
 * beats an earlier one), then the profile named by the environment variable
 * {@code CREDIT_RISK_CONF} (bin/credit-risk sets it to {@code conf/local.conf}), then the bundled
 * {@code defaults.conf} (the same file as {@code conf/defaults.conf}). Every key is declared once in
 * the registry ({@link ConfigKeys}); all values are checked when the config is loaded, so a bad
 * value stops a job before Spark starts. Unknown keys are rejected. Input paths are the exception:
 * only the commands that read inputs need them, and they ask with {@link #requireInputs()}.
 */
public final class CreditRiskConfig {
  /** Environment variable naming a profile file applied before --conf files (set by bin/credit-risk). */
  public static final String PROFILE_ENV = "CREDIT_RISK_CONF";
  /**
   * The environment variable that may hold the pseudonymization key (privacy.pseudonymize) when
   * privacy.key_file is not set: the key never sits in a config file or on a command line.
   */
  public static final String PRIVACY_KEY_ENV = "CREDIT_RISK_PRIVACY_KEY";

  /** Which rows training and validation use. */
  public enum LabelUse implements ConfigEnum { MATURE, ALL }

  private final Config config;
  private final ConfigValues values;
  private final TrainConfig train;
  private final ValidationConfig validation;
  private final CalibrateConfig calibrate;
  private final MonitoringConfig monitoring;

  private CreditRiskConfig(Config config) {
    this.config = config;
    ConfigLoader.rejectUnknownKeys(config);
    this.values = ConfigValues.read(new ConfigReader(config), ConfigKeys.all());
    int scoreMin = values.get(SCORE_MIN);
    int scoreMax = values.get(SCORE_MAX);
    if (scoreMin >= scoreMax) {
      throw Errors.badConfigValue(SCORE_MAX.key(), scoreMax, "must be greater than score.min " + scoreMin);
    }
    int badDpd = values.get(BAD_DPD);
    Integer goodMaxDpd = values.get(GOOD_MAX_DPD);
    if (goodMaxDpd != null && (goodMaxDpd < 0 || goodMaxDpd > badDpd - 1)) {
      throw Errors.badConfigValue(GOOD_MAX_DPD.key(), (long) goodMaxDpd, "an integer in [0, " + (badDpd - 1) + "]");
    }
    // An unset good_max_dpd is its explicit default, in the accessor and in the fingerprint alike.
    values.resolve(GOOD_MAX_DPD, goodMaxDpd == null ? badDpd - 1 : goodMaxDpd);
    this.train = TrainConfig.from(values);
    this.validation = ValidationConfig.from(values);
    this.calibrate = CalibrateConfig.from(values);
    this.monitoring = MonitoringConfig.from(values);
  }

  /** Only the bundled defaults. */
  public static CreditRiskConfig defaults() {
    return load(List.of(), List.of());
  }

  /**
   * Loads the effective configuration.
   *
   * @param confFiles files given with --conf, in order (a later file wins)
   * @param overrides --set key=value pairs, in order (a later one wins)
   */
  public static CreditRiskConfig load(List<File> confFiles, List<String> overrides) {
    return resolved(ConfigLoader.merge(confFiles, overrides));
  }

  private static CreditRiskConfig resolved(Config merged) {
    try {
      return new CreditRiskConfig(merged.resolve());
    } catch (ConfigException e) {
      throw Errors.invalidConfig(e.getMessage(), e);
    }
  }

  /** Returns a copy with more --set overrides applied (used by demo to point at its data). */
  public CreditRiskConfig with(List<String> overrides) {
    return resolved(ConfigLoader.withOverrides(config, overrides));
  }

  /**
   * Stops a command that reads the inputs when a required one has no path: exit 2 naming the key,
   * before Spark reads anything. The bundled defaults name no input, so that a lender's run never
   * picks up a table it did not ask for.
   */
  public CreditRiskConfig requireInputs() {
    for (InputTable t : InputTable.values()) {
      ConfigKey<Optional<String>> path = ConfigKeys.input(t).path();
      if (!t.isOptional() && values.get(path).isEmpty()) {
        throw Errors.badConfigValue(path.key(), "null", "a path or table name is required");
      }
    }
    return this;
  }

  /** The effective configuration as JSON, for run.json. */
  public String toJson() {
    return config.root().render(ConfigRenderOptions.concise());
  }

  /** The effective configuration as nested maps and lists, for run.json. */
  public Map<String, Object> toMap() {
    return config.root().unwrapped();
  }

  /** Every effective leaf key and value, sorted by key. */
  public Map<String, String> flatten() {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
      out.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
    }
    return out;
  }

  /**
   * A short hash of everything that can change a result: every key the registry marks
   * {@link ConfigKey#changesResults()}, so not the Spark execution settings (master, app name,
   * spark.conf) nor run.retrain_every_days, which change how fast or when a run goes, not what it
   * computes. The session time zone is in: it decides how CSV timestamps are read and where the
   * as-of day ends. See {@link Fingerprint} for the hashed text.
   */
  public String fingerprint() {
    return Fingerprint.of(ConfigKeys.all(), values::raw);
  }

  /** The value of any registry key. */
  public <T> T get(ConfigKey<T> key) {
    return values.get(key);
  }

  public int scoreMin() { return values.get(SCORE_MIN); }
  public int scoreMax() { return values.get(SCORE_MAX); }
  public int maxScoreAgeDays() { return values.get(ConfigKeys.MAX_SCORE_AGE_DAYS); }
  public double maxMissingShare() { return values.get(ConfigKeys.MAX_MISSING_SHARE); }
  public int windowMonths() { return values.get(ConfigKeys.WINDOW_MONTHS); }
  public double paidTolerance() { return values.get(ConfigKeys.PAID_TOLERANCE); }
  public int badDpd() { return values.get(BAD_DPD); }
  public int goodMaxDpd() { return values.get(GOOD_MAX_DPD); }
  public List<String> badEvents() { return values.get(ConfigKeys.BAD_EVENTS); }
  public LabelUse labelUse() { return values.get(ConfigKeys.LABEL_USE); }
  public int ootMonths() { return values.get(ConfigKeys.OOT_MONTHS); }
  public double testFraction() { return values.get(ConfigKeys.TEST_FRACTION); }
  public long splitSeed() { return values.get(ConfigKeys.SPLIT_SEED); }
  public Optional<LocalDate> extractDate() { return values.get(ConfigKeys.EXTRACT_DATE); }
  public Map<String, FeatureSource> featureSources() { return values.get(ConfigKeys.FEATURE_SOURCES); }
  public String warehousePath() { return values.get(ConfigKeys.WAREHOUSE_PATH); }
  public TrainConfig train() { return train; }
  public ValidationConfig validation() { return validation; }
  /** validate --scores's in-JVM read of a local CSV: the most bytes it takes; 0 = always Spark. Execution only. */
  public int validationLocalMaxBytes() { return values.get(ValidationKeys.LOCAL_MAX_BYTES); }
  public CalibrateConfig calibrate() { return calibrate; }
  public MonitoringConfig monitoring() { return monitoring; }
  /** How old the last train run may be before {@code run} trains again; a scheduling setting, not in the fingerprint. */
  public int retrainEveryDays() { return values.get(ConfigKeys.RETRAIN_EVERY_DAYS); }
  public int binningLocalMaxBytes() { return values.get(ConfigKeys.BINNING_LOCAL_MAX_BYTES); }
  public Optional<String> outputPermissions() { return values.get(ConfigKeys.OUTPUT_PERMISSIONS); }
  public boolean pseudonymize() { return values.get(ConfigKeys.PSEUDONYMIZE); }
  public Optional<String> privacyKeyFile() { return values.get(ConfigKeys.PRIVACY_KEY_FILE); }
  /** Report cells with fewer rows than this are merged or suppressed; rendering only, not in the fingerprint. */
  public int minCellCount() { return values.get(ConfigKeys.MIN_CELL_COUNT); }
  public Optional<String> sparkMaster() { return values.get(ConfigKeys.SPARK_MASTER); }
  public String appName() { return values.get(ConfigKeys.SPARK_APP_NAME); }
  public String sessionTimeZone() { return values.get(ConfigKeys.SESSION_TIME_ZONE); }
  public Map<String, String> sparkConf() { return values.get(ConfigKeys.SPARK_CONF); }

  /** Where an input table lives and how its columns are named; the path is empty when it is not set. */
  public InputSpec input(InputTable t) {
    ConfigKeys.InputKeys k = ConfigKeys.input(t);
    return new InputSpec(values.get(k.path()), values.get(k.format()), values.get(k.columns()));
  }
}
