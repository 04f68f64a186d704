package com.creditrisk.kernel;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import com.creditrisk.io.SparkSessions;
import com.creditrisk.io.WarehouseTable;
import com.creditrisk.report.SmallCells;
import com.creditrisk.run.FinishedBuilds;
import com.creditrisk.run.RunFolder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * What a notebook cell calls (statically imported in every cell): the SparkSession, parameters,
 * Delta tables, and display of tables, charts, Markdown and HTML.
 */
public final class Notebook {
  private Notebook() {}

  /**
   * The session the jobs would build: the bundled defaults, then the profile named by
   * CREDIT_RISK_CONF (bin/install-kernel sets it in kernel.json), so spark.master, the warehouse
   * and the Spark settings come from the same file as the jobs' on this machine or cluster.
   */
  public static synchronized SparkSession spark() {
    return SparkSession.getActiveSession().getOrElse(() ->
        SparkSessions.getOrCreate(CreditRiskConfig.load(List.of(), List.of())));
  }

  /** warehouse.path of the kernel's config (CREDIT_RISK_CONF over the bundled defaults). */
  public static String configuredWarehouse() {
    return CreditRiskConfig.load(List.of(), List.of()).warehousePath();
  }

  /** The reports' small-cell rule with privacy.min_cell_count of the kernel's config. */
  public static SmallCells smallCellRule() {
    return new SmallCells(CreditRiskConfig.load(List.of(), List.of()).minCellCount());
  }

  /**
   * The reports' small-cell rule on a notebook's aggregate, whose printed output must obey it too
   * (DESIGN.md, "Data protection"): in each row whose count {@code nCol} is below
   * privacy.min_cell_count, every column but {@code keyCols} is null and the added column
   * {@code suppressed} says why (null in every row when the rule hides nothing: 0 or 1), so a
   * chart can keep to {@code where(col("suppressed").isNull())}. Spark expressions only, so it
   * stays one plan with the aggregate.
   */
  public static Dataset<Row> smallCells(Dataset<Row> df, String nCol, String... keyCols) {
    SmallCells rule = smallCellRule();
    Column small = rule.hides(0) ? small(rule, functions.col(nCol)) : functions.lit(false);
    Set<String> keys = Set.of(keyCols);
    List<Column> cols = new ArrayList<>();
    for (String c : df.columns()) {
      cols.add(keys.contains(c) ? functions.col(c) : functions.when(small.unary_$bang(), functions.col(c)).as(c));
    }
    cols.add(functions.when(small, functions.lit(rule.label())).as("suppressed"));
    return df.select(cols.toArray(new Column[0]));
  }

  /**
   * {@code value} where {@code count} reaches privacy.min_cell_count, else null: for the cells of a
   * pivot, e.g. {@code groupBy("risk_grade").pivot("model").agg(shown(count(lit(1)), avg("label")))}.
   */
  public static Column shown(Column count, Column value) {
    SmallCells rule = smallCellRule();
    return rule.hides(0) ? functions.when(small(rule, count).unary_$bang(), value) : value;
  }

  /** SmallCells#hides as a column: n below the minimum (only called when the rule hides anything). */
  private static Column small(SmallCells rule, Column n) {
    return n.lt(rule.minCellCount());
  }

