package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.config.InputFormat;
import com.creditrisk.config.InputSpec;
import com.creditrisk.contract.ColumnSpec;
import com.creditrisk.contract.ColumnType;
import com.creditrisk.contract.InputContract;
import com.creditrisk.contract.InputTable;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.Csv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads an input table (Delta, Parquet or CSV), maps the lender's column names onto the
 * contract's and parses each column to its contract type. Nothing is dropped or nulled silently:
 * a cell that does not parse is flagged for the validator.
 */
public final class InputReader {
  private static final String TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss";
  private static final String DATE_FORMAT = "yyyy-MM-dd";
  /**
   * Spark's corrupt-record column of a CSV read: the raw line of a row whose field count is not the
   * header's, else null. Named so that no lender's column is likely to clash with it.
   */
  static final String MALFORMED_LINE = "__csv_malformed_line";
  private static final String CSV_COLUMN_PRUNING = "spark.sql.csv.parser.columnPruning.enabled";

  private InputReader() {}

  /** Reads a table; empty when it is optional and not configured. */
  public static Optional<RawInput> read(SparkSession spark, CreditRiskConfig conf, InputTable table) {
    InputSpec spec = conf.input(table);
    if (spec.path().isEmpty()) {
      return Optional.empty();
    }
    String path = spec.path().get();
    Dataset<Row> df;
    Map<String, Object> source = new LinkedHashMap<>();
    source.put("path", path);
    source.put("format", spec.format().sparkFormat());
    try {
      switch (spec.format()) {
        case CSV -> df = readCsv(spark, path);
        case PARQUET -> df = spark.read().parquet(path);
        default -> {
          if (looksLikeTableName(path)) {
            df = spark.table(path);
            source.put("delta_version", io.delta.tables.DeltaTable.forName(spark, path).history(1).first()
                .<Long>getAs("version"));
          } else {
            df = spark.read().format("delta").load(path);
            source.put("delta_version", com.creditrisk.io.DeltaTables.currentVersion(spark, path).orElse(-1L));
          }
        }
      }
      if (spec.format() != InputFormat.DELTA) {
        source.putAll(fileFingerprint(spark, path));
      }
    } catch (Exception e) {
      throw Errors.cannotReadInput(table.tableName(), path, firstLine(e.getMessage()));
    }
    return Optional.of(toContract(table, spec, df, source));
  }

  /**
   * A CSV file (or folder) as read: every header column as a string, plus {@link #MALFORMED_LINE}.
   * With an explicit schema that includes the corrupt-record column, Spark checks each row's token
   * count against the schema in the one parsing pass, so a short or long row is flagged, not padded
   * or cut. The schema comes from the header line alone: reading it touches only the first line.
   *
   * <p>Column pruning of the CSV parser is turned off for the session: with it, a scan tokenizes
   * only the columns its query reads and a row's missing or extra fields go unseen (a scan for the
   * example keys would find no malformed row). The validation passes read every column anyway.
   */
  static Dataset<Row> readCsv(SparkSession spark, String path) {
    spark.conf().set(CSV_COLUMN_PRUNING, "false");
    StructType header = csvReader(spark).csv(path).schema();
    if (Arrays.asList(header.fieldNames()).contains(MALFORMED_LINE)) {
      throw new IllegalArgumentException("the header has a column named " + MALFORMED_LINE);
    }
    return csvReader(spark).schema(header.add(MALFORMED_LINE, DataTypes.StringType))
        .option("columnNameOfCorruptRecord", MALFORMED_LINE).csv(path);
  }

  /**
   * True on a CSV row whose field count is not the header's. The second term is always false: it
   * makes every scan that reads the flag read a header column too, since Spark refuses a CSV scan
   * whose only column is the corrupt-record one (a table whose contract columns are all missing).
   */
  private static Column malformed(Dataset<Row> df) {
    if (!Arrays.asList(df.columns()).contains(MALFORMED_LINE)) {
      return lit(false); // Parquet or Delta: a row has no field count
    }
    Column first = col("`" + df.columns()[0] + "`");
    return col(MALFORMED_LINE).isNotNull().or(first.isNull().and(first.isNotNull()));
  }

