package com.creditrisk.config;

import com.creditrisk.errors.CreditRiskException;
import com.creditrisk.errors.Errors;
import com.creditrisk.contract.InputTable;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The effective configuration of a run, and the only class that reads configuration files.
 *
 * <p>Precedence, highest first: {@code --set key=value}, then {@code --conf FILE} (a later file
 * beats an earlier one), then the profile named by the environment variable
 * {@code CREDIT_RISK_CONF} (bin/credit-risk sets it to {@code conf/local.conf}), then the bundled
 * {@code defaults.conf} (the same file as {@code conf/defaults.conf}). Every key has one typed accessor here; all values are checked when
 * the config is loaded, so a bad value stops a job before Spark starts. Unknown keys are rejected.
 */
public final class CreditRiskConfig {
  /** Keys with a fixed name. Inputs and Spark settings are checked by pattern below. */
  private static final Set<String> KNOWN_KEYS = Set.of(
      "score.min", "score.max",
      "features.max_score_age_days",
      "label.window_months", "label.paid_tolerance", "label.bad_dpd", "label.good_max_dpd",
      "label.bad_events", "label.use",
      "split.oot_months", "split.test_fraction", "split.seed",
      "inputs.extract_date",
      "warehouse.path",
      "train.models", "train.features", "train.categorical_features", "train.class_weight", "train.seed",
      "train.logistic.reg_params", "train.binning.max_bins", "train.binning.min_bin_share",
      "train.binning.monotonicity", "train.binning.special_values", "train.selection.min_iv",
      "train.selection.max_correlation", "train.gbt.max_iter", "train.gbt.max_depths", "train.gbt.step_size",
      "train.gbt.subsampling_rate", "train.gbt.max_bins",
      "train.gbt.min_instances_per_node", "train.gbt.validation_tol",
      "scorecard.base_score", "scorecard.base_odds", "scorecard.pdo", "scorecard.reason_codes",
      "grades.pd_upper_bounds",
      "run.retrain_every_days",
      "validation.psi.amber", "validation.psi.red", "validation.jeffreys.amber_p", "validation.jeffreys.red_p",
      "validation.auc_drop.amber_se", "validation.auc_drop.red_se", "validation.hosmer_lemeshow.amber_p",
      "validation.rank_ordering.amber_breaks", "validation.rank_ordering.red_breaks",
      "validation.charts.curve_points", "validation.charts.distribution_bins", "validation.summary_max_groups",
      "calibrate.model", "calibrate.method", "calibrate.months", "calibrate.segments", "calibrate.policy",
      "calibrate.target_bad_rate", "calibrate.min_approval_rate", "calibrate.min_bads", "calibrate.confidence",
      "calibrate.reject_inference.method", "calibrate.reject_inference.parcelling.band_points",
      "calibrate.reject_inference.parcelling.factor",
      "spark.master", "spark.app_name", "spark.session_time_zone");

  /** Per-product unit economics: economics.PRODUCT.FIELD, PRODUCT any product name or "default". */
  private static final List<String> ECONOMICS_FIELDS = List.of("margin_rate", "lgd", "unit_cost");

  /** Environment variable naming a profile file applied before --conf files (set by bin/credit-risk). */
  public static final String PROFILE_ENV = "CREDIT_RISK_CONF";

  /** Which rows training and validation use. */
  public enum LabelUse { MATURE, ALL }

  private final Config config;
  private final int scoreMin;
  private final int scoreMax;
  private final int maxScoreAgeDays;
  private final int windowMonths;
  private final double paidTolerance;
  private final int badDpd;
  private final int goodMaxDpd;
  private final List<String> badEvents;
  private final LabelUse labelUse;
  private final int ootMonths;
  private final double testFraction;
  private final long splitSeed;
  private final Optional<LocalDate> extractDate;
  private final Map<InputTable, InputSpec> inputs;
  private final String warehousePath;
  private final TrainConfig train;
  private final ValidationConfig validation;
  private final CalibrateConfig calibrate;
  private final int retrainEveryDays;
  private final Optional<String> sparkMaster;
  private final String appName;
  private final String sessionTimeZone;
  private final Map<String, String> sparkConf;

