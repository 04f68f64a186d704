package com.creditrisk.binning;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.io.Csv;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A CSV read whose column types come from the file's first {@value #SAMPLE_ROWS} rows instead of
 * Spark's schema inference, which parses every cell of the file once more before the first
 * statistic. The fit's own scan then verifies every cell: the file is read with the sampled types
 * and a corrupt-record column ({@link #UNPARSED}), which the CSV reader fills, on any row with a
 * cell its conversion rejects, with the whole line; the caller turns such a row into an invalid
 * label, so the fit stops with {@link InvalidLabelException} before anything is written, and reads
 * the file again with inference ({@link Unverified}).
 *
 * <p>Why the types are those of inference whenever no row is rejected. Inference folds each cell
 * into the column's type along int, long, decimal, double (then dates, timestamps, boolean,
 * string), each step with the same conversion the reader uses for that type ({@code toInt},
 * {@code toLong}, {@code toDouble} or the NaN and infinity spellings, {@code toBoolean}), and merges
 * partitions by widening. So when every cell converts to the sampled type T, no cell takes the
 * column past T, and since the sampled cells are cells of the file, the whole file's type is at
 * least T: it is T. That holds for T int, long, double and boolean. A sampled decimal, date or
 * timestamp is not accepted (their conversions are locale and format dependent), nor a column
 * with no value in the sample (inference would call it a string only if the whole file has none).
 * A string column accepts every cell, so it is kept only when the sample holds a cell that
 * inference alone calls a string (tested by inferring that cell by itself): such a cell makes the
 * column a string in any file holding it; a string that comes only from mixing types (ints and
 * booleans, dates and timestamps) is not accepted. With the same types, the reader gives the same
 * values. The reader converts only the columns a query uses, so the fit's scan also refers to the
 * ones it does not bin (a key column), whose types decide which columns are skipped or left out.
 *
 * <p>Only a single file is sampled: in a folder, another file's header line could sit among the
 * sampled lines as data. A folder, a sample the header read disagrees with, or a header naming
 * {@link #UNPARSED} gives null, and the caller reads with inference from the start.
 */
final class SampledCsv {
  /** Data rows whose types are inferred. */
  static final int SAMPLE_ROWS = 1000;

  /** The line of a row with a cell the sampled type rejected; null on every other row. */
  static final String UNPARSED = "__bin_unparsed_line";

  /** Distinct sampled cells of a string column tried for one that inference alone calls a string. */
  private static final int TEXT_CANDIDATES = 8;

  // The CSV reader's default limit on columns (maxColumns) bounds the one-line table of candidates.
  private static final int MAX_CANDIDATES = 20_000;

  private static final Set<DataType> VOUCHED = Set.of(DataTypes.IntegerType, DataTypes.LongType,
      DataTypes.DoubleType, DataTypes.BooleanType, DataTypes.StringType);

  private SampledCsv() {}

  /** Some row holds a cell the sampled types reject: read the file with inference instead. */
  static final class Unverified extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unverified() {
      super("a cell does not fit the sampled column types", null, false, false);
    }
  }

  /** The types inferred from the sample and the lines read for it, header first. */
  record Sample(StructType types, List<String> lines) {}

  /**
   * @return the file read with the sampled types and {@link #UNPARSED} last, or null when the
   *     sample cannot vouch for the types (see the class comment)
   */
  static Dataset<Row> read(SparkSession spark, String path) {
    Sample s = sample(spark, path);
    return s == null ? null : read(spark, path, s.types());
  }

  /** The file read with {@code sampled} types ({@link #sample}) and {@link #UNPARSED} last. */
  static Dataset<Row> read(SparkSession spark, String path, StructType sampled) {
    return spark.read().options(Csv.SPARK_OPTIONS).option("header", "true")
        .option("columnNameOfCorruptRecord", UNPARSED).schema(sampled.add(UNPARSED, DataTypes.StringType)).csv(path);
  }

  /** The column types inferred from the sample, or null when it cannot vouch for them. */
  static StructType types(SparkSession spark, String path) {
    Sample s = sample(spark, path);
    return s == null ? null : s.types();
  }

  /** The sample's types and lines, or null when it cannot vouch for the types. */
  static Sample sample(SparkSession spark, String path) {
    List<String> lines;
    StructType header;
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.getFileStatus(p).isFile()) {
        return null;
      }
      header = spark.read().options(Csv.SPARK_OPTIONS).option("header", "true").csv(path).schema();
      lines = spark.read().text(path).limit(SAMPLE_ROWS + 1).as(Encoders.STRING()).collectAsList();
    } catch (IOException | RuntimeException e) {
      return null;
    }
    Dataset<String> sample = spark.createDataset(lines, Encoders.STRING());
    StructType inferred = csv(spark).option("inferSchema", "true").csv(sample).schema();
    List<String> names = Arrays.asList(header.fieldNames());
    if (!names.equals(Arrays.asList(inferred.fieldNames())) || names.contains(UNPARSED)) {
      return null;
    }
    List<Row> rows = csv(spark).schema(strings(header)).csv(sample).collectAsList();
    if (rows.isEmpty()) {
      return null;
    }
    List<List<String>> candidates = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      DataType t = inferred.fields()[i].dataType();
      Set<String> values = new LinkedHashSet<>();
      for (Row r : rows) {
        if (!r.isNullAt(i) && values.size() < TEXT_CANDIDATES) {
          values.add(r.getString(i));
        }
      }
      if (!VOUCHED.contains(t) || values.isEmpty()) {
        return null;
      }
      if (t.equals(DataTypes.StringType)) {
        candidates.add(new ArrayList<>(values));
      }
    }
    return candidates.isEmpty() || someTextIn(spark, candidates) ? new Sample(inferred, List.copyOf(lines)) : null;
  }

  /**
   * Whether each list holds a cell that inference, on that cell alone, calls a string: the cells
   * are laid out as the columns of a one-row table, so that inference types each by itself.
   */
  private static boolean someTextIn(SparkSession spark, List<List<String>> candidates) {
    List<String> head = new ArrayList<>();
    List<String> cells = new ArrayList<>();
    for (List<String> column : candidates) {
      for (String c : column) {
        head.add("c" + head.size());
        cells.add(Csv.quoted(c));
      }
    }
    if (cells.size() > MAX_CANDIDATES) {
      return false;
    }
    Dataset<String> oneRow = spark.createDataset(List.of(String.join(",", head), String.join(",", cells)),
        Encoders.STRING());
    StructField[] types = csv(spark).option("inferSchema", "true").csv(oneRow).schema().fields();
    int k = 0;
    for (List<String> column : candidates) {
      boolean text = false;
      for (int j = 0; j < column.size(); j++) {
        text |= types[k++].dataType().equals(DataTypes.StringType);
      }
      if (!text) {
        return false;
      }
    }
    return true;
  }

  private static org.apache.spark.sql.DataFrameReader csv(SparkSession spark) {
    return spark.read().options(Csv.SPARK_OPTIONS).option("header", "true");
  }

  private static StructType strings(StructType header) {
    StructType s = new StructType();
    for (StructField f : header.fields()) {
      s = s.add(f.name(), DataTypes.StringType);
    }
    return s;
  }

  /** The table's own columns, without {@link #UNPARSED}. */
  static StructType columns(StructType schema) {
    return new StructType(Arrays.stream(schema.fields()).filter(f -> !f.name().equals(UNPARSED))
        .toArray(StructField[]::new));
  }

  /** Whether rows come from {@link #read}. */
  static boolean sampled(StructType schema) {
    return Arrays.asList(schema.fieldNames()).contains(UNPARSED);
  }

  /**
   * NaN, an invalid label, on a row the sampled types rejected; the label otherwise. The reader
   * converts, and so verifies, only the columns a query refers to: each of {@code unread} is
   * referred to by a test that is never true (a length below zero) but that the optimizer cannot
   * drop.
   */
  static Column unlessUnparsed(Column label, List<String> unread) {
    Column rejected = col(UNPARSED).isNotNull();
    for (String c : unread) {
      rejected = rejected.or(length(col(FineBins.quote(c)).cast(DataTypes.StringType)).lt(0));
    }
    return when(rejected, Double.NaN).otherwise(label);
  }
}
