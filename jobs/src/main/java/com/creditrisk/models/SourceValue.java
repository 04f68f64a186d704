package com.creditrisk.models;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CalibrateConfig;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.FeatureSource;
import com.creditrisk.config.TrainConfig;
import com.creditrisk.cutoffs.LoanEconomics;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.metrics.Discrimination;
import com.creditrisk.run.FinishedBuilds;
import com.creditrisk.run.RunFolder;
import com.creditrisk.run.SourcesFile;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code evaluate-sources}: what each feature source is worth, out of time on mature loans (the
 * "retro test" of a data vendor). For each source: its coverage; the AUC of the score with the
 * source against the score alone, and of every source against every source but this one, each
 * with the paired DeLong test on the same rows; at today's approval rate, the bads avoided per
 * 1,000 approvals; at the bad rate that rate gives, the extra approvals per 1,000 applications; and
 * the net value per 1,000 applications after the source's cost, with a verdict.
 *
 * <p>Every comparison fits the same learner on each feature set: WoE binning and a logistic
 * regression (the scorecard's, without its feature selection), fitted on the train split with the
 * L2 strength chosen on test, evaluated on the oot split. Written to {@code runs/<RUN_ID>/sources.json},
 * which {@link SourcesFile} reads back.
 */
public final class SourceValue {
  /** The feature set of "the score alone". */
  static final List<String> SCORE_ONLY = List.of("score_at_application");
  /** The p-value below which a difference of AUC counts. */
  static final double SIGNIFICANCE = 0.05;

  public record Input(CreditRiskConfig conf, LocalDate asOf) {
    public Input {
      Objects.requireNonNull(conf, "conf");
      Objects.requireNonNull(asOf, "asOf");
    }
  }

  /**
   * One source's value.
   *
   * @param coverage share of the applications as of the date with any data from the source
   * @param overScore the score with the source against the score alone
   * @param overOthers every source against every source but this one (with one source: as overScore)
   * @param strategy approvals and bads of the two models of overOthers at today's approval rate
   * @param valuePer1000 net value per 1,000 applications: the profit gained minus the source's cost
   * @param verdict pays, does not pay, or not significant
   */
  public record Value(String source, double coverage, Comparison overScore, Comparison overOthers,
      ApprovalComparison.Outcome strategy, double costPerApplication, double valuePer1000, String verdict) {}

  /**
   * Two feature sets' out-of-time AUCs on the same rows, with the paired DeLong test of the set with
   * the source (a) against the one without (b): its difference is the gain.
   */
  public record Comparison(String without, String with, Discrimination.Paired test) {
    public double ciLow() {
      return test.difference() - Discrimination.Z975 * test.se();
    }

    public double ciHigh() {
      return test.difference() + Discrimination.Z975 * test.se();
    }

    Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("without", without);
      m.put("with", with);
      m.put("n", test.n());
      m.put("n_bad", test.nBad());
      m.put("auc_without", test.aucB());
      m.put("auc_with", test.aucA());
      m.put("auc_difference", test.difference());
      m.put("auc_difference_ci95", List.of(ciLow(), ciHigh()));
      m.put("p_value", test.pValue());
      return m;
    }
  }

  public record Result(String runId, String sourcesJson, double approvalRate, long rows, List<Value> values) {}

  private SourceValue() {}

  public static Result run(SparkSession spark, Input in) {
    CreditRiskConfig conf = in.conf();
    Map<String, FeatureSource> sources = conf.featureSources();
    if (sources.isEmpty()) {
      throw Errors.badConfigValue("feature_sources", "{}", "at least one declared feature source to evaluate");
    }
    String action = "evaluate the feature sources as of " + in.asOf();
    String buildFirst = "run build-dataset --as-of " + in.asOf() + " with the feature sources first";
    WarehouseTable md = WarehouseTable.MODEL_DATASET;
    // The version the latest finished build-dataset run of the date names (its run.json).
    long version = FinishedBuilds.requireVersion(spark, conf, md, in.asOf(), action);
    Dataset<Row> dataset = md.readAsOf(spark, conf, version, in.asOf());
    StructType schema = dataset.schema();
    List<String> missing = new ArrayList<>();
    for (FeatureSource s : sources.values()) {
      s.featureColumns().stream().filter(c -> !List.of(schema.fieldNames()).contains(c)).forEach(missing::add);
    }
    if (!missing.isEmpty()) {
      throw Errors.missingStageOutput(action, "columns " + missing + " of " + md.tableName() + " as of " + in.asOf(),
          md.path(conf), buildFirst);
    }
    double floor = conf.calibrate().pdFloor();

    // The feature sets to fit, each once: the score alone, the score with each source, all sources,
    // and all sources but each one.
    Map<String, List<String>> sets = new LinkedHashMap<>();
    sets.put("score", SCORE_ONLY);
    List<String> all = new ArrayList<>(SCORE_ONLY);
    for (FeatureSource s : sources.values()) {
      List<String> with = new ArrayList<>(SCORE_ONLY);
      with.addAll(s.featureColumns());
      sets.put("score+" + s.name(), with);
      all.addAll(s.featureColumns());
    }
    sets.put("all", all);
    for (FeatureSource s : sources.values()) {
      List<String> allBut = new ArrayList<>(all);
      allBut.removeAll(s.featureColumns());
      sets.putIfAbsent(nameOf(sets, allBut, "all-" + s.name()), allBut);
    }

    Set<String> used = new LinkedHashSet<>(all);
    List<Column> kept = new ArrayList<>();
    for (String c : used) {
      kept.add(col(c));
    }
    kept.addAll(List.of(col("application_id"), col("split"), col("requested_amount"), col("product"),
        col("label").cast("double").as(ModelKind.LABEL), lit(1.0).as(ModelKind.WEIGHT)));
    Dataset<Row> eligible = dataset.where(col("split").isNotNull().and(col("label").isNotNull()))
        .select(kept.toArray(new Column[0])).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> train = eligible.where(col("split").equalTo("train"));
      Dataset<Row> test = eligible.where(col("split").equalTo("test"));
      Dataset<Row> oot = eligible.where(col("split").equalTo("oot"));
      Dataset<Row> scored = oot.select(col("application_id"), col(ModelKind.LABEL), col("requested_amount"),
          col("product"));
      for (Map.Entry<String, List<String>> e : sets.entrySet()) {
        TrainConfig t = learner(conf.train(), e.getValue(), schema);
        TrainModels.Tuned tuned = TrainModels.tune(ModelKind.SCORECARD,
            Scorecard.candidates(t, e.getValue(), train), train, test, null, floor, t);
        scored = scored.join(tuned.model().transform(oot)
            .select(col("application_id"), ModelKind.SCORECARD.pd(tuned.model(), floor).as(pdColumn(e.getKey()))),
            "application_id");
      }
      // The realised profit of approving each loan: the strategy curve's formula at its observed outcome.
      scored = scored.withColumn("__profit", LoanEconomics.profit(conf.calibrate(), col(ModelKind.LABEL))).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        return evaluate(spark, conf, in, sources, sets, dataset, scored, version);
      } finally {
        scored.unpersist();
      }
    } finally {
      eligible.unpersist();
    }
  }

  /** A name for a feature set, or the name of an identical one already listed. */
  private static String nameOf(Map<String, List<String>> sets, List<String> features, String name) {
    for (Map.Entry<String, List<String>> e : sets.entrySet()) {
      if (Set.copyOf(e.getValue()).equals(Set.copyOf(features))) {
        return e.getKey();
      }
    }
    return name;
  }

  private static String pdColumn(String set) {
    return "__pd_" + set.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** The scorecard learner on a feature set: text columns categorical, no feature selection. */
  static TrainConfig learner(TrainConfig t, List<String> features, StructType schema) {
    List<String> categorical = features.stream()
        .filter(f -> schema.apply(f).dataType().equals(DataTypes.StringType)).toList();
    return t.withFeatures(features, categorical);
  }

  private static Result evaluate(SparkSession spark, CreditRiskConfig conf, Input in, Map<String, FeatureSource> sources,
      Map<String, List<String>> sets, Dataset<Row> dataset, Dataset<Row> scored, long version) {
    // Today's approval rate: the share approved of the applications of the out-of-time months.
    List<String> ootMonths = dataset.where(col("split").equalTo("oot")).select("application_month").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    List<Column> aggs = new ArrayList<>(List.of(
        avg(when(col("decision").equalTo("approved"), 1.0).otherwise(0.0)).as("approval"),
        count(lit(1)).as("applications")));
    for (FeatureSource s : sources.values()) {
      aggs.add(avg(when(col(s.missingReasonColumn()).isNull(), 1.0).otherwise(0.0)));
    }
    Row book = dataset.where(col("application_month").isin(ootMonths.toArray()))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0])).first();
    double approvalRate = book.isNullAt(0) ? Double.NaN : book.getDouble(0);

    List<Value> values = new ArrayList<>();
    int k = 2;
    for (FeatureSource s : sources.values()) {
      double coverage = book.isNullAt(k) ? Double.NaN : book.getDouble(k);
      k++;
      Comparison overScore = compare(scored, "score", "score+" + s.name());
      List<String> allBut = new ArrayList<>(sets.get("all"));
      allBut.removeAll(s.featureColumns());
      String without = nameOf(sets, allBut, "all-" + s.name());
      Comparison overOthers = sources.size() == 1 ? overScore : compare(scored, without, "all");
      int maxGroups = conf.validation().summaryMaxGroups();
      ApprovalComparison.Outcome outcome = ApprovalComparison.compare(
          ApprovalComparison.groups(scored, pdColumn(overOthers.without()), ModelKind.LABEL, "__profit", maxGroups),
          ApprovalComparison.groups(scored, pdColumn(overOthers.with()), ModelKind.LABEL, "__profit", maxGroups),
          approvalRate);
      double value = outcome.profitGainPer1000() - 1000.0 * s.costPerApplication();
      String verdict = verdict(overOthers.test().pValue(), overOthers.test().difference(), value);
      values.add(new Value(s.name(), coverage, overScore, overOthers, outcome, s.costPerApplication(), value, verdict));
    }

    // The out-of-time loans every comparison counted (each has a PD under every feature set).
    long rows = values.get(0).overScore().test().n();
    String runId = RunFolder.runId(in.asOf(), conf);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run_id", runId);
    json.put("command", "evaluate-sources");
    json.put("as_of_date", in.asOf().toString());
    json.put("model_dataset", Map.of("path", WarehouseTable.MODEL_DATASET.path(conf), "delta_version", version));
    json.put("sample", "split = oot of model_dataset (mature labelled loans); each feature set fitted with WoE binning "
        + "and logistic regression on train, L2 strength chosen on test");
    json.put("rows", rows);
    json.put("approval_rate_today", approvalRate);
    json.put("approval_rate_from", "approved share of the applications of the oot months " + ootMonths);
    json.put("feature_sets", sets);
    List<Object> list = new ArrayList<>();
    for (Value v : values) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", v.source());
      m.put("coverage", v.coverage());
      m.put("over_score", v.overScore().toJson());
      m.put("over_other_sources", v.overOthers().toJson());
      m.put("at_todays_approval_rate", v.strategy().toJson());
      m.put("cost_per_application", v.costPerApplication());
      m.put("net_value_per_1000_applications", v.valuePer1000());
      m.put("verdict", v.verdict());
      list.add(m);
    }
    json.put("sources", list);
    json.put("verdict_rule", "not significant when the paired DeLong p-value of every source against every source "
        + "but this one is at least " + SIGNIFICANCE + "; does not pay when the source significantly lowers that AUC; "
        + "otherwise pays when the net value per 1,000 applications "
        + "(realised profit gained at today's approval rate, minus cost_per_application x 1,000) is positive");
    String path;
    try {
      path = RunFolder.writeJson(spark, RunFolder.path(conf, runId), SourcesFile.NAME, json);
    } catch (IOException e) {
      throw Errors.cannot("write " + SourcesFile.NAME + " of run " + runId, e);
    }
    return new Result(runId, path, approvalRate, rows, values);
  }

  private static Comparison compare(Dataset<Row> scored, String without, String with) {
    // Model a is the one with the source, so the difference is its gain.
    return new Comparison(without, with, Discrimination.paired(scored, pdColumn(with), pdColumn(without),
        ModelKind.LABEL));
  }

  /**
   * The verdict on one source. A significant AUC loss never pays, whatever the realised profit at
   * one approval rate says: that profit is one draw of the swap sets, and a source that ranks worse
   * out of time would lose it on the next book.
   */
  static String verdict(double pValue, double aucGain, double valuePer1000) {
    if (Double.isNaN(pValue) || pValue >= SIGNIFICANCE) {
      return "not significant";
    }
    return aucGain > 0 && valuePer1000 > 0 ? "pays" : "does not pay";
  }
}
