package com.creditrisk.config;

import static com.creditrisk.config.ConfigType.choice;
import static com.creditrisk.config.ConfigType.integer;
import static com.creditrisk.config.ConfigType.number;
import static com.creditrisk.config.Fingerprint.Section.CALIBRATE;

import com.creditrisk.errors.Errors;
import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The registry's {@code calibrate} and {@code economics} keys, read into {@link CalibrateConfig}. */
public final class CalibrateKeys {
  private CalibrateKeys() {}

  static final KeyList LIST = new KeyList();

  /** Columns of scored_applications a segment may be cut by. */
  static final List<String> SEGMENT_COLUMNS = List.of("product", "channel", "application_month");

  /** The fields of each product's economics.PRODUCT entry. */
  static final List<String> ECONOMICS_FIELDS = List.of("margin_rate", "lgd", "unit_cost");

  public static final ConfigKey<String> MODEL = LIST.add(ConfigKey.of("calibrate.model", new ConfigType.Simple<>(
          (r, k) -> {
            String m = r.nonBlankString(k);
            if (!TrainConfig.KNOWN_MODELS.contains(m)) {
              throw Errors.badConfigValue(k, m, "one of " + String.join(", ", TrainConfig.KNOWN_MODELS));
            }
            return m;
          }, "one of " + String.join(", ", TrainConfig.KNOWN_MODELS)))
      .byDefault("scorecard").in(CALIBRATE, "model")
      .doc("The model whose score the cutoff is set on (higher score = safer), one of train.models."));
  public static final ConfigKey<CalibrateConfig.Method> METHOD = LIST.add(ConfigKey.of("calibrate.method",
      choice(CalibrateConfig.Method.class, false, "one of isotonic, platt"))
      .byDefault(CalibrateConfig.Method.ISOTONIC).in(CALIBRATE, "method")
      .doc("PD calibration fitted on the test split and checked on oot: isotonic (non-increasing step function "
          + "of the score) or platt (logistic in the score). The chosen one feeds the master scale and the "
          + "expected profit."));
  public static final ConfigKey<Double> PD_FLOOR = LIST.add(ConfigKey.of("calibrate.pd_floor", number(1e-9, 0.49))
      .byDefault(0.0003).in(CALIBRATE, "pdFloor").hashedUnlessDefault()
      .doc("Least PD any model or calibration gives (3 basis points by default, the regulatory floor); the most "
          + "is 1 - pd_floor. Applies to the models' PDs in scored_applications (and the scores derived from "
          + "them), the calibrated PDs and the master scale, so no PD is ever 0 or 1."));
  public static final ConfigKey<Integer> MONTHS = LIST.add(ConfigKey.of("calibrate.months", integer(1, 1200))
      .byDefault(3).in(CALIBRATE, "months")
      .doc("Population of the strategy curve: every application of the latest `months` application months that "
          + "hold mature labelled rows, rejected ones included (they count in the approval rate)."));
  public static final ConfigKey<List<List<String>>> SEGMENTS = LIST.add(ConfigKey.of("calibrate.segments",
      segmentSets()).byDefault(List.of(List.of("product", "channel"))).in(CALIBRATE, "segmentSets")
      .doc("Segment sets, each a comma-separated list of columns (product, channel, application_month) crossed "
          + "into segments; the whole population (\"all\") is always one more segment."));
  public static final ConfigKey<CalibrateConfig.Policy> POLICY = LIST.add(ConfigKey.of("calibrate.policy",
      choice(CalibrateConfig.Policy.class, false, "one of target_bad_rate, target_bad_rate_upper, max_profit"))
      .byDefault(CalibrateConfig.Policy.TARGET_BAD_RATE_UPPER).in(CALIBRATE, "policy")
      .doc("How the cutoff of each segment is chosen: target_bad_rate (lowest cutoff whose approved bad rate is "
          + "at most the target), target_bad_rate_upper (the same on the one-sided Jeffreys upper bound at "
          + "`confidence`), or max_profit (largest expected profit). Always with approval rate >= "
          + "min_approval_rate."));
  public static final ConfigKey<Double> TARGET_BAD_RATE = LIST.add(ConfigKey.of("calibrate.target_bad_rate",
      number(0.0, 1.0)).byDefault(0.08).in(CALIBRATE, "targetBadRate")
      .doc("The bad-rate target of the target policies."));
  public static final ConfigKey<Double> MIN_APPROVAL_RATE = LIST.add(ConfigKey.of("calibrate.min_approval_rate",
      number(0.0, 1.0)).byDefault(0.0).in(CALIBRATE, "minApprovalRate")
      .doc("Least approval rate a chosen cutoff must keep."));
  public static final ConfigKey<Integer> MIN_BADS = LIST.add(ConfigKey.of("calibrate.min_bads",
      integer(0, Integer.MAX_VALUE)).byDefault(30).in(CALIBRATE, "minBads")
      .doc("A segment with fewer observed bads than this is flagged too small to decide on its own."));
  public static final ConfigKey<Double> CONFIDENCE = LIST.add(ConfigKey.of("calibrate.confidence",
      number(0.5, 0.999999)).byDefault(0.95).in(CALIBRATE, "confidence")
      .doc("One-sided level of the Jeffreys upper bound of target_bad_rate_upper."));
  public static final ConfigKey<CalibrateConfig.RejectInferenceMethod> REJECT_INFERENCE = LIST.add(ConfigKey.of(
      "calibrate.reject_inference.method",
      choice(CalibrateConfig.RejectInferenceMethod.class, false, "one of none, fuzzy, parcelling"))
      .byDefault(CalibrateConfig.RejectInferenceMethod.FUZZY).in(CALIBRATE, "rejectInference")
      .doc("none, fuzzy (each reject counts as bad with weight PD and good with weight 1 - PD) or parcelling "
          + "(rejects of a score band are bad at the band's observed bad rate times `factor`). The curve is "
          + "always also computed without it, side by side."));
  public static final ConfigKey<Double> PARCELLING_BAND_POINTS = LIST.add(ConfigKey.of(
      "calibrate.reject_inference.parcelling.band_points", number(1e-9, 1e9)).byDefault(20.0)
      .in(CALIBRATE, "parcellingBandPoints")
      .doc("Width in score points of the bands parcelling works on."));
  public static final ConfigKey<Double> PARCELLING_FACTOR = LIST.add(ConfigKey.of(
      "calibrate.reject_inference.parcelling.factor", number(0.0, 1000.0)).byDefault(1.5)
      .in(CALIBRATE, "parcellingFactor")
      .doc("How much riskier than the approved rows of its band a reject is assumed."));
  public static final ConfigKey<Map<String, CalibrateConfig.Economics>> ECONOMICS = LIST.add(ConfigKey.of(
      "economics", economics()).byDefault(defaultEconomics()).in(CALIBRATE, "economics")
      .doc("Unit economics per product: economics.<product> { margin_rate, lgd, unit_cost }, for the expected "
          + "profit of approving an application with amount X and PD p: (1 - p) * margin_rate * X - p * lgd * X "
          + "- unit_cost. A product without its own entry uses `default`, which is required. The bundled "
          + "products are the demo data's; replace them with yours."));

