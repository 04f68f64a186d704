package com.creditrisk.binning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Params shared by {@link WoeBinning} and {@link WoeBinningModel} (like Spark's
 * QuantileDiscretizerBase). Each stage holds its own {@link Fields}; the accessors here are what
 * Spark's reflection finds as the stage's params.
 */
public interface WoeBinningParams extends Params {
  /** Monotonicity directions accepted by {@link #monotonicity()}. */
  List<String> DIRECTIONS = List.of("auto", "ascending", "descending", "none");

  /** The param objects of one stage, created with the stage as their parent. */
  final class Fields {
    final StringArrayParam inputCols;
    final StringArrayParam outputCols;
    final StringArrayParam categoricalCols;
    final Param<String> labelCol;
    final IntParam maxBins;
    final DoubleParam minBinShare;
    final Param<String> monotonicity;
    final StringArrayParam monotonicityOverrides;
    final DoubleArrayParam specialValues;
    final DoubleParam rareLevelShare;
    final Param<String> handleInvalid;

    Fields(WoeBinningParams owner) {
      inputCols = new StringArrayParam(owner, "inputCols",
          "feature columns to bin: numeric columns get range bins, string and boolean columns (and those "
              + "in categoricalCols) get one bin per category",
          (String[] a) -> a.length > 0 && new HashSet<>(Arrays.asList(a)).size() == a.length);
      outputCols = new StringArrayParam(owner, "outputCols",
          "output columns of the WoE values (double), one per input column in the same order; "
              + "default <input>_woe");
      categoricalCols = new StringArrayParam(owner, "categoricalCols",
          "numeric input columns to treat as categories (string columns are categorical anyway)");
      labelCol = new Param<>(owner, "labelCol",
          "label column, numeric 0/1 with 1 = bad; rows with a null label are ignored by fit",
          (String s) -> s != null && !s.isEmpty());
      maxBins = new IntParam(owner, "maxBins",
          "number of fine quantile bins per numeric feature before merging (a count, >= 2)",
          ParamValidators.gtEq(2));
      minBinShare = new DoubleParam(owner, "minBinShare",
          "smallest share of the feature's labelled rows a range bin may hold after merging "
              + "(a fraction in (0, 0.5]); missing and special bins are exempt",
          ParamValidators.inRange(0.0, 0.5, false, true));
      monotonicity = new Param<>(owner, "monotonicity",
          "direction the bad rate must follow across a numeric feature's range bins: ascending "
              + "(rises with the value), descending, auto (the direction of the fine bins' trend) or none",
          ParamValidators.inArray(DIRECTIONS.toArray(new String[0])));
      monotonicityOverrides = new StringArrayParam(owner, "monotonicityOverrides",
          "per-feature monotonicity as feature:direction entries, e.g. age:descending; beats monotonicity",
          (String[] a) -> Arrays.stream(a).allMatch(e -> e.lastIndexOf(':') > 0
              && DIRECTIONS.contains(e.substring(e.lastIndexOf(':') + 1))));
      specialValues = new DoubleArrayParam(owner, "specialValues",
          "values of numeric features that code a special case (e.g. -9 = no record): each one present "
              + "gets its own bin, never merged");
      rareLevelShare = new DoubleParam(owner, "rareLevelShare",
          "categories holding a smaller share of the feature's labelled rows (a fraction in [0, 0.5]) "
              + "are grouped into one 'other' bin; 0 keeps every category; default minBinShare",
          ParamValidators.inRange(0.0, 0.5, true, true));
      handleInvalid = new Param<>(owner, "handleInvalid",
          "what transform does with a value no bin covers (an unseen category with no 'other' bin, or a "
              + "missing value when training had none): error, or keep with WoE 0.0",
          ParamValidators.inArray(new String[] {"error", "keep"}));
      owner.setDefault(outputCols, new String[0]);
      owner.setDefault(categoricalCols, new String[0]);
      owner.setDefault(labelCol, "label");
      owner.setDefault(maxBins, 20);
      owner.setDefault(minBinShare, 0.05);
      owner.setDefault(monotonicity, "auto");
      owner.setDefault(monotonicityOverrides, new String[0]);
      owner.setDefault(specialValues, new double[0]);
      owner.setDefault(handleInvalid, "error");
    }
  }

  /** This stage's param objects. */
  Fields woeFields();

  default StringArrayParam inputCols() {
    return woeFields().inputCols;
  }

  default StringArrayParam outputCols() {
    return woeFields().outputCols;
  }

  default StringArrayParam categoricalCols() {
    return woeFields().categoricalCols;
  }

  default Param<String> labelCol() {
    return woeFields().labelCol;
  }

  default IntParam maxBins() {
    return woeFields().maxBins;
  }

