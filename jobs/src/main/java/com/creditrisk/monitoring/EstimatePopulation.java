package com.creditrisk.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.labels.LoanPerformance;
import com.creditrisk.metrics.ExpectedPerformance;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The applications an estimate from the PDs is made over, at one as-of date: every disbursed
 * application whose outcome window has not ended at that date, the immature ones and the ones
 * already bad before their window ended (early bads), with their unconditional PDs.
 *
 * <p>Leaving the early bads out would select on the outcome: a PD is the probability of going bad
 * over the whole window, but the applications still immature are the ones that have not gone bad
 * yet, whose chance of going bad is lower. Their mean PD then overstates what they realise, and
 * more so for older months, which have shown more of their bads. Over every application of the
 * open windows the mean PD is what the labels realise once the windows end.
 *
 * <p>"Window not ended" is the labels' own rule, read, not re-derived: loan_performance's
 * {@code mature} of the same as-of date (window_end on or before the date). scored_applications
 * keeps the status (bad early or bad at maturity look the same there) but not the window.
 */
final class EstimatePopulation {
  /** The label statuses of a disbursed application that can still be inside its window. */
  static final String STATUS_IMMATURE = LoanPerformance.STATUS_IMMATURE;
  static final String STATUS_BAD = LoanPerformance.STATUS_BAD;
  /** loan_performance's column: the outcome window ended on or before the as-of date. */
  static final String MATURE = "mature";
  /** Added by {@link #mark}: true when the window is open, false when ended, null when not known. */
  static final String WINDOW_OPEN = "window_open";
  /** Added by {@link #groups}: the PD of an open row, the key of the estimate's groups. */
  static final String PD = "open_pd";
  static final String AS_OF = "as_of_date";

  private EstimatePopulation() {}

  /**
   * Per model and application month of one as-of date.
   *
   * @param open applications in the population (window open)
   * @param immature applications still immature (without a label), whether their window is known
   *     or not: a month with one is not settled
   * @param knownBad of those, already bad (label 1 before the window ended)
   * @param unknown immature or bad applications without a loan_performance row of the date, whose
   *     window cannot be told; left out of the population
   */
  record Counts(long open, long immature, long knownBad, long unknown) {
    static final Counts NONE = new Counts(0, 0, 0, 0);

    Counts plus(Counts o) {
      return new Counts(open + o.open, immature + o.immature, knownBad + o.knownBad, unknown + o.unknown);
    }
  }

  /**
   * The rows of {@code slice} (application_id, status, ...) that can be in the population, with
   * {@link #WINDOW_OPEN} from {@code loanPerformance}, that date's rows of loan_performance (one
   * per loan: application_id, mature). One join of the immature and bad rows to the loans.
   */
  static Dataset<Row> mark(Dataset<Row> slice, Dataset<Row> loanPerformance) {
    // Many dates at once: each row meets its own date's loan_performance row.
    List<String> keys = List.of(slice.columns()).contains(AS_OF) ? List.of(AS_OF, "application_id")
        : List.of("application_id");
    List<Column> cols = new ArrayList<>(keys.stream().map(k -> col(k)).toList());
    cols.add(not(col(MATURE)).as(WINDOW_OPEN));
    Dataset<Row> windows = loanPerformance.select(cols.toArray(new Column[0]));
    return slice.where(col("status").isin(STATUS_IMMATURE, STATUS_BAD))
        .join(windows, CollectionConverters.asScala(keys).toSeq(), "left");
  }

  /** The population of {@link #mark}'s rows: the applications whose window is open. */
  static Dataset<Row> of(Dataset<Row> marked) {
    return marked.where(col(WINDOW_OPEN));
  }

  /**
   * The one aggregation of {@link #mark}'s rows of every date: per as-of date, model, month and
   * distinct PD of the open rows ({@link #PD}, null for the rows out of the population and the
   * open rows without a PD), the four {@link Counts}. Rows: months x models x dates, times the
   * distinct PDs of the open windows; {@link #summarise} takes them.
   */
  static Dataset<Row> groups(Dataset<Row> marked) {
    Column open = col(WINDOW_OPEN).eqNullSafe(true);
    return marked.groupBy(col(AS_OF), col("model"), col("application_month"),
            when(open, col("pd").cast("double")).as(PD))
        .agg(COUNTS[0], java.util.Arrays.copyOfRange(COUNTS, 1, COUNTS.length));
  }

