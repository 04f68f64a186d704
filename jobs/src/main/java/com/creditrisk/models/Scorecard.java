package com.creditrisk.models;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import com.creditrisk.binning.WoeBin;
import com.creditrisk.binning.WoeBinning;
import com.creditrisk.binning.WoeBinningModel;
import com.creditrisk.config.TrainConfig;
import com.creditrisk.config.TrainConfig.PointsScaling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Matrices;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.stat.Correlation;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The WoE logistic scorecard: supervised binning, feature selection by information value and by
 * correlation between WoE features, a logistic regression whose coefficients are bounded above by
 * zero, and points scaled by points-to-double-odds.
 *
 * <p>Why the bound: with WoE = ln(%good / %bad) and label 1 = bad, a higher WoE means fewer bads,
 * so its coefficient on the log-odds of bad must not be positive. Bounding it keeps every feature's
 * points ordered like its bins' bad rates: a bin with a lower bad rate always earns more points.
 */
public final class Scorecard {
  private static final String WOE_SUFFIX = "_woe";
  private static final String WOE_VECTOR = "__woe_vector";

  private Scorecard() {}

  /** Why a candidate feature is in the scorecard or not. */
  public record Selection(String feature, double iv, boolean selected, String reason) {}

  /** The first step's outcome: the selected features, in descending IV, and every decision. */
  public record Selected(List<String> features, List<Selection> decisions) {}

  /** The binning estimator every scorecard fit uses. */
  static WoeBinning binning(TrainConfig t, List<String> features) {
    List<String> cats = features.stream().filter(t.categoricalFeatures()::contains).toList();
    String[] out = features.stream().map(f -> f + WOE_SUFFIX).toArray(String[]::new);
    return new WoeBinning()
        .setInputCols(features.toArray(new String[0]))
        .setOutputCols(out)
        .setCategoricalCols(cats.toArray(new String[0]))
        .setLabelCol(ModelKind.LABEL)
        .setMaxBins(t.maxBins())
        .setMinBinShare(t.minBinShare())
        .setMonotonicity(t.monotonicity().configName())
        .setSpecialValues(t.specialValues().stream().mapToDouble(Double::doubleValue).toArray())
        .setHandleInvalid("keep");
  }

