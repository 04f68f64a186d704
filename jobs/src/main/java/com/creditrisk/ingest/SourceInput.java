package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.FeatureSource;
import com.creditrisk.config.FeatureSource.Entity;
import com.creditrisk.config.FeatureSource.Kind;
import com.creditrisk.config.InputFormat;
import com.creditrisk.contract.ColumnType;
import com.creditrisk.errors.Errors;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.AtomicType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A feature source read and checked like an input (DESIGN.md, "Feature sources"): its columns
 * mapped and parsed, then every rule counted on the full data in one query before anything is
 * written. A violation (missing or mistyped column, a cell that does not parse, NaN or Infinity, a
 * null key or time, a key shared by two rows of a snapshot or application source, a CSV row with a
 * wrong field count) is exit 3 naming the source, the column and the rule. A key that matches no
 * customer or application is counted and reported, not an error.
 */
public final class SourceInput {
  private static final String TIMESTAMP_FORMAT = "yyyy-MM-dd HH:mm:ss";
  private static final String DATE_FORMAT = "yyyy-MM-dd";
  private static final long MICROS_PER_DAY = 86_400L * 1_000_000L;

  /**
   * A checked source: its rows under the contract names (the key, event_time for a customer source,
   * the value columns), what it was read from, and its counts.
   *
   * @param counts rows, rows_unmatched (keys of no customer or application), rows_after_as_of
   */
  public record Checked(FeatureSource source, Dataset<Row> rows, Map<String, Object> origin, Map<String, Long> counts) {
    public Checked {
      origin = Map.copyOf(origin);
      counts = Map.copyOf(counts);
    }
  }

  /** The mapped and parsed columns, with a flag column per rule. */
  record Typed(Dataset<Row> rows, List<String> columns, List<Violation> columnViolations, Map<String, Column> failures) {}

  private SourceInput() {}

  /** The name messages give a source: the config key it is declared under. */
  public static String tableName(FeatureSource s) {
    return "feature_sources." + s.name();
  }

  /**
   * Reads and checks a source.
   *
   * @param applications every application of the input (customer_id, application_id), for the
   *     count of keys that match none
   */
  public static Checked readAndCheck(SparkSession spark, FeatureSource s, Dataset<Row> applications, LocalDate asOf) {
    String path = s.input().path().orElseThrow();
    Map<String, Object> origin = new LinkedHashMap<>();
    origin.put("path", path);
    origin.put("format", s.input().format().sparkFormat());
    Dataset<Row> df;
    try {
      df = switch (s.input().format()) {
        case CSV -> InputReader.readCsv(spark, path);
        case PARQUET -> spark.read().parquet(path);
        case DELTA -> spark.read().format("delta").load(path);
      };
      if (s.input().format() == InputFormat.DELTA) {
        origin.put("delta_version", com.creditrisk.io.DeltaTables.currentVersion(spark, path).orElse(-1L));
      } else {
        origin.putAll(InputReader.fileFingerprint(spark, path));
      }
    } catch (Exception e) {
      throw Errors.cannotReadInput(tableName(s), path, e.getMessage() == null ? "unknown error"
          : e.getMessage().lines().findFirst().orElse(""));
    }
    return check(s, typed(s, df), applications, asOf, origin);
  }