  /** A notebook parameter: the environment variable if set, else the default. */
  public static String param(String name, String defaultValue) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? defaultValue : v;
  }

  /** A Delta table (folder or catalog table) of the warehouse. */
  public static Dataset<Row> delta(String warehouse, String table) {
    if (warehouse.isEmpty()) {
      return spark().table(table);
    }
    return spark().read().format("delta").load(warehouse + "/" + table);
  }

  /**
   * The rows of one as-of date of a table build-dataset writes (model_dataset, loan_performance)
   * at the Delta version the latest finished build-dataset run of the date names, the rule train
   * and score read by ({@link FinishedBuilds}): rows a killed build committed are never shown.
   * Exit 3 when no run of the date has finished.
   */
  public static Dataset<Row> finishedBuild(String warehouse, String table, String asOf) {
    WarehouseTable t = builtTable(table);
    CreditRiskConfig conf = warehouseConfig(warehouse);
    LocalDate date = LocalDate.parse(asOf);
    long version = FinishedBuilds.requireVersion(spark(), conf, t, date, "read " + table + " as of " + asOf);
    return t.readAsOf(spark(), conf, version, date);
  }

  /**
   * The as-of dates of a build-dataset table with a finished run, and those its latest version
   * holds rows of without one (left out): one small job over the as_of_date column, and one read
   * of the run records.
   */
  public static FinishedBuildDates finishedBuildDates(String warehouse, String table) {
    WarehouseTable t = builtTable(table);
    CreditRiskConfig conf = warehouseConfig(warehouse);
    SortedMap<LocalDate, Long> versions = FinishedBuilds.versions(spark(), conf, t);
    List<LocalDate> leftOut = new ArrayList<>();
    // One row per as-of date: the collect grows with the dates, not with the applications.
    for (Row r : delta(warehouse, table).select("as_of_date").distinct().orderBy("as_of_date").collectAsList()) {
      LocalDate d = r.getDate(0).toLocalDate();
      if (!versions.containsKey(d)) {
        leftOut.add(d);
      }
    }
    return new FinishedBuildDates(table, RunFolder.root(conf), versions, leftOut);
  }

  /** A table whose rows are an as-of date's build (Slice AS_OF: build-dataset's tables). */
  private static WarehouseTable builtTable(String table) {
    for (WarehouseTable t : WarehouseTable.values()) {
      if (t.tableName().equals(table) && t.slice() == WarehouseTable.Slice.AS_OF) {
        return t;
      }
    }
    throw Errors.badUsage("Invalid table " + table + ": build-dataset writes "
        + java.util.Arrays.stream(WarehouseTable.values()).filter(t -> t.slice() == WarehouseTable.Slice.AS_OF)
            .map(WarehouseTable::tableName).toList()
        + "; other tables are read with delta(warehouse, table)");
  }

  /**
   * The kernel's config with {@code warehouse} as warehouse.path: the run records that vouch for a
   * build are files under its runs folder, which a catalog table (an empty warehouse) does not have.
   */
  private static CreditRiskConfig warehouseConfig(String warehouse) {
    if (warehouse.isEmpty()) {
      throw Errors.badUsage("Invalid warehouse '': a finished build is read by its run record under "
          + "<warehouse>/runs, so the warehouse must be a folder, not the catalog");
    }
    return CreditRiskConfig.load(List.of(), List.of()).with(List.of("warehouse.path=" + warehouse));
  }

  /** Shows a DataFrame's first 20 rows as a table. */
  public static void show(Dataset<?> df) {
    show(df, SparkJavaKernel.DEFAULT_ROWS);
  }

  public static void show(Dataset<?> df, int rows) {
    publish(Tables.render(df, rows));
  }

  public static void markdown(String md) {
    DisplayData d = new DisplayData(md);
    d.putMarkdown(md);
    publish(d);
  }

  public static void html(String html) {
    DisplayData d = new DisplayData(html);
    d.putHTML(html);
    publish(d);
  }

  /**
   * A horizontal bar chart (SVG) of one numeric column against a label column, for the few dozen
   * rows an aggregate has: a score histogram, a bad rate by month or by grade.
   */
  public static void bars(Dataset<?> df, String labelCol, String valueCol, String title) {
    List<Row> rows = df.toDF().select(labelCol, valueCol).limit(BarChart.MAX_BARS).collectAsList();
    String[] labels = new String[rows.size()];
    double[] values = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      labels[i] = String.valueOf(rows.get(i).get(0));
      Object v = rows.get(i).get(1);
      values[i] = v == null ? 0.0 : ((Number) v).doubleValue();
    }
    DisplayData d = new DisplayData(BarChart.text(title, labels, values));
    d.putSVG(BarChart.svg(title, labels, values));
    publish(d);
  }

  private static void publish(DisplayData d) {
    SparkJavaKernel k = SparkJavaKernel.running();
    if (k != null && k.getIO().display.isAttached()) {
      k.display(d);
    } else {
      // Outside a kernel (a test, a plain JShell): the text form.
      System.out.print(d.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
      System.out.println();
    }
  }
}