  /** RFC 4180 ({@link Csv#SPARK_OPTIONS}): a quote inside a quoted field is doubled. */
  private static DataFrameReader csvReader(SparkSession spark) {
    return spark.read().option("header", "true").option("inferSchema", "false").option("mode", "PERMISSIVE")
        .options(Csv.SPARK_OPTIONS);
  }

  /**
   * Maps and parses a DataFrame onto a contract table. Package-private and pure so tests can feed
   * hand-made frames.
   */
  static RawInput toContract(InputTable table, InputSpec spec, Dataset<Row> df, Map<String, Object> source) {
    Map<String, StructField> byLowerName = new TreeMap<>();
    for (StructField f : df.schema().fields()) {
      byLowerName.put(f.name().toLowerCase(Locale.ROOT), f);
    }
    List<Column> selected = new ArrayList<>();
    Map<String, Column> parseFailures = new LinkedHashMap<>();
    Map<String, Column> nonFinite = new LinkedHashMap<>();
    Map<String, Column> rawNull = new LinkedHashMap<>();
    List<Violation> schemaViolations = new ArrayList<>();
    for (ColumnSpec c : table.columns()) {
      String sourceName = spec.sourceColumn(c.name());
      StructField f = byLowerName.get(sourceName.toLowerCase(Locale.ROOT));
      if (f == null) {
        if (c.required()) {
          schemaViolations.add(new Violation(table.tableName(), c.name(),
              InputContract.missingColumn(table, c, sourceName), 0, List.of()));
        }
        selected.add(lit(null).cast(c.type().sparkType()).as(c.name()));
        parseFailures.put(c.name(), lit(false));
        rawNull.put(c.name(), lit(true));
        continue;
      }
      Column raw = col("`" + f.name() + "`");
      Optional<Column> parsed = parse(raw, f.dataType(), c.type());
      if (parsed.isEmpty()) {
        schemaViolations.add(new Violation(table.tableName(), c.name(),
            InputContract.wrongType(c, f.dataType().simpleString()), 0, List.of()));
        selected.add(lit(null).cast(c.type().sparkType()).as(c.name()));
        parseFailures.put(c.name(), lit(false));
        rawNull.put(c.name(), lit(true));
        continue;
      }
      selected.add(parsed.get().as(c.name()));
      // Both conditions are written against the source column so they can be evaluated on the
      // same row as the parsed value without a second projection.
      Column present = f.dataType().equals(DataTypes.StringType)
          ? raw.isNotNull().and(trim(raw).notEqual(""))
          : raw.isNotNull();
      rawNull.put(c.name(), present.unary_$bang());
      parseFailures.put(c.name(), present.and(parsed.get().isNull()));
      if (c.type() == ColumnType.DOUBLE) {
        // "NaN", "-Infinity", "inf" (any case) and 1e999 all parse, as do NaN and Infinity stored
        // in a Parquet or Delta double column; NaN compares greater than any number in Spark, so
        // without this flag it would pass "> 0" and every amount rule.
        nonFinite.put(c.name(), isnan(parsed.get()).or(abs(parsed.get()).equalTo(lit(Double.POSITIVE_INFINITY))));
      }
    }
    // Keep the source cells the conditions refer to; they are dropped after validation.
    List<Column> all = new ArrayList<>(selected);
    int i = 0;
    Map<String, Column> pf = new LinkedHashMap<>();
    Map<String, Column> nf = new LinkedHashMap<>();
    Map<String, Column> rn = new LinkedHashMap<>();
    for (ColumnSpec c : table.columns()) {
      String flag = "__parse_failed_" + i;
      String nul = "__raw_null_" + i;
      all.add(parseFailures.get(c.name()).as(flag));
      all.add(rawNull.get(c.name()).as(nul));
      pf.put(c.name(), col(flag));
      rn.put(c.name(), col(nul));
      if (c.type() == ColumnType.DOUBLE) {
        // A missing or mistyped column has no flag: its finite rule is skipped with its other rules.
        String inf = "__non_finite_" + i;
        all.add(nonFinite.getOrDefault(c.name(), lit(false)).as(inf));
        nf.put(c.name(), col(inf));
      }
      i++;
    }
    all.add(malformed(df).as("__malformed_row"));
    return new RawInput(table, df.select(all.toArray(new Column[0])), col("__malformed_row"), pf, nf, rn,
        schemaViolations, source);
  }

