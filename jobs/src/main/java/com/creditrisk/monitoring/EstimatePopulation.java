package com.creditrisk.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.labels.LoanPerformance;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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
   * distinct PDs of the open windows.
   */
  static Dataset<Row> groups(Dataset<Row> marked) {
    Column open = col(WINDOW_OPEN).eqNullSafe(true);
    return marked.groupBy(col(AS_OF), col("model"), col("application_month"),
            when(open, col("pd").cast("double")).as(PD))
        .agg(COUNTS[0], java.util.Arrays.copyOfRange(COUNTS, 1, COUNTS.length));
  }

  /**
   * {@link #groups} on the driver: per date the {@link Counts} by "model|month" and, by model, the
   * open rows per distinct PD, ascending (NaN last); empty when there are more than
   * {@code maxGroups} groups (then nothing else was read: one pass spent).
   */
  static Optional<Summary> collect(Dataset<Row> groups, int maxGroups) {
    if (maxGroups < 1) {
      return Optional.empty();
    }
    // One partition, then the limit: one job (as ExpectedPerformance does).
    List<Row> rows = groups.coalesce(1).limit(maxGroups + 1).collectAsList();
    if (rows.size() > maxGroups) {
      return Optional.empty();
    }
    Map<LocalDate, Map<String, Counts>> counts = new TreeMap<>();
    Map<LocalDate, Map<String, TreeMap<Double, Long>>> pds = new TreeMap<>();
    for (Row r : rows) {
      LocalDate date = r.get(0) instanceof LocalDate d ? d : ((java.sql.Date) r.get(0)).toLocalDate();
      String model = r.getString(1);
      counts.computeIfAbsent(date, d -> new TreeMap<>()).merge(model + "|" + r.getString(2),
          new Counts(r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7)), Counts::plus);
      if (!r.isNullAt(3)) {
        pds.computeIfAbsent(date, d -> new TreeMap<>()).computeIfAbsent(model, m -> new TreeMap<>())
            .merge(r.getDouble(3), r.getLong(4), Long::sum);
      }
    }
    return Optional.of(new Summary(counts, pds));
  }

  /**
   * @param counts per as-of date, "model|month" -> {@link Counts}
   * @param pds per as-of date and model, the population's distinct PDs -> rows
   */
  record Summary(Map<LocalDate, Map<String, Counts>> counts, Map<LocalDate, Map<String, TreeMap<Double, Long>>> pds) {}

  /** "model|month" -> {@link Counts}: one aggregation of {@link #mark}'s rows, months x models to the driver. */
  static Map<String, Counts> counts(Dataset<Row> marked) {
    Map<String, Counts> out = new TreeMap<>();
    for (Row r : marked.groupBy("model", "application_month")
        .agg(COUNTS[0], java.util.Arrays.copyOfRange(COUNTS, 1, COUNTS.length)).collectAsList()) {
      out.put(r.getString(0) + "|" + r.getString(1), new Counts(r.getLong(2), r.getLong(3), r.getLong(4),
          r.getLong(5)));
    }
    return out;
  }

  /** The four {@link Counts} of {@link #mark}'s rows, in their order: one definition for both aggregations. */
  private static final Column[] COUNTS = {count(col(WINDOW_OPEN).eqNullSafe(true)),
      count(col("status").equalTo(STATUS_IMMATURE)),
      count(col(WINDOW_OPEN).eqNullSafe(true).and(col("status").equalTo(STATUS_BAD))),
      count(col(WINDOW_OPEN).isNull())};

  private static Column count(Column condition) {
    return sum(when(condition, 1L).otherwise(0L));
  }
}