  /** Maps and parses the columns a source's features read; pure, so tests can feed hand-made frames. */
  static Typed typed(FeatureSource s, Dataset<Row> df) {
    Map<String, StructField> byLowerName = new TreeMap<>();
    for (StructField f : df.schema().fields()) {
      byLowerName.put(f.name().toLowerCase(Locale.ROOT), f);
    }
    String table = tableName(s);
    List<Violation> columnViolations = new ArrayList<>();
    List<Column> selected = new ArrayList<>();
    Map<String, Column> failures = new LinkedHashMap<>();
    List<String> columns = new ArrayList<>();
    columns.add(s.entity().column());
    if (s.entity() == Entity.CUSTOMER) {
      columns.add(FeatureSource.EVENT_TIME);
    }
    columns.addAll(s.valueColumns());
    for (String c : columns) {
      String sourceName = s.input().sourceColumn(c);
      StructField f = byLowerName.get(sourceName.toLowerCase(Locale.ROOT));
      if (f == null) {
        columnViolations.add(new Violation(table, c, "missing column" + (sourceName.equals(c) ? ""
            : " " + sourceName) + " (map it with " + table + ".columns." + c + ")", 0, List.of()));
        continue;
      }
      Column raw = col("`" + f.name() + "`");
      Optional<Column> parsed = parse(s, c, raw, f.dataType());
      if (parsed.isEmpty()) {
        columnViolations.add(new Violation(table, c, "wrong type " + f.dataType().simpleString()
            + ", expected " + expected(s, c), 0, List.of()));
        continue;
      }
      selected.add(parsed.get().as(c));
      Column present = f.dataType().equals(DataTypes.StringType) ? raw.isNotNull().and(trim(raw).notEqual(""))
          : raw.isNotNull();
      failures.put(c + "\u0000value does not parse as " + expected(s, c), present.and(parsed.get().isNull()));
      if (!c.equals(FeatureSource.EVENT_TIME) && !c.equals(s.entity().column())
          && s.typeOf(c).equals(Optional.of(ColumnType.DOUBLE))) {
        failures.put(c + "\u0000finite number (not NaN or Infinity)",
            isnan(parsed.get()).or(abs(parsed.get()).equalTo(lit(Double.POSITIVE_INFINITY))));
      }
      if (c.equals(s.entity().column()) || c.equals(FeatureSource.EVENT_TIME)) {
        failures.put(c + "\u0000not null", present.unary_$bang());
      }
    }
    if (java.util.Arrays.asList(df.columns()).contains(InputReader.MALFORMED_LINE)) {
      Column first = col("`" + df.columns()[0] + "`");
      failures.put("\u0000field count (the header's number of fields)",
          col(InputReader.MALFORMED_LINE).isNotNull().or(first.isNull().and(first.isNotNull())));
    }
    List<Column> all = new ArrayList<>(selected);
    Map<String, Column> flags = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, Column> e : failures.entrySet()) {
      all.add(e.getValue().as("__flag_" + i));
      flags.put(e.getKey(), col("__flag_" + i));
      i++;
    }
    Dataset<Row> rows = columnViolations.isEmpty() ? df.select(all.toArray(new Column[0])) : null;
    return new Typed(rows, columns, columnViolations, flags);
  }

  private static String expected(FeatureSource s, String c) {
    if (c.equals(s.entity().column())) {
      return "string";
    }
    if (c.equals(FeatureSource.EVENT_TIME)) {
      return "timestamp (yyyy-MM-dd HH:mm:ss) or date (yyyy-MM-dd)";
    }
    return s.typeOf(c).map(ColumnType::label).orElse("a single value");
  }

  /** The contract value of a source column, or empty when its stored type cannot give it. */
  private static Optional<Column> parse(FeatureSource s, String c, Column raw, DataType from) {
    if (c.equals(s.entity().column())) {
      return InputReader.parse(raw, from, ColumnType.STRING);
    }
    if (c.equals(FeatureSource.EVENT_TIME)) {
      if (from.equals(DataTypes.StringType)) {
        // A date-only cell says on which day the row became known: taken as the end of that day.
        Column dated = try_to_timestamp(trim(raw), lit(DATE_FORMAT));
        return Optional.of(coalesce(try_to_timestamp(trim(raw), lit(TIMESTAMP_FORMAT)),
            timestamp_micros(unix_micros(dated).plus(MICROS_PER_DAY - 1))));
      }
      if (from.equals(DataTypes.DateType)) {
        return Optional.of(raw); // SourceFeatures reads a date as the end of its day
      }
      return from.equals(DataTypes.TimestampType) || from.equals(DataTypes.TimestampNTZType)
          ? Optional.of(raw.cast(DataTypes.TimestampType)) : Optional.empty();
    }
    Optional<ColumnType> type = s.typeOf(c);
    if (type.isPresent()) {
      return InputReader.parse(raw, from, type.get());
    }
    return from instanceof AtomicType ? Optional.of(raw) : Optional.empty();
  }

  /**
   * The number of a source's rows whose key matches no application, as one row. The source's keys
   * and the applications' meet in one hash aggregation per key (rows, and whether any application
   * has it), not a join: a sort-merge anti-join sorts every source row, which at 48M events held
   * the execution pool (6 GB of an 8 GB heap) for its whole stage; the aggregation's partial step
   * folds each partition's repeated keys before the shuffle, and it spills instead of growing.
   */
  static Dataset<Row> unmatchedRows(Dataset<Row> rows, Dataset<Row> applications, String key) {
    Dataset<Row> sourceKeys = rows.filter(col(key).isNotNull())
        .select(col(key).as("__key"), lit(1L).as("__rows"), lit(0).as("__known"));
    Dataset<Row> knownKeys = applications.select(col(key).as("__key"), lit(0L).as("__rows"), lit(1).as("__known"));
    return sourceKeys.unionByName(knownKeys).groupBy(col("__key"))
        .agg(sum(col("__rows")).as("__rows"), max(col("__known")).as("__known"))
        .agg(coalesce(sum(when(col("__known").equalTo(0), col("__rows"))), lit(0L)).cast(DataTypes.LongType));
  }

  private static Checked check(FeatureSource s, Typed t, Dataset<Row> applications, LocalDate asOf,
      Map<String, Object> origin) {
    String table = tableName(s);
    if (!t.columnViolations().isEmpty()) {
      throw Errors.badInput(ContractMessage.format(t.columnViolations()));
    }
    String key = s.entity().column();
    List<Column> metrics = new ArrayList<>(List.of(count(lit(1)).cast(DataTypes.LongType)));
    t.failures().values().forEach(f -> metrics.add(coalesce(sum(when(f, 1L)), lit(0L))));
    Column afterAsOf = s.entity() == Entity.CUSTOMER
        ? col(FeatureSource.EVENT_TIME).cast(DataTypes.DateType).gt(lit(asOf.toString()).cast(DataTypes.DateType))
        : lit(false);
    metrics.add(coalesce(sum(when(afterAsOf, 1L)), lit(0L)));
    BatchQuery batch = new BatchQuery();
    long[] counts = new long[metrics.size()];
    batch.add(t.rows().agg(metrics.get(0), metrics.subList(1, metrics.size()).toArray(new Column[0])),
        (row, at) -> {
          for (int i = 0; i < counts.length; i++) {
            counts[i] = row.getLong(at + i);
          }
        });
    List<String> uniqueKey = s.kind() == Kind.SNAPSHOT ? List.of(key, FeatureSource.EVENT_TIME)
        : s.kind() == Kind.APPLICATION ? List.of(key) : List.of();
    long[] shared = {0};
    if (!uniqueKey.isEmpty()) {
      batch.add(Examples.sharedKeys(t.rows(), uniqueKey).agg(coalesce(sum(col("__n")), lit(0L))),
          (row, at) -> shared[0] = row.getLong(at));
    }
    long[] unmatched = {0};
    batch.add(unmatchedRows(t.rows(), applications, key), (row, at) -> unmatched[0] = row.getLong(at));
    batch.run();

    List<Violation> violations = new ArrayList<>();
    int i = 1;
    for (Map.Entry<String, Column> e : t.failures().entrySet()) {
      long n = counts[i++];
      if (n > 0) {
        String[] columnAndRule = e.getKey().split("\u0000", 2);
        violations.add(new Violation(table, columnAndRule[0], columnAndRule[1], n,
            Examples.of(t.rows().filter(e.getValue()), col(key))));
      }
    }
    if (shared[0] > 0) {
      violations.add(new Violation(table, String.join(", ", uniqueKey), "unique (rows sharing a key)", shared[0],
          Examples.of(Examples.sharedKeys(t.rows(), uniqueKey), col(key))));
    }
    if (!violations.isEmpty()) {
      throw Errors.badInput(ContractMessage.format(violations));
    }
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("rows", counts[0]);
    out.put("rows_unmatched", unmatched[0]);
    out.put("rows_after_as_of", counts[counts.length - 1]);
    return new Checked(s, t.rows().select(t.columns().stream().map(c -> col(c)).toArray(Column[]::new)), origin, out);
  }
}
