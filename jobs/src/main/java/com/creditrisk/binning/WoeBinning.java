package com.creditrisk.binning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised weight-of-evidence binning of many features at once.
 *
 * <p>Numeric features: exact quantile fine bins ({@code maxBins}, DESIGN's order-statistic rule),
 * pooled until the bad rate is strictly monotone ({@code monotonicity}), then bins below
 * {@code minBinShare} merged into the neighbour with the closest bad rate. Missing values and each
 * {@code specialValues} value keep their own bins. Categorical features: one bin per category,
 * categories below {@code rareLevelShare} grouped into "other". The Spark work is one query with
 * a fixed number of passes whatever the number of features; only the fine-bin table (features x
 * bins) reaches the driver.
 */
public class WoeBinning extends Estimator<WoeBinningModel> implements WoeBinningParams, DefaultParamsWritable {
  private static final Logger LOG = LoggerFactory.getLogger(WoeBinning.class);
  private final String uid;
  private final Fields fields;

  public WoeBinning() {
    this(Identifiable.randomUID("woeBinning"));
  }

  public WoeBinning(String uid) {
    this.uid = uid;
    this.fields = new Fields(this);
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Fields woeFields() {
    return fields;
  }

  public WoeBinning setInputCols(String... v) {
    set(inputCols(), v);
    return this;
  }

  public WoeBinning setOutputCols(String... v) {
    set(outputCols(), v);
    return this;
  }

  public WoeBinning setCategoricalCols(String... v) {
    set(categoricalCols(), v);
    return this;
  }

  public WoeBinning setLabelCol(String v) {
    set(labelCol(), v);
    return this;
  }

  public WoeBinning setMaxBins(int v) {
    set(maxBins(), v);
    return this;
  }

  public WoeBinning setMinBinShare(double v) {
    set(minBinShare(), v);
    return this;
  }

  public WoeBinning setMonotonicity(String v) {
    set(monotonicity(), v);
    return this;
  }

  public WoeBinning setMonotonicityOverrides(String... v) {
    set(monotonicityOverrides(), v);
    return this;
  }

  public WoeBinning setSpecialValues(double... v) {
    set(specialValues(), v);
    return this;
  }

  public WoeBinning setRareLevelShare(double v) {
    set(rareLevelShare(), v);
    return this;
  }

  public WoeBinning setHandleInvalid(String v) {
    set(handleInvalid(), v);
    return this;
  }

  /** The features binned as categories: categoricalCols plus every string or boolean input column. */
  Set<String> categoricalIn(StructType schema) {
    Set<String> out = new LinkedHashSet<>(Arrays.asList(getCategoricalCols()));
    for (String c : getInputCols()) {
      if (Arrays.asList(schema.fieldNames()).contains(c)) {
        DataType t = schema.apply(c).dataType();
        if (t.equals(DataTypes.StringType) || t.equals(DataTypes.BooleanType)) {
          out.add(c);
        }
      }
    }
    return out;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return validateAndTransformSchema(schema, true, categoricalIn(schema));
  }

  @Override
  public WoeBinningModel fit(Dataset<?> dataset) {
    StructType schema = dataset.schema();
    transformSchema(schema);
    Set<String> categorical = categoricalIn(schema);
    List<String> features = Arrays.asList(getInputCols());
    String label = getLabelCol();
    return fit(FineBins.collect(FineBins.table(dataset.toDF(), features, categorical, label,
        getMaxBins(), getSpecialValues())), categorical);
  }

  /**
   * The model from the fine-bin table ({@link FineBins#table}'s rows, whichever reader counted
   * them) and the features binned as categories ({@link #categoricalIn}).
   */
  WoeBinningModel fit(List<FineBins.Row4> rows, Set<String> categorical) {
    List<String> features = Arrays.asList(getInputCols());
    String label = getLabelCol();
    Map<String, List<FineBins.Row4>> byFeature = new LinkedHashMap<>();
    features.forEach(f -> byFeature.put(f, new ArrayList<>()));
    rows.forEach(r -> byFeature.get(r.feature()).add(r));
    // Every feature sees every row, so the label counts of the first feature are the table's.
    List<FineBins.Row4> first = byFeature.get(features.get(0));
    long invalid = first.stream().mapToLong(FineBins.Row4::invalidLabels).sum();
    long unlabeled = first.stream().mapToLong(FineBins.Row4::unlabeled).sum();
    long labelled = first.stream().mapToLong(FineBins.Row4::count).sum();
    long bads = first.stream().mapToLong(FineBins.Row4::bads).sum();
    if (invalid > 0) {
      throw new InvalidLabelException(label, "must hold 0 or 1 (1 = bad; null rows are ignored), found "
          + invalid + " rows with other values");
    }
    if (bads == 0 || bads == labelled) {
      throw new InvalidLabelException(label, "must hold both classes (0 = good, 1 = bad) among its "
          + labelled + " non-null rows, found only " + (bads == 0 ? "goods" : "bads"));
    }

    List<WoeBin> bins = new ArrayList<>();
    for (String f : features) {
      boolean cat = categorical.contains(f);
      List<BinMerger.Draft> drafts = BinMerger.feature(byFeature.get(f), cat, monotonicityOf(f),
          getMinBinShare(), getRareLevelShare());
      bins.addAll(BinMerger.withWoe(f, drafts));
    }
    LOG.info("WoE binning of {} features on {} labelled rows ({} with a null label ignored): {} bins",
        features.size(), labelled, unlabeled, bins.size());
    WoeBinningModel model = new WoeBinningModel(uid(), bins, unlabeled);
    copyValues(model, ParamMap.empty());
    model.set(model.categoricalCols(), categorical.toArray(new String[0]));
    return model.setParent(this);
  }

  @Override
  public WoeBinning copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<WoeBinning> read() {
    return new DefaultParamsReader<>();
  }

  public static WoeBinning load(String path) {
    return read().load(path);
  }
}
