package com.creditrisk.binning;

import static com.creditrisk.binning.FineBins.quote;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.ConfigKeys;
import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.Csv;
import com.creditrisk.io.LocalCsv;
import com.creditrisk.io.LocalLabel;
import com.creditrisk.io.SparkSessions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code bin} job: feature screening on any table. Reads a CSV, Parquet or Delta table, maps
 * the label to 0/1, leaves out identifier-like columns ({@link IdentifierColumns}), fits a
 * {@link WoeBinning} and writes bins.csv, bins.json, iv.csv, iv.json and summary.json into the
 * output folder, only once everything is computed.
 */
public final class BinFeatures {
  static final String LABEL = "__bin_label";

  private BinFeatures() {}

  /** What to bin; checks its own option values (exit 2 when they are wrong). */
  public record Input(String path, String format, String labelCol, String badValue, List<String> features,
      List<String> categorical, double[] specialValues, int maxBins, double minBinShare, String monotonicity,
      boolean includeIdColumns, String out) {
    public Input {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(labelCol, "labelCol");
      Objects.requireNonNull(out, "out");
      features = List.copyOf(features);
      categorical = List.copyOf(categorical);
      specialValues = specialValues.clone();
      if (format != null && !List.of("csv", "parquet", "delta").contains(format)) {
        throw Errors.badUsage("Invalid --format: '" + format + "' (one of csv, parquet, delta)");
      }
      if (maxBins < 2) {
        throw Errors.badUsage("Invalid --max-bins: " + maxBins + " (at least 2)");
      }
      if (!(minBinShare > 0 && minBinShare <= 0.5)) {
        throw Errors.badUsage("Invalid --min-bin-share: " + minBinShare + " (a fraction in (0, 0.5])");
      }
      if (!WoeBinningParams.DIRECTIONS.contains(monotonicity)) {
        throw Errors.badUsage("Invalid --monotonicity: '" + monotonicity + "' (one of "
            + String.join(", ", WoeBinningParams.DIRECTIONS) + ")");
      }
      if (features.contains(labelCol)) {
        throw Errors.badUsage("Invalid --features: it lists the label column '" + labelCol + "'");
      }
      if (!features.isEmpty() && !features.containsAll(categorical)) {
        throw Errors.badUsage("Invalid --categorical: every column must also be in --features");
      }
    }
  }

  /**
   * The fitted model, the columns binned, skipped for their type and left out as identifiers, the
   * row counts and the files written.
   */
  public record Result(WoeBinningModel model, String input, String format, List<String> features, List<String> skipped,
      List<IdentifierColumns.Excluded> excluded, long labelledRows, long unlabeledRows, List<String> files) {}

  /** What {@link #runLocal} did: the result, or why Spark must read the table instead (result null). */
  public record Local(Result result, String sparkBecause) {}

  /**
   * The binning done in this JVM without starting Spark ({@link LocalBins}), with its outputs
   * written, when the file passes {@link LocalCsv#eligible} (binning.local_max_bytes) and
   * {@link LocalBins} can vouch for its every cell. The output files are the Spark path's; decided
   * before any output, and every input error is left to the Spark path, as is any unexpected
   * failure of the read ({@link LocalCsv#attempt}); a failure to write is the command's.
   */
  public static Local runLocal(CreditRiskConfig conf, Input in) {
    LocalCsv.Eligible ok = LocalCsv.eligible(conf, ConfigKeys.BINNING_LOCAL_MAX_BYTES, in.format(), in.path());
    if (ok.sparkBecause() != null) {
      return new Local(null, ok.sparkBecause());
    }
    LocalCsv.Outcome<LocalBins.Fitted> read = LocalCsv.attempt("bin", () -> LocalBins.fit(ok.files().get(0), in));
    LocalBins.Fitted f = read.value();
    if (f == null) {
      return new Local(null, read.sparkBecause());
    }
    return new Local(written(ok.hadoopConf(), in, "csv", f.model(), f.features(), f.skipped(), f.excluded()), null);
  }

  /**
   * A CSV file is first read with types from its first rows ({@link SampledCsv}), verified in the
   * fit's own scan; should a cell not fit, the fit stops before anything is written and the file is
   * read again with Spark's inference, so every answer and error is the one that read gives.
   */
  public static Result run(SparkSession spark, Input in) {
    String format = in.format() != null ? in.format() : detectFormat(spark, in.path());
    SampledCsv.Sample sample = format.equals("csv") ? SampledCsv.sample(spark, in.path()) : null;
    if (sample != null) {
      Dataset<Row> sampled = SampledCsv.read(spark, in.path(), sample.types());
      for (SampledCsv.Sample lines : Arrays.asList(sample, null)) {
        try {
          return run(spark, in, format, sampled, lines);
        } catch (SampledCsv.Unverified e) {
          // Read with Spark's CSV reader and the sampled types, then with inference.
        }
      }
    }
    return run(spark, in, format, read(spark, in.path(), format), null);
  }