  /**
   * Bins every candidate feature on the training rows, then keeps those with IV at least
   * {@code minIv} and, going down the IV ranking, drops any feature whose WoE correlates more than
   * {@code maxCorrelation} (absolute Pearson, on the training rows) with a feature already kept.
   * The correlation matrix is one Spark pass over the WoE vectors.
   */
  public static Selected select(TrainConfig t, Dataset<Row> train) {
    WoeBinningModel all = binning(t, t.features()).fit(train);
    Map<String, Double> iv = all.informationValue();
    List<String> strong = new ArrayList<>();
    Map<String, Selection> decisions = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : iv.entrySet()) {
      if (e.getValue() >= t.minIv()) {
        strong.add(e.getKey());
      } else {
        decisions.put(e.getKey(), new Selection(e.getKey(), e.getValue(), false,
            String.format("IV %.4f below train.selection.min_iv %s", e.getValue(), t.minIv())));
      }
    }
    if (strong.isEmpty()) {
      // A scorecard needs one feature: keep the best one and say so.
      String best = iv.keySet().iterator().next();
      strong.add(best);
      decisions.put(best, new Selection(best, iv.get(best), true,
          "kept although below train.selection.min_iv: no feature reaches it and this one has the highest IV"));
    }
    List<String> kept = new ArrayList<>();
    if (strong.size() == 1) {
      kept.add(strong.get(0));
    } else {
      Dataset<Row> woe = new VectorAssembler()
          .setInputCols(strong.stream().map(f -> f + WOE_SUFFIX).toArray(String[]::new))
          .setOutputCol(WOE_VECTOR)
          .transform(all.transform(train));
      Matrix corr = Correlation.corr(woe, WOE_VECTOR, "pearson").head().getAs(0);
      for (int i = 0; i < strong.size(); i++) {
        String f = strong.get(i);
        String clash = null;
        double r = 0;
        for (String k : kept) {
          double c = corr.apply(i, strong.indexOf(k));
          if (Math.abs(c) > t.maxCorrelation()) {
            clash = k;
            r = c;
            break;
          }
        }
        if (clash == null) {
          kept.add(f);
        } else {
          decisions.put(f, new Selection(f, iv.get(f), false, String.format(
              "WoE correlates %.3f with %s (higher IV), beyond train.selection.max_correlation %s",
              r, clash, t.maxCorrelation())));
        }
      }
    }
    List<Selection> ordered = new ArrayList<>();
    for (Map.Entry<String, Double> e : iv.entrySet()) {
      Selection d = decisions.get(e.getKey());
      ordered.add(d != null ? d : new Selection(e.getKey(), e.getValue(), true,
          String.format("IV %.4f, WoE correlation with every kept feature within the limit", e.getValue())));
    }
    return new Selected(List.copyOf(kept), List.copyOf(ordered));
  }

  /**
   * Candidate pipelines over the selected features, one per L2 strength. The binning is fitted once
   * here and enters each pipeline as a fitted stage.
   */
  static List<Candidate> candidates(TrainConfig t, List<String> features, Dataset<Row> train) {
    WoeBinningModel bins = binning(t, features).fit(train);
    VectorAssembler assembler = new VectorAssembler()
        .setInputCols(features.stream().map(f -> f + WOE_SUFFIX).toArray(String[]::new))
        .setOutputCol(ModelKind.FEATURES);
    Matrix upper = Matrices.zeros(1, features.size());
    List<Candidate> out = new ArrayList<>();
    for (double reg : t.regParams()) {
      LogisticRegression lr = ModelPipelines.logistic(t, reg).setUpperBoundsOnCoefficients(upper);
      out.add(new Candidate(TunedParams.regParam(reg), new Pipeline().setStages(new PipelineStage[] {bins, assembler, lr})));
    }
    return out;
  }

  /** One line of the scorecard table. */
  public record Line(String feature, int bin, String binLabel, String kind, long count, long bads, double badRate,
      double woe, double coefficient, double points) {}

  /**
   * The points of a fitted scorecard pipeline (binning, assembler, logistic regression): for bin j
   * of feature i, points = -factor b_i WoE_ij + (offset - factor b_0) / k, so the points of a row
   * add up to offset - factor (b_0 + sum b_i WoE_i), its score.
   */
  public static final class Points {
    private final WoeBinningModel bins;
    private final List<String> features;
    private final double[] coefficients;
    private final double intercept;
    private final PointsScaling scaling;

    public Points(PipelineModel model, PointsScaling scaling) {
      this.bins = (WoeBinningModel) model.stages()[0];
      this.features = List.of(bins.getInputCols());
      LogisticRegressionModel lr = (LogisticRegressionModel) model.stages()[model.stages().length - 1];
      this.coefficients = lr.coefficients().toArray();
      this.intercept = lr.intercept();
      this.scaling = scaling;
    }

    public List<String> features() {
      return features;
    }

    public double intercept() {
      return intercept;
    }

    public double coefficient(String feature) {
      return coefficients[features.indexOf(feature)];
    }

    /** Points every feature contributes whatever its bin (the intercept, shared out evenly). */
    public double basePoints() {
      return (scaling.offset() - scaling.factor() * intercept) / features.size();
    }

    public double points(String feature, double woe) {
      return -scaling.factor() * coefficient(feature) * woe + basePoints();
    }

    public List<Line> lines() {
      List<Line> out = new ArrayList<>();
      for (String f : features) {
        for (WoeBin b : bins.bins(f)) {
          out.add(new Line(f, b.index(), b.label(), b.kind().id(), b.count(), b.bads(), b.badRate(), b.woe(),
              coefficient(f), points(f, b.woe())));
        }
      }
      return out;
    }

    /** The most points a feature can give (its best bin, or a value no bin covers: WoE 0). */
    private double maxPoints(String f) {
      double max = points(f, 0.0);
      for (WoeBin b : bins.bins(f)) {
        max = Math.max(max, points(f, b.woe()));
      }
      return max;
    }

    /** The score as one Spark SQL expression over model_dataset columns, with no Java code. */
    public String scoreSql() {
      List<String> terms = new ArrayList<>();
      for (String f : features) {
        terms.add("(" + bins.caseSql(f, b -> points(f, b.woe()), points(f, 0.0)) + ")");
      }
      return String.join("\n + ", terms);
    }

    /**
     * Reason codes: the {@code n} features that cost a row the most points against their best
     * bin, most costly first; features at their best bin are never named.
     */
    public Column reasonCodes(int n) {
      if (n == 0) {
        return array().cast("array<string>");
      }
      List<Column> items = new ArrayList<>();
      for (String f : features) {
        Column pts = bins.caseColumn(f, b -> points(f, b.woe()), points(f, 0.0));
        items.add(struct(lit(maxPoints(f)).minus(pts).as("lost"), lit(f).as("feature")));
      }
      Column sorted = sort_array(array(items.toArray(new Column[0])), false);
      Column costly = filter(sorted, x -> x.getField("lost").gt(lit(1e-9)));
      return transform(slice(costly, 1, n), x -> x.getField("feature"));
    }

    /** Score from the SQL expression: used by tests and by anyone checking the SQL. */
    public Column scoreFromSql() {
      return org.apache.spark.sql.functions.expr(scoreSql());
    }
  }
}