  /** The contract value of a source column, or empty when its type cannot hold the contract type. */
  static Optional<Column> parse(Column raw, DataType from, ColumnType to) {
    boolean isString = from.equals(DataTypes.StringType);
    boolean isIntegral = from.equals(DataTypes.IntegerType) || from.equals(DataTypes.LongType)
        || from.equals(DataTypes.ShortType) || from.equals(DataTypes.ByteType);
    boolean isNumeric = isIntegral || from.equals(DataTypes.DoubleType) || from.equals(DataTypes.FloatType)
        || from instanceof org.apache.spark.sql.types.DecimalType;
    boolean isTime = from.equals(DataTypes.TimestampType) || from.equals(DataTypes.TimestampNTZType);
    boolean isDate = from.equals(DataTypes.DateType);
    return switch (to) {
      case STRING -> isString ? Optional.of(raw)
          : (isIntegral ? Optional.of(raw.cast(DataTypes.StringType)) : Optional.empty());
      case INT -> isString ? Optional.of(trim(raw).try_cast(DataTypes.IntegerType))
          : (isIntegral ? Optional.of(raw.try_cast(DataTypes.IntegerType)) : Optional.empty());
      case DOUBLE -> isString ? Optional.of(trim(raw).try_cast(DataTypes.DoubleType))
          : (isNumeric ? Optional.of(raw.cast(DataTypes.DoubleType)) : Optional.empty());
      case TIMESTAMP -> isString ? Optional.of(try_to_timestamp(trim(raw), lit(TIMESTAMP_FORMAT)))
          : (isTime || isDate ? Optional.of(raw.cast(DataTypes.TimestampType)) : Optional.empty());
      case DATE -> isString ? Optional.of(to_date(try_to_timestamp(trim(raw), lit(DATE_FORMAT))))
          : (isDate || isTime ? Optional.of(raw.cast(DataTypes.DateType)) : Optional.empty());
    };
  }

  private static boolean looksLikeTableName(String path) {
    return !path.contains("/") && !path.contains("\\") && !new java.io.File(path).exists();
  }

  /**
   * Name, size and modification time of every data file, hashed: cheap, and changes with any
   * rewrite. What it throws, {@link #read} reports as an input that cannot be read.
   */
  static Map<String, Object> fileFingerprint(SparkSession spark, String path)
      throws IOException, NoSuchAlgorithmException {
    Path root = new Path(path);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    TreeMap<String, String> files = new TreeMap<>();
    long bytes = 0;
    FileStatus top = fs.getFileStatus(root);
    if (top.isFile()) {
      files.put(top.getPath().getName(), top.getLen() + ":" + top.getModificationTime());
      bytes = top.getLen();
    } else {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
      while (it.hasNext()) {
        LocatedFileStatus s = it.next();
        String name = s.getPath().getName();
        if (name.startsWith(".") || name.startsWith("_")) {
          continue;
        }
        files.put(s.getPath().toUri().getPath(), s.getLen() + ":" + s.getModificationTime());
        bytes += s.getLen();
      }
    }
    StringBuilder sb = new StringBuilder();
    files.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("files", files.size());
    out.put("bytes", bytes);
    out.put("fingerprint", HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8))));
    return out;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