  /**
   * bin on {@code df}; with {@code lines} (a sampled CSV file, {@code df} its sampled read) the fit
   * reads the file as lines ({@link TextCells}) when it can, and {@link SampledCsv.Unverified}
   * when it cannot, before any Spark job.
   */
  private static Result run(SparkSession spark, Input in, String format, Dataset<Row> df, SampledCsv.Sample lines) {
    boolean sampled = SampledCsv.sampled(df.schema());
    StructType schema = SampledCsv.columns(df.schema());
    Columns cols = columns(in, schema);
    List<String> candidates = List.copyOf(cols.features());
    List<String> features = cols.features();
    // Only the default selection is screened: a column named in --features is binned as asked.
    // Key columns go by name; the string columns' counts come from the fit's own pass (FineBins).
    List<IdentifierColumns.Excluded> keys = cols.screened() ? IdentifierColumns.keyColumns(features) : List.of();
    Set<String> screened = cols.screened() ? Set.copyOf(IdentifierColumns.counted(cols.strings())) : Set.of();
    keys.forEach(e -> features.remove(e.column()));
    requireSome(in, features);
    List<String> names = Arrays.asList(schema.fieldNames());
    Column y = label(schema.apply(in.labelCol()).dataType(), col(quote(in.labelCol())), in.badValue());
    List<String> unread = names.stream().filter(n -> !n.equals(in.labelCol()) && !features.contains(n)).toList();
    Dataset<Row> labelled = df.withColumn(LABEL, sampled ? SampledCsv.unlessUnparsed(y, unread) : y);
    WoeBinning all = binning(in, features);
    Set<String> categorical = all.categoricalIn(labelled.schema());
    TextCells.Plan plan = lines == null ? null
        : TextCells.plan(schema, lines.lines(), in.labelCol(), in.badValue(), features, categorical);
    if (lines != null && plan == null) {
      throw new SampledCsv.Unverified();
    }
    List<FineBins.Row4> rows = FineBins.collect(plan != null
        ? FineBins.table(spark, in.path(), plan, features, categorical, all.getMaxBins(), all.getSpecialValues(),
            screened)
        : FineBins.table(labelled, features, categorical, LABEL, all.getMaxBins(), all.getSpecialValues(), screened));
    if (sampled && rows.stream().anyMatch(r -> r.invalidLabels() > 0)) {
      // A rejected row (or an invalid label, which the read with inference reports), before the
      // screening decides on counts that left the rejected rows' cells out.
      throw new SampledCsv.Unverified();
    }
    List<IdentifierColumns.Excluded> nearUnique = new ArrayList<>();
    for (FineBins.Row4 r : rows) {
      if (r.kind().equals(FineBins.NEAR_UNIQUE)) {
        nearUnique.add(IdentifierColumns.nearUniqueColumn(r.feature(), r.distinct(), r.count()));
      }
    }
    List<IdentifierColumns.Excluded> excluded = new ArrayList<>(keys);
    excluded.addAll(nearUnique);
    excluded = IdentifierColumns.inOrder(candidates, excluded);
    nearUnique.forEach(e -> features.remove(e.column()));
    requireSome(in, features);
    WoeBinning binning = binning(in, features);
    WoeBinningModel model;
    try {
      binning.transformSchema(labelled.schema());
      model = binning.fit(rows.stream().filter(r -> !r.kind().equals(FineBins.NEAR_UNIQUE)).toList(),
          binning.categoricalIn(labelled.schema()));
    } catch (InvalidLabelException e) {
      if (sampled) {
        throw new SampledCsv.Unverified();
      }
      throw Errors.badTableColumn(in.path(), in.labelCol(), e.rule().replace("1 = bad", "1 = bad, or name the bad "
          + "value with --bad-value") + (in.badValue() == null ? "" : " (--bad-value " + in.badValue() + ")"));
    }
    return written(spark.sparkContext().hadoopConfiguration(), in, format, model, features, cols.skipped(), excluded);
  }

  private static void requireSome(Input in, List<String> features) {
    if (features.isEmpty()) {
      throw Errors.badTableColumn(in.path(), in.labelCol(), "is the only column that can be binned against");
    }
  }

  /**
   * The columns to bin, by the schema alone: the features before the identifier screening, the
   * ones skipped for their type, the string ones among the features, and whether the screening
   * applies (the default selection without --include-id-columns); the input errors of the
   * selection, thrown.
   */
  record Columns(List<String> features, List<String> skipped, List<String> strings, boolean screened) {}

