package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.contract.ContractRule;
import com.creditrisk.contract.ContractRule.Unique;
import com.creditrisk.contract.InputContract;
import com.creditrisk.contract.InputTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The snapshot rules, as flags on the snapshots, to be summed as the feature pass reads them, and
 * the key check, summed over the rows of {@link com.creditrisk.features.ScoreFeatures#lookBack}:
 * the largest table is then read and shuffled once, for its checks and its features together.
 */
public final class SnapshotChecks {
  /** The columns the feature pass reads: when one is broken the pass cannot run. */
  static final List<String> COLUMNS = List.of("customer_id", "score_time", "score");

  private final RawInput in;
  private final List<CheckedRule> rules;
  private final ContractRule unique;
  private final AsOfCounts asOf;
  private final List<String> conditions;
  private final Optional<ContractRule> usableScore;
  private final Dataset<Row> appsAsOf;

  /**
   * @param rules the row rules, checked by the flags
   * @param unique the rule on (customer_id, score_time), checked by the feature pass's sort
   * @param usableScore the rule that some application has a usable score, unless the applications
   *     lack a column the feature pass reads
   * @param appsAsOf the applications as of the date, for the examples of that rule
   */
  SnapshotChecks(RawInput in, List<CheckedRule> rules, ContractRule unique, AsOfCounts asOf,
      Optional<ContractRule> usableScore, Dataset<Row> appsAsOf) {
    if (rules.size() + asOf.conditions().size() > 31) {
      throw new IllegalArgumentException("Too many snapshot rules for one flag column: " + rules.size());
    }
    this.in = in;
    this.rules = List.copyOf(rules);
    if (!((Unique) unique.check()).columns().equals(List.of("customer_id", "score_time"))) {
      // duplicateMetric() reads the feature pass's flag for rows sharing customer and time.
      throw new IllegalArgumentException("The feature pass checks (customer_id, score_time), not " + unique.column());
    }
    this.unique = unique;
    this.asOf = asOf;
    this.conditions = List.copyOf(asOf.conditions().keySet());
    this.usableScore = usableScore;
    this.appsAsOf = appsAsOf;
  }

  /** Whether the feature pass can run, given the columns reported broken ("table.column"). */
  static boolean canRun(java.util.Set<String> broken) {
    return COLUMNS.stream().noneMatch(c -> broken.contains(InputTable.SCORE_SNAPSHOTS.tableName() + "." + c));
  }

  /**
   * customer_id, score_time and score of the snapshots with the rule results packed into one int
   * column {@code __snap_flags} (bit i: rule i fails; the bits after the rules: the row is dated
   * after the as-of date, per condition), for {@link #rowMetrics()} to aggregate before the
   * feature pass drops it.
   */
  public Dataset<Row> flagged() {
    Column flags = lit(0);
    for (int i = 0; i < rules.size(); i++) {
      flags = flags.plus(when(coalesce(rules.get(i).failing(), lit(false)), lit(1 << i)).otherwise(lit(0)));
    }
    for (int j = 0; j < conditions.size(); j++) {
      flags = flags.plus(when(coalesce(asOf.conditions().get(conditions.get(j)), lit(false)),
          lit(1 << (rules.size() + j))).otherwise(lit(0)));
    }
    return in.typed().select(col("customer_id"), col("score_time"), col("score"), flags.as("__snap_flags"));
  }

  /**
   * Aggregates over the rows of {@link #flagged()}: rows, dates and rule counts. They need no
   * order, so they are observed as the snapshots are read, and the flags never travel through the
   * feature sort: every sorted row is one field narrower.
   */
  public List<Column> rowMetrics() {
    List<Column> m = new ArrayList<>();
    m.add(count(lit(1)).as("rows"));
    m.add(max(asOf.latest()).as("latest"));
    for (int j = 0; j < conditions.size(); j++) {
      m.add(sum(when(bit(rules.size() + j), 1L).otherwise(0L)).as(conditions.get(j)));
    }
    for (int i = 0; i < rules.size(); i++) {
      m.add(sum(when(bit(i), 1L).otherwise(0L)).as("rule_" + i));
    }
    return m;
  }

  /** The aggregate over the rows of the feature pass that counts snapshots sharing customer and time. */
  public Column duplicateMetric() {
    return sum(when(col("duplicate_snapshot").and(col("customer_id").isNotNull())
        .and(col("__t").isNotNull()), 1L).otherwise(0L)).as("duplicates");
  }

  /**
   * Aggregates over the applications with their score features (the feature pass's output): how
   * many there are and how many have a usable score.
   */
  public static List<Column> scoreUseMetrics() {
    return List.of(count(lit(1)).as("applications"), count(col("score_at_application")).as("with_score"));
  }

  private static Column bit(int i) {
    return col("__snap_flags").bitwiseAND(1 << i).notEqual(0);
  }

  /** Reads the pass's metrics into violations, counts and the latest date. */
  void collect(Map<String, Object> observed, Map<String, Object> duplicateMetrics, List<Violation> out,
      Map<String, Long> counts, List<LocalDate> latest) {
    counts.put("rows", Examples.number(observed.get("rows")));
    for (String c : conditions) {
      counts.put(c, Examples.number(observed.get(c)));
    }
    Examples.addDate(observed.get("latest"), latest);
    Column key = InputContract.exampleKey(InputTable.SCORE_SNAPSHOTS);
    for (int i = 0; i < rules.size(); i++) {
      long n = Examples.number(observed.get("rule_" + i));
      if (n > 0) {
        CheckedRule rule = rules.get(i);
        out.add(new Violation(InputTable.SCORE_SNAPSHOTS.tableName(), rule.column(), rule.wording(), n,
            Examples.of(in.typed().filter(rule.failing()), key)));
      }
    }
    Examples.reportSharedKeys(in, unique, Examples.number(duplicateMetrics.get("duplicates")), out);
    long applications = Examples.number(duplicateMetrics.get("applications"));
    // No application as of the date is a usage error of --as-of (exit 2), decided by the job.
    if (usableScore.isPresent() && applications > 0 && Examples.number(duplicateMetrics.get("with_score")) == 0) {
      ContractRule r = usableScore.get();
      out.add(new Violation(r.table().tableName(), r.column(), r.wording(), applications,
          Examples.of(appsAsOf, col("application_id")), "application"));
    }
  }
}