  private static ConfigType<List<List<String>>> segmentSets() {
    return new ConfigType.Simple<>((r, k) -> {
      List<List<String>> sets = new ArrayList<>();
      for (String set : r.stringListOfLists(k)) {
        List<String> cols = new ArrayList<>();
        for (String c : set.split(",")) {
          if (!c.isBlank()) {
            cols.add(c.trim());
          }
        }
        if (cols.isEmpty() || !SEGMENT_COLUMNS.containsAll(cols) || cols.size() != Set.copyOf(cols).size()) {
          throw Errors.badConfigValue(k, set, "segment sets of distinct columns among "
              + String.join(", ", SEGMENT_COLUMNS) + ", e.g. \"product,channel\"");
        }
        sets.add(List.copyOf(cols));
      }
      return List.copyOf(sets);
    }, "list of segment sets, each \"col,col\" of " + String.join(", ", SEGMENT_COLUMNS)) {
      @Override
      public String render(List<List<String>> value) {
        return value.stream().map(s -> "\"" + String.join(",", s) + "\"").collect(Collectors.joining(", ", "[", "]"));
      }
    };
  }

  private static ConfigType<Map<String, CalibrateConfig.Economics>> economics() {
    return new ConfigType<>() {
      @Override
      public Map<String, CalibrateConfig.Economics> read(ConfigReader r, String key) {
        Map<String, CalibrateConfig.Economics> out = new TreeMap<>();
        if (r.hasPath(key)) {
          for (String product : r.config().getObject(key).keySet()) {
            String base = key + "." + ConfigUtil.quoteString(product);
            for (String f : ECONOMICS_FIELDS) {
              if (!r.hasPath(base + "." + f)) {
                throw Errors.badConfigValue(key + "." + product + "." + f, "null", "each product needs "
                    + String.join(", ", ECONOMICS_FIELDS));
              }
            }
            out.put(ConfigReader.unquote(product), new CalibrateConfig.Economics(
                r.doubleValue(base + ".margin_rate", 0.0, 100.0), r.doubleValue(base + ".lgd", 0.0, 1.0),
                r.doubleValue(base + ".unit_cost", 0.0, Double.MAX_VALUE)));
          }
        }
        if (!out.containsKey("default")) {
          throw Errors.badConfigValue("economics.default", "null",
              "economics.default { margin_rate, lgd, unit_cost } is required");
        }
        return Collections.unmodifiableMap(out);
      }

      @Override
      public String describe() {
        return "object: <product> { margin_rate in [0, 100], lgd in [0, 1], unit_cost >= 0 }";
      }

      @Override
      public String render(Map<String, CalibrateConfig.Economics> value) {
        return value.entrySet().stream().map(e -> e.getKey() + " { margin_rate = " + ConfigType.plain(e.getValue()
                .marginRate()) + ", lgd = " + ConfigType.plain(e.getValue().lgd()) + ", unit_cost = "
                + ConfigType.plain(e.getValue().unitCost()) + " }").collect(Collectors.joining("; "));
      }

      @Override
      public boolean isKnownChild(List<String> rest) {
        return rest.size() == 2 && ECONOMICS_FIELDS.contains(rest.get(1));
      }

      @Override
      public boolean isGroup() {
        return true;
      }
    };
  }

  private static Map<String, CalibrateConfig.Economics> defaultEconomics() {
    Map<String, CalibrateConfig.Economics> m = new TreeMap<>();
    m.put("default", new CalibrateConfig.Economics(0.15, 0.85, 10));
    m.put("paylater", new CalibrateConfig.Economics(0.06, 0.90, 4));
    m.put("installment", new CalibrateConfig.Economics(0.14, 0.80, 12));
    m.put("cash_loan", new CalibrateConfig.Economics(0.22, 0.85, 15));
    return Collections.unmodifiableMap(m);
  }
}
