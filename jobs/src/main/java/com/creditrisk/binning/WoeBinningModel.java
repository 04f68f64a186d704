package com.creditrisk.binning;

import static com.creditrisk.binning.FineBins.quote;

import com.creditrisk.binning.WoeBin.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted WoE binning: the bins of each feature, their WoE and IV, and a transform that adds one
 * WoE column (double) per feature using a CASE expression, no UDF. Values no bin covers (an
 * unseen category with no "other" bin, a missing value when training had none) follow
 * {@code handleInvalid}: error, or keep with WoE 0.0.
 */
public class WoeBinningModel extends Model<WoeBinningModel> implements WoeBinningParams, MLWritable {
  private final String uid;
  private final Fields fields;
  private final Map<String, List<WoeBin>> bins;
  private final long unlabeledRows;

  public WoeBinningModel() {
    this(Identifiable.randomUID("woeBinning"));
  }

  public WoeBinningModel(String uid) {
    this(uid, List.of(), 0L);
  }

  /** A model holding the given bins (in feature order, then index order). */
  public WoeBinningModel(String uid, List<WoeBin> bins, long unlabeledRows) {
    this.uid = uid;
    this.fields = new Fields(this);
    Map<String, List<WoeBin>> byFeature = new LinkedHashMap<>();
    for (WoeBin b : bins) {
      byFeature.computeIfAbsent(b.feature(), k -> new ArrayList<>()).add(b);
    }
    byFeature.replaceAll((k, v) -> List.copyOf(v.stream().sorted(Comparator.comparingInt(WoeBin::index)).toList()));
    this.bins = Collections.unmodifiableMap(byFeature);
    this.unlabeledRows = unlabeledRows;
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public Fields woeFields() {
    return fields;
  }

  public WoeBinningModel setOutputCols(String... v) {
    set(outputCols(), v);
    return this;
  }

  public WoeBinningModel setHandleInvalid(String v) {
    set(handleInvalid(), v);
    return this;
  }

  /** The features in fit order. */
  public List<String> features() {
    return List.copyOf(bins.keySet());
  }

  /** The bins of one feature, by index; missing first, then special values, ranges or levels, other. */
  public List<WoeBin> bins(String feature) {
    List<WoeBin> b = bins.get(feature);
    if (b == null) {
      throw new IllegalArgumentException("Invalid feature '" + feature + "': the model binned " + bins.keySet());
    }
    return b;
  }

  /** Every bin of every feature, in feature then index order. */
  public List<WoeBin> allBins() {
    return bins.values().stream().flatMap(List::stream).toList();
  }

  /** Training rows ignored because their label was null. */
  public long unlabeledRows() {
    return unlabeledRows;
  }

  /** Feature to information value, in descending IV order (ties by feature name). */
  public Map<String, Double> informationValue() {
    Map<String, Double> iv = new LinkedHashMap<>();
    bins.forEach((f, b) -> iv.put(f, b.stream().mapToDouble(WoeBin::iv).sum()));
    return iv.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  /** Columns of {@link #binsTable}. */
  public static final StructType BINS_SCHEMA = new StructType()
      .add("feature", DataTypes.StringType, false).add("index", DataTypes.IntegerType, false)
      .add("kind", DataTypes.StringType, false).add("label", DataTypes.StringType, false)
      .add("lower", DataTypes.DoubleType, true).add("upper", DataTypes.DoubleType, true)
      .add("levels", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("special_value", DataTypes.DoubleType, true)
      .add("count", DataTypes.LongType, false).add("goods", DataTypes.LongType, false)
      .add("bads", DataTypes.LongType, false).add("bad_rate", DataTypes.DoubleType, false)
      .add("woe", DataTypes.DoubleType, false).add("iv", DataTypes.DoubleType, false)
      .add("level_count", DataTypes.IntegerType, false);

  /** One row per bin, columns {@link #BINS_SCHEMA}. */
  public Dataset<Row> binsTable(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (WoeBin b : allBins()) {
      rows.add(RowFactory.create(b.feature(), b.index(), b.kind().id(), b.label(), b.lower(), b.upper(),
          b.levels().toArray(new String[0]), b.specialValue(), b.count(), b.goods(), b.bads(), b.badRate(),
          b.woe(), b.iv(), b.levelCount()));
    }
    return spark.createDataFrame(rows, BINS_SCHEMA);
  }

  /** Columns of {@link #ivTable}. */
  public static final StructType IV_SCHEMA = new StructType()
      .add("rank", DataTypes.IntegerType, false).add("feature", DataTypes.StringType, false)
      .add("iv", DataTypes.DoubleType, false).add("bins", DataTypes.IntegerType, false);

  /** One row per feature in descending IV order: rank (1..), feature, iv, number of bins. */
  public Dataset<Row> ivTable(SparkSession spark) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, Double> e : informationValue().entrySet()) {
      rows.add(RowFactory.create(rows.size() + 1, e.getKey(), e.getValue(), bins.get(e.getKey()).size()));
    }
    return spark.createDataFrame(rows, IV_SCHEMA);
  }

  /**
   * A Spark SQL CASE expression mapping each row of a feature to {@code value} of its bin, and to
   * {@code elseValue} when no bin covers it. Missing and special values are matched before ranges;
   * ranges are right-closed. Column names are back-quoted and numbers printed so they parse back
   * exactly, so the text scores exactly like {@link #transform} does with {@link WoeBin#woe}.
   */
  public String caseSql(String feature, ToDoubleFunction<WoeBin> value, double elseValue) {
    return caseSql(feature, value, doubleLiteral(elseValue));
  }

  /** {@link #caseSql(String, ToDoubleFunction, double)} as a Column. */
  public Column caseColumn(String feature, ToDoubleFunction<WoeBin> value, double elseValue) {
    return functions.expr(caseSql(feature, value, elseValue));
  }

  private boolean isCategorical(String feature) {
    return bins(feature).stream().anyMatch(b -> b.kind() == Kind.LEVELS || b.kind() == Kind.OTHER)
        || Arrays.asList(getCategoricalCols()).contains(feature);
  }

  String caseSql(String feature, ToDoubleFunction<WoeBin> value, String elseSql) {
    List<WoeBin> fb = bins(feature);
    boolean cat = isCategorical(feature);
    String c = quote(feature);
    String x = cat ? "CAST(" + c + " AS STRING)" : "CAST(" + c + " AS DOUBLE)";
    StringBuilder sb = new StringBuilder("CASE");
    WoeBin missing = fb.stream().filter(b -> b.kind() == Kind.MISSING).findFirst().orElse(null);
    // Missing first, always, so a null never reaches a range or "other".
    sb.append(" WHEN ").append(cat ? c + " IS NULL" : c + " IS NULL OR isnan(" + x + ")")
        .append(" THEN ").append(missing == null ? elseSql : doubleLiteral(value.applyAsDouble(missing)));
    String otherSql = elseSql;
    for (WoeBin b : fb) {
      String when = switch (b.kind()) {
        case MISSING -> null;
        case SPECIAL -> x + " = " + doubleLiteral(b.specialValue());
        case RANGE -> b.upper() != null ? x + " <= " + doubleLiteral(b.upper())
            : (b.lower() != null ? x + " > " + doubleLiteral(b.lower()) : "TRUE");
        case LEVELS -> x + " IN (" + b.levels().stream().map(WoeBinningModel::stringLiteral)
            .collect(Collectors.joining(", ")) + ")";
        case OTHER -> null;
      };
      if (b.kind() == Kind.OTHER) {
        otherSql = doubleLiteral(value.applyAsDouble(b));
      }
      if (when != null) {
        sb.append(" WHEN ").append(when).append(" THEN ").append(doubleLiteral(value.applyAsDouble(b)));
      }
    }
    return sb.append(" ELSE ").append(otherSql).append(" END").toString();
  }

  /** A double as a Spark SQL literal that parses back to the same double. */
  static String doubleLiteral(double v) {
    if (Double.isNaN(v)) {
      return "CAST('NaN' AS DOUBLE)";
    }
    if (Double.isInfinite(v)) {
      return "CAST('" + (v > 0 ? "Infinity" : "-Infinity") + "' AS DOUBLE)";
    }
    return Double.toString(v) + "D";
  }

  /** A string as a Spark SQL literal: single-quoted, backslashes and quotes escaped. */
  static String stringLiteral(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  @Override
  public StructType transformSchema(StructType schema) {
    List<String> missing = new ArrayList<>();
    for (String f : getInputCols()) {
      if (!bins.containsKey(f)) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("Invalid WoeBinningModel: inputCols " + missing + " have no bins");
    }
    return validateAndTransformSchema(schema, false,
        Arrays.stream(getInputCols()).filter(this::isCategorical).collect(Collectors.toSet()));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema(), true);
    String[] in = getInputCols();
    String[] out = getOutputCols();
    Map<String, Column> cols = new LinkedHashMap<>();
    boolean keep = getHandleInvalid().equals("keep");
    for (int i = 0; i < in.length; i++) {
      String invalid = keep ? doubleLiteral(0.0) : "raise_error(concat("
          + stringLiteral("WoeBinningModel: no bin of feature '" + in[i] + "' covers the value ")
          + ", coalesce(CAST(" + quote(in[i]) + " AS STRING), 'null'), "
          + stringLiteral(" (an unseen category, or a missing value when training had none); "
              + "set handleInvalid=keep to give such values WoE 0.0") + "))";
      cols.put(out[i], functions.expr("CAST(" + caseSql(in[i], WoeBin::woe, invalid) + " AS DOUBLE)"));
    }
    return dataset.toDF().withColumns(cols);
  }

  @Override
  public WoeBinningModel copy(ParamMap extra) {
    WoeBinningModel copy = new WoeBinningModel(uid, allBins(), unlabeledRows);
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  public static MLReader<WoeBinningModel> read() {
    return new Reader();
  }

  public static WoeBinningModel load(String path) {
    return read().load(path);
  }

  private static final String DATA = "data/bins.json";

  /** Params through Spark's default metadata, bins as JSON under data/. */
  static final class Writer extends MLWriter {
    private final WoeBinningModel model;

    Writer(WoeBinningModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(model, path, sparkSession());
      Path file = new Path(path, DATA);
      try {
        FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        try (OutputStream os = fs.create(file, true)) {
          os.write(WoeBinsJson.write(model.allBins(), model.unlabeledRows()).getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final class Reader extends MLReader<WoeBinningModel> {
    @Override
    public WoeBinningModel load(String path) {
      DefaultParamsReader.Metadata meta =
          DefaultParamsReader.loadMetadata(path, sparkSession(), WoeBinningModel.class.getName());
      Path file = new Path(path, DATA);
      WoeBinsJson.Parsed parsed;
      try {
        FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
        try (InputStream is = fs.open(file)) {
          parsed = WoeBinsJson.read(new String(is.readAllBytes(), StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      WoeBinningModel model = new WoeBinningModel(meta.uid(), parsed.bins(), parsed.unlabeledRows());
      meta.getAndSetParams(model, scala.Option.empty());
      return model;
    }
  }
}