  default DoubleParam minBinShare() {
    return woeFields().minBinShare;
  }

  default Param<String> monotonicity() {
    return woeFields().monotonicity;
  }

  default StringArrayParam monotonicityOverrides() {
    return woeFields().monotonicityOverrides;
  }

  default DoubleArrayParam specialValues() {
    return woeFields().specialValues;
  }

  default DoubleParam rareLevelShare() {
    return woeFields().rareLevelShare;
  }

  default Param<String> handleInvalid() {
    return woeFields().handleInvalid;
  }

  default String[] getInputCols() {
    return $(inputCols());
  }

  /** The output columns: as set, else {@code <input>_woe} for each input column. */
  default String[] getOutputCols() {
    String[] out = $(outputCols());
    if (out.length > 0) {
      return out;
    }
    return Arrays.stream(getInputCols()).map(c -> c + "_woe").toArray(String[]::new);
  }

  default String[] getCategoricalCols() {
    return $(categoricalCols());
  }

  default String getLabelCol() {
    return $(labelCol());
  }

  default int getMaxBins() {
    return (Integer) $(maxBins());
  }

  default double getMinBinShare() {
    return (Double) $(minBinShare());
  }

  default String getMonotonicity() {
    return $(monotonicity());
  }

  default String[] getMonotonicityOverrides() {
    return $(monotonicityOverrides());
  }

  default double[] getSpecialValues() {
    return $(specialValues());
  }

  /** The rare-level share: as set, else minBinShare. */
  default double getRareLevelShare() {
    return isDefined(rareLevelShare()) ? (Double) $(rareLevelShare()) : getMinBinShare();
  }

  default String getHandleInvalid() {
    return $(handleInvalid());
  }

  /** The monotonicity direction of one feature: its override, else {@link #getMonotonicity()}. */
  default String monotonicityOf(String feature) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String e : getMonotonicityOverrides()) {
      int i = e.lastIndexOf(':');
      overrides.put(e.substring(0, i), e.substring(i + 1).toLowerCase(Locale.ROOT));
    }
    return overrides.getOrDefault(feature, getMonotonicity());
  }

  /**
   * Checks the param combination and the input columns against a schema and returns the schema
   * with the output columns added. {@code requireLabel} is true when fitting.
   */
  default StructType validateAndTransformSchema(StructType schema, boolean requireLabel,
      Set<String> categorical) {
    String[] in = getInputCols();
    String[] out = getOutputCols();
    List<String> problems = new ArrayList<>();
    if (out.length != in.length) {
      problems.add("outputCols has " + out.length + " columns but inputCols has " + in.length);
    }
    Set<String> names = new HashSet<>(Arrays.asList(schema.fieldNames()));
    for (String c : getCategoricalCols()) {
      if (!Arrays.asList(in).contains(c)) {
        problems.add("categoricalCols names '" + c + "', which is not in inputCols");
      }
    }
    for (String e : getMonotonicityOverrides()) {
      String f = e.substring(0, e.lastIndexOf(':'));
      if (!Arrays.asList(in).contains(f)) {
        problems.add("monotonicityOverrides names '" + f + "', which is not in inputCols");
      }
    }
    for (String c : in) {
      if (!names.contains(c)) {
        problems.add("inputCols column '" + c + "' does not exist");
        continue;
      }
      DataType t = schema.apply(c).dataType();
      boolean cat = categorical.contains(c);
      if (cat ? !isCategoricalType(t) : !(t instanceof NumericType)) {
        problems.add("inputCols column '" + c + "' has type " + t.simpleString() + ", expected "
            + (cat ? "string, boolean or numeric" : "numeric"));
      }
    }
    if (requireLabel) {
      String label = getLabelCol();
      if (!names.contains(label)) {
        problems.add("labelCol column '" + label + "' does not exist");
      } else if (!(schema.apply(label).dataType() instanceof NumericType)) {
        problems.add("labelCol column '" + label + "' has type "
            + schema.apply(label).dataType().simpleString() + ", expected numeric 0/1");
      }
    }
    Set<String> seen = new HashSet<>();
    for (String o : out) {
      if (names.contains(o) || !seen.add(o)) {
        problems.add("outputCols column '" + o + "' already exists");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid " + getClass().getSimpleName() + " params for schema "
          + schema.simpleString() + ": " + String.join("; ", problems));
    }
    StructType result = schema;
    for (String o : out) {
      result = result.add(new StructField(o, DataTypes.DoubleType, true,
          org.apache.spark.sql.types.Metadata.empty()));
    }
    return result;
  }

  /** Column types binned as categories. */
  static boolean isCategoricalType(DataType t) {
    return t.equals(DataTypes.StringType) || t instanceof BooleanType || t instanceof NumericType;
  }
}