  static Columns columns(Input in, StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    if (!names.contains(in.labelCol())) {
      throw Errors.badTableColumn(in.path(), in.labelCol(), "does not exist (--label-col; columns: "
          + String.join(", ", names) + ")");
    }
    List<String> features = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<String> wanted = in.features().isEmpty()
        ? names.stream().filter(n -> !n.equals(in.labelCol())).toList() : in.features();
    for (String f : wanted) {
      if (!names.contains(f)) {
        throw Errors.badTableColumn(in.path(), f, "does not exist (--features; columns: " + String.join(", ", names) + ")");
      }
      DataType t = schema.apply(f).dataType();
      boolean ok = t instanceof NumericType || t.equals(DataTypes.StringType) || t instanceof BooleanType;
      if (ok) {
        features.add(f);
      } else if (in.features().isEmpty()) {
        skipped.add(f + " (" + t.simpleString() + ")");
      } else {
        throw Errors.badTableColumn(in.path(), f, "has type " + t.simpleString()
            + ", which cannot be binned (numeric, string or boolean)");
      }
    }
    return new Columns(features, skipped, features.stream()
        .filter(f -> schema.apply(f).dataType().equals(DataTypes.StringType)).toList(),
        in.features().isEmpty() && !in.includeIdColumns());
  }

  /** The estimator of the features, with the options of {@code in}, fitted against {@link #LABEL}. */
  static WoeBinning binning(Input in, List<String> features) {
    return new WoeBinning().setInputCols(features.toArray(new String[0]))
        .setOutputCols(features.stream().map(f -> "__woe_" + f).toArray(String[]::new))
        .setCategoricalCols(in.categorical().toArray(new String[0])).setLabelCol(LABEL)
        .setMaxBins(in.maxBins()).setMinBinShare(in.minBinShare()).setMonotonicity(in.monotonicity())
        .setSpecialValues(in.specialValues());
  }

  /** Writes the output files of a fitted model ({@link #write}) and gives the result. */
  static Result written(org.apache.hadoop.conf.Configuration hadoopConf, Input in, String format,
      WoeBinningModel model, List<String> features, List<String> skipped, List<IdentifierColumns.Excluded> excluded) {
    long rows = model.bins(features.get(0)).stream().mapToLong(WoeBin::count).sum();
    List<String> files = write(hadoopConf, model, summaryJson(in.labelCol(), features, skipped, excluded), in.out());
    return new Result(model, in.path(), format, features, skipped, excluded, rows, model.unlabeledRows(), files);
  }

  /** 1.0 = bad, 0.0 = good, null = no label; NaN for a value that is neither 0/1 nor parses, so fit rejects it. */
  public static Column label(DataType type, Column raw, String badValue) {
    if (badValue != null) {
      Column isBad;
      Double numeric = LocalLabel.numericBadValue(badValue);
      if (type instanceof NumericType && numeric != null) {
        isBad = raw.cast(DataTypes.DoubleType).equalTo(numeric);
      } else {
        isBad = raw.cast(DataTypes.StringType).equalTo(badValue);
      }
      return when(raw.isNull(), lit(null).cast(DataTypes.DoubleType)).when(isBad, 1.0).otherwise(0.0);
    }
    if (type instanceof NumericType) {
      return raw.cast(DataTypes.DoubleType);
    }
    Column s = trim(raw.cast(DataTypes.StringType));
    return when(raw.isNull(), lit(null).cast(DataTypes.DoubleType))
        .otherwise(coalesce(s.try_cast(DataTypes.DoubleType), lit(Double.NaN)));
  }

  /** A column name quoted so that col() reads it literally (dots, spaces and backticks allowed). */
  public static String quote(String name) {
    return FineBins.quote(name);
  }