  private CreditRiskConfig(Config config) {
    this.config = config;
    rejectUnknownKeys(config);
    this.scoreMin = intValue("score.min", Integer.MIN_VALUE, Integer.MAX_VALUE);
    this.scoreMax = intValue("score.max", Integer.MIN_VALUE, Integer.MAX_VALUE);
    if (scoreMin >= scoreMax) {
      throw Errors.badConfigValue("score.max", scoreMax, "must be greater than score.min " + scoreMin);
    }
    this.maxScoreAgeDays = intValue("features.max_score_age_days", 0, 100_000);
    this.windowMonths = intValue("label.window_months", 1, 1200);
    this.paidTolerance = doubleValue("label.paid_tolerance", 0.0, Double.MAX_VALUE);
    this.badDpd = intValue("label.bad_dpd", 1, 100_000);
    this.goodMaxDpd = config.getIsNull("label.good_max_dpd")
        ? badDpd - 1
        : intValue("label.good_max_dpd", 0, badDpd - 1);
    this.badEvents = stringList("label.bad_events");
    this.labelUse = enumValue("label.use", LabelUse.class);
    this.ootMonths = intValue("split.oot_months", 0, 1200);
    this.testFraction = doubleValue("split.test_fraction", 0.0, 0.99);
    this.splitSeed = longValue("split.seed");
    this.extractDate = optionalDate("inputs.extract_date");
    Map<InputTable, InputSpec> in = new LinkedHashMap<>();
    for (InputTable t : InputTable.values()) {
      in.put(t, inputSpec(t));
    }
    this.inputs = Map.copyOf(in);
    this.warehousePath = nonBlankString("warehouse.path");
    this.train = trainConfig();
    this.validation = validationConfig();
    this.calibrate = calibrateConfig();
    this.retrainEveryDays = intValue("run.retrain_every_days", 0, 100_000);
    this.sparkMaster = optionalString("spark.master");
    this.appName = nonBlankString("spark.app_name");
    this.sessionTimeZone = nonBlankString("spark.session_time_zone");
    try {
      java.time.ZoneId.of(sessionTimeZone);
    } catch (java.time.DateTimeException e) {
      throw Errors.badConfigValue("spark.session_time_zone", sessionTimeZone, "a time zone id such as UTC");
    }
    Map<String, String> sc = new TreeMap<>();
    if (config.hasPath("spark.conf")) {
      for (Map.Entry<String, ConfigValue> e : config.getConfig("spark.conf").entrySet()) {
        sc.put(unquote(e.getKey()), String.valueOf(e.getValue().unwrapped()));
      }
    }
    this.sparkConf = Map.copyOf(sc);
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
    Config merged = bundledDefaults();
    List<File> files = new ArrayList<>();
    // The launcher names its profile (conf/local.conf) here; explicit --conf files still win.
    String profile = System.getenv(PROFILE_ENV);
    if (profile != null && !profile.isBlank()) {
      files.add(new File(profile));
    }
    files.addAll(confFiles);
    for (File f : files) {
      if (!f.isFile()) {
        throw Errors.badConfigFile(f.getPath(), "no such file");
      }
      try {
        Config fileConf = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
        merged = fileConf.withFallback(merged);
      } catch (ConfigException e) {
        throw Errors.badConfigFile(f.getPath(), e.getMessage());
      }
    }
    for (String kv : overrides) {
      merged = applyOverride(merged, kv);
    }
    try {
      return new CreditRiskConfig(merged.resolve());
    } catch (ConfigException e) {
      throw new CreditRiskException(com.creditrisk.errors.ErrorCode.BAD_CONFIG,
          "Invalid configuration: " + e.getMessage(), e);
    }
  }

  private static Config bundledDefaults() {
    return ConfigFactory.parseResources(CreditRiskConfig.class, "defaults.conf",
        ConfigParseOptions.defaults().setAllowMissing(false));
  }