  /**
   * Every estimate and every {@link Counts} of {@link #groups}, in one pass over the rows it
   * aggregates: the groups are cached, and brought to the driver when they are at most
   * {@code in.maxGroups()} (one job); else the counts are summed per date, model and month on Spark
   * (dates x models x months rows to the driver) and the estimates computed by one keyed sweep
   * over the groups per date, model and distinct PD ({@link ExpectedPerformance#byKey}), both over
   * the cached groups. The same answers, to the last digit, either way.
   *
   * @param in names the table and the PD column in errors, and bounds the groups brought to the driver
   */
  static Summary summarise(Dataset<Row> groups, ExpectedPerformance.Input in) {
    Dataset<Row> cached = groups.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One partition, then the limit: one job (as ExpectedPerformance does).
      List<Row> rows = cached.coalesce(1).limit(in.maxGroups() + 1).collectAsList();
      if (rows.size() <= in.maxGroups()) {
        return fromRows(rows, in);
      }
      Map<LocalDate, Map<String, ExpectedPerformance.Estimate>> estimates = new TreeMap<>();
      Dataset<Row> pds = cached.where(col(PD).isNotNull()).groupBy(col(AS_OF), col("model"), col(PD))
          .agg(sum(col(OPEN)).as("n")).select(col(AS_OF), col("model"), col(PD), col("n"), lit(0L).as("labelled"),
              lit(0L).as("bads"));
      ExpectedPerformance.byKey(pds, 2, in).results().forEach((key, r) -> estimates
          .computeIfAbsent(date(key.get(0)), d -> new TreeMap<>()).put((String) key.get(1), r.all()));
      return new Summary(counts(cached), estimates, true);
    } finally {
      cached.unpersist();
    }
  }

  /** {@link #summarise} of the groups brought to the driver. */
  private static Summary fromRows(List<Row> rows, ExpectedPerformance.Input in) {
    Map<LocalDate, Map<String, Counts>> counts = new TreeMap<>();
    Map<LocalDate, Map<String, TreeMap<Double, Long>>> pds = new TreeMap<>();
    for (Row r : rows) {
      LocalDate date = date(r.get(0));
      String model = r.getString(1);
      counts.computeIfAbsent(date, d -> new TreeMap<>()).merge(model + "|" + r.getString(2),
          new Counts(r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7)), Counts::plus);
      if (!r.isNullAt(3)) {
        pds.computeIfAbsent(date, d -> new TreeMap<>()).computeIfAbsent(model, m -> new TreeMap<>())
            .merge(r.getDouble(3), r.getLong(4), Long::sum);
      }
    }
    Map<LocalDate, Map<String, ExpectedPerformance.Estimate>> estimates = new TreeMap<>();
    pds.forEach((date, byModel) -> byModel.forEach((model, groups) -> {
      double[] p = new double[groups.size()];
      long[] n = new long[groups.size()];
      int k = 0;
      for (Map.Entry<Double, Long> e : groups.entrySet()) {
        p[k] = e.getKey();
        n[k++] = e.getValue();
      }
      estimates.computeIfAbsent(date, d -> new TreeMap<>()).put(model,
          ExpectedPerformance.fromGroups(p, n, new long[k], new long[k], in).all());
    }));
    return new Summary(counts, estimates, false);
  }

  /**
   * @param counts per as-of date, "model|month" -> {@link Counts}
   * @param estimates per as-of date and model, the estimate over its population (absent: no row with a PD)
   * @param keyed whether the groups exceeded the bound and the estimates ran as one keyed sweep
   */
  record Summary(Map<LocalDate, Map<String, Counts>> counts,
      Map<LocalDate, Map<String, ExpectedPerformance.Estimate>> estimates, boolean keyed) {
    /** The estimate of a date and model; that of no rows when its population has no PD. */
    ExpectedPerformance.Estimate estimate(LocalDate date, String model) {
      return estimates.getOrDefault(date, Map.of()).getOrDefault(model, NONE);
    }
  }

  private static final ExpectedPerformance.Estimate NONE = ExpectedPerformance.fromCounts(new double[0], new long[0]);

  /** Per date, "model|month" -> {@link Counts} of {@link #groups}: dates x models x months rows to the driver. */
  static Map<LocalDate, Map<String, Counts>> counts(Dataset<Row> groups) {
    Map<LocalDate, Map<String, Counts>> out = new TreeMap<>();
    for (Row r : groups.groupBy(AS_OF, "model", "application_month")
        .agg(sum(OPEN), sum(IMMATURE), sum(KNOWN_BAD), sum(UNKNOWN)).collectAsList()) {
      out.computeIfAbsent(date(r.get(0)), d -> new TreeMap<>()).put(r.getString(1) + "|" + r.getString(2),
          new Counts(r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6)));
    }
    return out;
  }

  private static LocalDate date(Object value) {
    return value instanceof LocalDate d ? d : ((java.sql.Date) value).toLocalDate();
  }

  /** {@link #groups}' columns of the four {@link Counts}, in their order. */
  private static final String OPEN = "open";
  private static final String IMMATURE = "immature";
  private static final String KNOWN_BAD = "known_bad";
  private static final String UNKNOWN = "unknown";

  /** The four {@link Counts} of {@link #mark}'s rows, in their order. */
  private static final Column[] COUNTS = {count(col(WINDOW_OPEN).eqNullSafe(true)).as(OPEN),
      count(col("status").equalTo(STATUS_IMMATURE)).as(IMMATURE),
      count(col(WINDOW_OPEN).eqNullSafe(true).and(col("status").equalTo(STATUS_BAD))).as(KNOWN_BAD),
      count(col(WINDOW_OPEN).isNull()).as(UNKNOWN)};

  private static Column count(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }
}