  /** delta for a folder with _delta_log, parquet for *.parquet or a folder of them, else csv. */
  public static String detectFormat(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        throw Errors.cannotReadTable(path, "it does not exist (--input)");
      }
      if (fs.getFileStatus(p).isDirectory()) {
        if (fs.exists(new org.apache.hadoop.fs.Path(p, SparkSessions.DELTA_LOG))) {
          return "delta";
        }
        for (FileStatus s : fs.listStatus(p)) {
          if (s.getPath().getName().endsWith(".parquet")) {
            return "parquet";
          }
        }
        return "csv";
      }
      return path.toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv";
    } catch (IOException e) {
      throw Errors.cannotReadTable(path, e.getMessage());
    }
  }

  public static Dataset<Row> read(SparkSession spark, String path, String format) {
    try {
      return switch (format) {
        case "csv" -> spark.read().options(Csv.SPARK_OPTIONS).option("header", "true").option("inferSchema", "true").csv(path);
        case "parquet" -> spark.read().parquet(path);
        default -> spark.read().format("delta").load(path);
      };
    } catch (Exception e) {
      String msg = String.valueOf(e.getMessage());
      throw Errors.cannotReadTable(path, "as " + format + ": " + msg.lines().findFirst().orElse(msg));
    }
  }

  /**
   * summary.json: which columns were binned, which were skipped for their type and which were left
   * out as identifiers, with the reason (names and counts only, never a value of the data).
   */
  static String summaryJson(String labelCol, List<String> features, List<String> skipped,
      List<IdentifierColumns.Excluded> excluded) {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var root = mapper.createObjectNode();
    root.put("label_col", labelCol);
    features.forEach(root.putArray("features")::add);
    skipped.forEach(root.putArray("skipped_columns")::add);
    var ids = root.putArray("excluded_identifier_columns");
    excluded.forEach(e -> ids.addObject().put("column", e.column()).put("reason", e.reason()));
    return root.toPrettyString() + "\n";
  }

  /**
   * Writes the five files into a temporary folder next to {@code out}, then moves them in, through
   * Hadoop's FileSystem so that {@code out} may be local, HDFS or an object store.
   */
  static List<String> write(org.apache.hadoop.conf.Configuration hadoopConf, WoeBinningModel model, String summary,
      String out) {
    Map<String, String> contents = new LinkedHashMap<>();
    contents.put("bins.csv", binsCsv(model.allBins()));
    contents.put("bins.json", WoeBinsJson.write(model.allBins(), model.unlabeledRows()));
    contents.put("iv.csv", ivCsv(model));
    contents.put("iv.json", ivJson(model));
    contents.put("summary.json", summary);
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
    try {
      FileSystem fs = target.getFileSystem(hadoopConf);
      target = fs.makeQualified(target);
      org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(),
          "." + target.getName() + "-" + UUID.randomUUID());
      try {
        for (Map.Entry<String, String> e : contents.entrySet()) {
          try (OutputStream os = fs.create(new org.apache.hadoop.fs.Path(tmp, e.getKey()), true)) {
            os.write(e.getValue().getBytes(StandardCharsets.UTF_8));
          }
        }
        fs.mkdirs(target);
        List<String> files = new ArrayList<>();
        for (String name : contents.keySet()) {
          org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target, name);
          fs.delete(dst, false);
          if (!fs.rename(new org.apache.hadoop.fs.Path(tmp, name), dst)) {
            throw new IOException("Cannot move " + name + " into " + target);
          }
          files.add(dst.toString());
        }
        return files;
      } finally {
        fs.delete(tmp, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the bin outputs to " + out, e);
    }
  }

  /** Siddiqi's reading of an IV: not useful < 0.02, weak < 0.1, medium < 0.3, strong < 0.5, else suspicious. */
  public static String strength(double iv) {
    return iv < 0.02 ? "not useful" : iv < 0.1 ? "weak" : iv < 0.3 ? "medium" : iv < 0.5 ? "strong" : "suspicious";
  }

  static String binsCsv(List<WoeBin> bins) {
    StringBuilder sb = new StringBuilder(
        "feature,index,kind,label,lower,upper,levels,special_value,count,goods,bads,bad_rate,woe,iv,level_count\n");
    for (WoeBin b : bins) {
      sb.append(Csv.row(b.feature(), b.index(), b.kind().id(), b.label(), b.lower(), b.upper(),
          String.join("|", b.levels()), b.specialValue(), b.count(), b.goods(), b.bads(), b.badRate(), b.woe(),
          b.iv(), b.levelCount()));
    }
    return sb.toString();
  }

  static String ivCsv(WoeBinningModel model) {
    StringBuilder sb = new StringBuilder("rank,feature,iv,bins,strength\n");
    int rank = 0;
    for (Map.Entry<String, Double> e : model.informationValue().entrySet()) {
      sb.append(Csv.row(++rank, e.getKey(), e.getValue(), model.bins(e.getKey()).size(), strength(e.getValue())));
    }
    return sb.toString();
  }

  static String ivJson(WoeBinningModel model) {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var arr = mapper.createArrayNode();
    int rank = 0;
    for (Map.Entry<String, Double> e : model.informationValue().entrySet()) {
      arr.addObject().put("rank", ++rank).put("feature", e.getKey()).put("iv", e.getValue())
          .put("bins", model.bins(e.getKey()).size()).put("strength", strength(e.getValue()));
    }
    return arr.toPrettyString() + "\n";
  }
}