  private static Config applyOverride(Config base, String kv) {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw Errors.badUsage("Invalid --set '" + kv + "': expected key=value");
    }
    String key = kv.substring(0, eq).trim();
    String raw = kv.substring(eq + 1).trim();
    String path;
    if (key.startsWith("spark.conf.") && key.length() > "spark.conf.".length()) {
      // Spark's own keys are dotted; keep everything after spark.conf. as one key.
      path = ConfigUtil.joinPath("spark", "conf", key.substring("spark.conf.".length()));
    } else {
      try {
        ConfigUtil.splitPath(key);
      } catch (ConfigException e) {
        throw Errors.badUsage("Invalid --set key '" + key + "': " + e.getMessage());
      }
      path = key;
    }
    return base.withValue(path, parseValue(raw));
  }

  private static ConfigValue parseValue(String raw) {
    if (raw.equals("null")) {
      return ConfigValueFactory.fromAnyRef(null);
    }
    if (raw.startsWith("[")) {
      try {
        return ConfigFactory.parseString("v = " + raw).getValue("v");
      } catch (ConfigException e) {
        throw Errors.badUsage("Invalid --set list value '" + raw + "': " + e.getMessage());
      }
    }
    return ConfigValueFactory.fromAnyRef(raw);
  }

  private static void rejectUnknownKeys(Config config) {
    List<String> unknown = new ArrayList<>();
    // Walk the tree rather than entrySet(): entrySet() leaves out null values and empty objects,
    // and a misspelt key set to null must not pass unnoticed.
    collectUnknown(config.root(), new ArrayList<>(), unknown);
    if (!unknown.isEmpty()) {
      unknown.sort(String::compareTo);
      throw Errors.unknownConfigKeys(unknown);
    }
  }

  private static void collectUnknown(ConfigObject obj, List<String> path, List<String> unknown) {
    for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
      List<String> p = new ArrayList<>(path);
      p.add(e.getKey());
      String key = ConfigUtil.joinPath(p);
      if (e.getValue() instanceof ConfigObject child) {
        if (p.equals(List.of("spark", "conf"))) {
          continue; // Spark's own settings, passed through as they are
        }
        if (child.isEmpty() && !isKnownGroup(p)) {
          unknown.add(key);
        }
        collectUnknown(child, p, unknown);
      } else if (!isKnown(key)) {
        unknown.add(key);
      }
    }
  }

  /** Objects that may be empty: spark.conf and inputs.TABLE.columns. */
  private static boolean isKnownGroup(List<String> p) {
    return p.size() == 3 && p.get(0).equals("inputs") && InputTable.byName(p.get(1)).isPresent()
        && p.get(2).equals("columns");
  }

  private static boolean isKnown(String key) {
    if (KNOWN_KEYS.contains(key) || key.startsWith("spark.conf.")) {
      return true;
    }
    List<String> parts = ConfigUtil.splitPath(key);
    if (parts.size() == 3 && parts.get(0).equals("economics")) {
      return ECONOMICS_FIELDS.contains(parts.get(2));
    }
    if (parts.size() >= 3 && parts.get(0).equals("inputs")) {
      Optional<InputTable> t = InputTable.byName(parts.get(1));
      if (t.isEmpty()) {
        return false;
      }
      if (parts.size() == 3) {
        return parts.get(2).equals("path") || parts.get(2).equals("format");
      }
      return parts.size() == 4 && parts.get(2).equals("columns") && t.get().column(parts.get(3)).isPresent();
    }
    return false;
  }

  private InputSpec inputSpec(InputTable t) {
    String base = "inputs." + t.tableName();
    Optional<String> path = optionalString(base + ".path");
    if (path.isEmpty() && !t.isOptional()) {
      throw Errors.badConfigValue(base + ".path", "null", "a path or table name is required");
    }
    InputFormat format = InputFormat.parse(base + ".format", nonBlankString(base + ".format"));
    Map<String, String> mapping = new TreeMap<>();
    if (config.hasPath(base + ".columns")) {
      for (Map.Entry<String, ConfigValue> e : config.getConfig(base + ".columns").entrySet()) {
        String key = base + ".columns." + e.getKey();
        if (e.getValue().valueType() != ConfigValueType.STRING) {
          throw Errors.badConfigValue(key, e.getValue().unwrapped(), "a column name");
        }
        mapping.put(unquote(e.getKey()), (String) e.getValue().unwrapped());
      }
    }
    return new InputSpec(path, format, mapping);
  }

  private TrainConfig trainConfig() {
    List<String> models = stringList("train.models");
    for (String m : models) {
      if (!TrainConfig.KNOWN_MODELS.contains(m)) {
        throw Errors.badConfigValue("train.models", m, "each one of " + String.join(", ", TrainConfig.KNOWN_MODELS));
      }
    }
    if (models.isEmpty() || models.size() != Set.copyOf(models).size()) {
      throw Errors.badConfigValue("train.models", models, "a non-empty list without repeats");
    }
    List<String> features = stringList("train.features");
    if (features.isEmpty() || features.size() != Set.copyOf(features).size()) {
      throw Errors.badConfigValue("train.features", features, "a non-empty list without repeats");
    }
    List<String> categorical = stringList("train.categorical_features");
    for (String c : categorical) {
      if (!features.contains(c)) {
        throw Errors.badConfigValue("train.categorical_features", c, "each one of train.features");
      }
    }
    String weight = nonBlankString("train.class_weight");
    if (!weight.equals("none") && !weight.equals("balanced")) {
      throw Errors.badConfigValue("train.class_weight", weight, "none or balanced");
    }
    String mono = nonBlankString("train.binning.monotonicity");
    if (!List.of("auto", "ascending", "descending", "none").contains(mono)) {
      throw Errors.badConfigValue("train.binning.monotonicity", mono, "auto, ascending, descending or none");
    }
    List<Double> regParams = doubleList("train.logistic.reg_params", 0.0, 1e6);
    List<Integer> depths = new ArrayList<>();
    for (Double d : doubleList("train.gbt.max_depths", 1, 30)) {
      if (d != Math.rint(d)) {
        throw Errors.badConfigValue("train.gbt.max_depths", d, "whole numbers in [1, 30]");
      }
      depths.add(d.intValue());
    }
    if (regParams.isEmpty() || depths.isEmpty()) {
      throw Errors.badConfigValue(regParams.isEmpty() ? "train.logistic.reg_params" : "train.gbt.max_depths",
          "[]", "at least one value");
    }
    List<Double> bounds = doubleList("grades.pd_upper_bounds", 0.0, 1.0);
    for (int i = 1; i < bounds.size(); i++) {
      if (bounds.get(i) <= bounds.get(i - 1)) {
        throw Errors.badConfigValue("grades.pd_upper_bounds", bounds, "strictly ascending PDs in (0, 1)");
      }
    }
    TrainConfig.PointsScaling scaling = new TrainConfig.PointsScaling(
        doubleValue("scorecard.base_score", -1e9, 1e9),
        doubleValue("scorecard.base_odds", Double.MIN_VALUE, 1e12),
        doubleValue("scorecard.pdo", Double.MIN_VALUE, 1e9));
    return new TrainConfig(models, features, categorical, weight.equals("balanced"), longValue("train.seed"),
        regParams, intValue("train.binning.max_bins", 2, 10_000),
        doubleValue("train.binning.min_bin_share", 1e-9, 0.5), mono,
        doubleList("train.binning.special_values", -Double.MAX_VALUE, Double.MAX_VALUE),
        doubleValue("train.selection.min_iv", 0.0, 100.0), doubleValue("train.selection.max_correlation", 0.0, 1.0),
        intValue("train.gbt.max_iter", 1, 100_000), depths, doubleValue("train.gbt.step_size", 1e-9, 1.0),
        doubleValue("train.gbt.subsampling_rate", 1e-9, 1.0), intValue("train.gbt.max_bins", 2, 100_000),
        intValue("train.gbt.min_instances_per_node", 1, Integer.MAX_VALUE),
        doubleValue("train.gbt.validation_tol", 0.0, 1.0),
        scaling, intValue("scorecard.reason_codes", 0, 1000), bounds);
  }

  private ValidationConfig validationConfig() {
    double psiAmber = doubleValue("validation.psi.amber", 0.0, 100.0);
    double psiRed = doubleValue("validation.psi.red", psiAmber, 100.0);
    double jeffreysRed = doubleValue("validation.jeffreys.red_p", 0.0, 1.0);
    double jeffreysAmber = doubleValue("validation.jeffreys.amber_p", jeffreysRed, 1.0);
    double aucAmber = doubleValue("validation.auc_drop.amber_se", 0.0, 100.0);
    double aucRed = doubleValue("validation.auc_drop.red_se", aucAmber, 100.0);
    int breaksAmber = intValue("validation.rank_ordering.amber_breaks", 1, 1000);
    int breaksRed = intValue("validation.rank_ordering.red_breaks", breaksAmber, 1000);
    return new ValidationConfig(psiAmber, psiRed, jeffreysAmber, jeffreysRed, aucAmber, aucRed,
        doubleValue("validation.hosmer_lemeshow.amber_p", 0.0, 1.0), breaksAmber, breaksRed,
        intValue("validation.charts.curve_points", 10, 10_000), intValue("validation.charts.distribution_bins", 2, 1000),
        intValue("validation.summary_max_groups", 0, 10_000_000));
  }

  private CalibrateConfig calibrateConfig() {
    String method = nonBlankString("calibrate.method");
    String policy = nonBlankString("calibrate.policy");
    String ri = nonBlankString("calibrate.reject_inference.method");
    String model = nonBlankString("calibrate.model");
    requireOneOf("calibrate.method", method, CalibrateConfig.METHODS);
    requireOneOf("calibrate.policy", policy, CalibrateConfig.POLICIES);
    requireOneOf("calibrate.reject_inference.method", ri, CalibrateConfig.REJECT_INFERENCE);
    requireOneOf("calibrate.model", model, TrainConfig.KNOWN_MODELS);
    List<List<String>> sets = new ArrayList<>();
    for (String set : stringListOfLists("calibrate.segments")) {
      List<String> cols = new ArrayList<>();
      for (String c : set.split(",")) {
        if (!c.isBlank()) {
          cols.add(c.trim());
        }
      }
      if (cols.isEmpty() || !SEGMENT_COLUMNS.containsAll(cols) || cols.size() != Set.copyOf(cols).size()) {
        throw Errors.badConfigValue("calibrate.segments", set,
            "segment sets of distinct columns among " + String.join(", ", SEGMENT_COLUMNS) + ", e.g. \"product,channel\"");
      }
      sets.add(List.copyOf(cols));
    }
    Map<String, CalibrateConfig.Economics> economics = new TreeMap<>();
    if (config.hasPath("economics")) {
      for (String product : config.getObject("economics").keySet()) {
        String base = "economics." + ConfigUtil.quoteString(product);
        for (String f : ECONOMICS_FIELDS) {
          if (!config.hasPath(base + "." + f)) {
            throw Errors.badConfigValue("economics." + product + "." + f, "null", "each product needs "
                + String.join(", ", ECONOMICS_FIELDS));
          }
        }
        economics.put(unquote(product), new CalibrateConfig.Economics(doubleValue(base + ".margin_rate", 0.0, 100.0),
            doubleValue(base + ".lgd", 0.0, 1.0), doubleValue(base + ".unit_cost", 0.0, Double.MAX_VALUE)));
      }
    }
    if (!economics.containsKey("default")) {
      throw Errors.badConfigValue("economics.default", "null", "economics.default { margin_rate, lgd, unit_cost } is required");
    }
    return new CalibrateConfig(model, method, intValue("calibrate.months", 1, 1200), List.copyOf(sets), policy,
        doubleValue("calibrate.target_bad_rate", 0.0, 1.0), doubleValue("calibrate.min_approval_rate", 0.0, 1.0),
        intValue("calibrate.min_bads", 0, Integer.MAX_VALUE), doubleValue("calibrate.confidence", 0.5, 0.999999),
        ri, doubleValue("calibrate.reject_inference.parcelling.band_points", 1e-9, 1e9),
        doubleValue("calibrate.reject_inference.parcelling.factor", 0.0, 1000.0),
        java.util.Collections.unmodifiableMap(economics));
  }

  /** Columns of scored_applications a segment may be cut by. */
  private static final List<String> SEGMENT_COLUMNS = List.of("product", "channel", "application_month");

  private void requireOneOf(String key, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw Errors.badConfigValue(key, value, "one of " + String.join(", ", allowed));
    }
  }

  /** A list whose items are strings (comma-separated column sets) or lists of strings. */
  private List<String> stringListOfLists(String key) {
    ConfigValue v = config.getValue(key);
    if (v.valueType() != ConfigValueType.LIST) {
      return stringList(key);
    }
    List<String> out = new ArrayList<>();
    for (Object o : config.getList(key).unwrapped()) {
      out.add(o instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(o));
    }
    return out;
  }

  private List<Double> doubleList(String key, double min, double max) {
    List<Double> out = new ArrayList<>();
    for (String s : stringList(key)) {
      double v;
      try {
        v = Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw Errors.badConfigValue(key, s, "a list of numbers");
      }
      if (Double.isNaN(v) || v < min || v > max) {
        throw Errors.badConfigValue(key, s, "numbers in [" + min + ", " + max + "]");
      }
      out.add(v);
    }
    return List.copyOf(out);
  }

  private int intValue(String key, int min, int max) {
    long v = longValue(key);
    if (v < min || v > max) {
      throw Errors.badConfigValue(key, v, "an integer in [" + min + ", " + max + "]");
    }
    return (int) v;
  }

  private long longValue(String key) {
    try {
      // getLong would silently truncate 30.5 to 30; accept whole numbers only.
      Number n = config.getNumber(key);
      if (!(n instanceof Integer || n instanceof Long)) {
        throw Errors.badConfigValue(key, config.getValue(key).unwrapped(), "an integer");
      }
      return n.longValue();
    } catch (ConfigException.Missing e) {
      throw Errors.badConfigValue(key, "null", "a value is required");
    } catch (ConfigException.WrongType e) {
      throw Errors.badConfigValue(key, config.getValue(key).unwrapped(), "an integer");
    }
  }

  private double doubleValue(String key, double min, double max) {
    double v;
    try {
      v = config.getDouble(key);
    } catch (ConfigException.Missing e) {
      throw Errors.badConfigValue(key, "null", "a value is required");
    } catch (ConfigException.WrongType e) {
      throw Errors.badConfigValue(key, config.getValue(key).unwrapped(), "a number");
    }
    if (Double.isNaN(v) || v < min || v > max) {
      throw Errors.badConfigValue(key, v, "a number in [" + min + ", " + max + "]");
    }
    return v;
  }

  private String nonBlankString(String key) {
    Optional<String> s = optionalString(key);
    if (s.isEmpty() || s.get().isBlank()) {
      throw Errors.badConfigValue(key, s.orElse("null"), "a non-empty string");
    }
    return s.get();
  }

  private Optional<String> optionalString(String key) {
    if (!config.hasPathOrNull(key) || config.getIsNull(key)) {
      return Optional.empty();
    }
    ConfigValue v = config.getValue(key);
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
      throw Errors.badConfigValue(key, v.unwrapped(), "a single value");
    }
    return Optional.of(String.valueOf(v.unwrapped()));
  }

  private Optional<LocalDate> optionalDate(String key) {
    return optionalString(key).map(s -> {
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        throw Errors.badConfigValue(key, s, "a date yyyy-MM-dd");
      }
    });
  }

  private List<String> stringList(String key) {
    ConfigValue v = config.getValue(key);
    List<String> out = new ArrayList<>();
    if (v.valueType() == ConfigValueType.LIST) {
      for (Object o : config.getList(key).unwrapped()) {
        out.add(String.valueOf(o).trim());
      }
    } else if (v.valueType() == ConfigValueType.STRING) {
      for (String s : ((String) v.unwrapped()).split(",")) {
        if (!s.isBlank()) {
          out.add(s.trim());
        }
      }
    } else {
      throw Errors.badConfigValue(key, v.unwrapped(), "a list of strings");
    }
    return List.copyOf(out);
  }

  private <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String s = nonBlankString(key);
    try {
      return Enum.valueOf(type, s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name().toLowerCase(Locale.ROOT));
      }
      throw Errors.badConfigValue(key, s, "one of " + String.join(", ", names));
    }
  }

  private static String unquote(String key) {
    return key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")
        ? key.substring(1, key.length() - 1)
        : key;
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
   * A short hash of everything that can change a result: every typed setting but the spark.*
   * execution settings (master, app name, spark.conf), which change how fast a run goes, not what
   * it computes. Built from the parsed values, so the same effective config hashes the same whether
   * a value came from a file (60) or from --set (the string "60"), and an unset good_max_dpd equals
   * its explicit default. The session time zone is included: it decides how CSV timestamps are read
   * and where the as-of day ends.
   */
  public String fingerprint() {
    Map<String, String> canonical = new TreeMap<>();
    canonical.put("score.min", String.valueOf(scoreMin));
    canonical.put("score.max", String.valueOf(scoreMax));
    canonical.put("features.max_score_age_days", String.valueOf(maxScoreAgeDays));
    canonical.put("label.window_months", String.valueOf(windowMonths));
    canonical.put("label.paid_tolerance", Double.toString(paidTolerance));
    canonical.put("label.bad_dpd", String.valueOf(badDpd));
    canonical.put("label.good_max_dpd", String.valueOf(goodMaxDpd));
    canonical.put("label.bad_events", String.join(",", badEvents));
    canonical.put("label.use", labelUse.name());
    canonical.put("split.oot_months", String.valueOf(ootMonths));
    canonical.put("split.test_fraction", Double.toString(testFraction));
    canonical.put("split.seed", String.valueOf(splitSeed));
    canonical.put("inputs.extract_date", extractDate.map(LocalDate::toString).orElse("null"));
    for (InputTable t : InputTable.values()) {
      InputSpec s = inputs.get(t);
      String base = "inputs." + t.tableName();
      canonical.put(base + ".path", s.path().orElse("null"));
      canonical.put(base + ".format", s.format().name());
      canonical.put(base + ".columns", new TreeMap<>(s.columnMapping()).toString());
    }
    canonical.put("warehouse.path", warehousePath);
    canonical.put("train", train.toString());
    canonical.put("validation", validation.toString());
    canonical.put("calibrate", calibrate.toString());
    canonical.put("spark.session_time_zone", sessionTimeZone);
    StringBuilder sb = new StringBuilder();
    canonical.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns a copy with more --set overrides applied (used by demo to point at its data). */
  public CreditRiskConfig with(List<String> overrides) {
    Config c = config;
    for (String kv : overrides) {
      c = applyOverride(c, kv);
    }
    return new CreditRiskConfig(c.resolve());
  }

  public int scoreMin() { return scoreMin; }
  public int scoreMax() { return scoreMax; }
  public int maxScoreAgeDays() { return maxScoreAgeDays; }
  public int windowMonths() { return windowMonths; }
  public double paidTolerance() { return paidTolerance; }
  public int badDpd() { return badDpd; }
  public int goodMaxDpd() { return goodMaxDpd; }
  public List<String> badEvents() { return badEvents; }
  public LabelUse labelUse() { return labelUse; }
  public int ootMonths() { return ootMonths; }
  public double testFraction() { return testFraction; }
  public long splitSeed() { return splitSeed; }
  public Optional<LocalDate> extractDate() { return extractDate; }
  public InputSpec input(InputTable t) { return inputs.get(t); }
  public String warehousePath() { return warehousePath; }
  public TrainConfig train() { return train; }
  public ValidationConfig validation() { return validation; }
  public CalibrateConfig calibrate() { return calibrate; }
  /** How old the last train run may be before {@code run} trains again; a scheduling setting, not in the fingerprint. */
  public int retrainEveryDays() { return retrainEveryDays; }
  public Optional<String> sparkMaster() { return sparkMaster; }
  public String appName() { return appName; }
  public String sessionTimeZone() { return sessionTimeZone; }
  public Map<String, String> sparkConf() { return sparkConf; }
}
