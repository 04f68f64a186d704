package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.bit_count;
import static org.apache.spark.sql.functions.bit_or;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.errors.Errors;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Checks every input against the contract on the full data and collects every problem before
 * failing once (exit 3), so the lender fixes the extract in one round. Row rules of a table are
 * evaluated in one aggregate pass; keys and references need one grouped pass each. The passes over
 * the smaller tables run as one query; the two largest inputs are checked inside the passes that
 * compute from them ({@link SnapshotChecks}, {@link RepaymentChecks}).
 */
public final class ContractValidator {
  private static final int EXAMPLES = 3;

  /** One row rule: the column it is about, its wording, and the condition true on a bad row. */
  record Rule(String column, String rule, Column failing) {}

  /**
   * A key that must be unique, checked in the same pass as the row rules: rows are grouped by the
   * key first and the rule counts summed per group, so the table is scanned and shuffled once.
   */
  record Unique(String columns, List<String> keyColumns, Column exampleKey) {}

  private ContractValidator() {}

  /**
   * The checks of every table but score_snapshots and repayments, already run, and the checks of
   * those two, which the caller evaluates in its own passes over them ({@link SnapshotChecks},
   * {@link RepaymentChecks}).
   *
   * @param repaymentsAt where the repayment violations go among {@code violations}, so the message
   *     lists the tables in the same order whichever pass checked them
   */
  public record Pending(List<Violation> violations, Map<String, Map<String, Long>> counts, List<LocalDate> latest,
      Map<InputTable, RawInput> inputs, SnapshotChecks snapshotChecks, RepaymentChecks repaymentChecks,
      int repaymentsAt) {
    /** Releases what the pending checks keep on disk; call once their pass has been run and read. */
    public void release() {
      if (repaymentChecks != null) {
        repaymentChecks.loanKeys.unpersist();
      }
    }
  }

  /**
   * The snapshot rules, as flags on the snapshots, to be summed as the feature pass reads them, and
   * the key check, summed over the rows of {@link com.creditrisk.features.ScoreFeatures#lookBack}:
   * the largest table is then read and shuffled once, for its checks and its features together.
   */
  public static final class SnapshotChecks {
    private final RawInput in;
    private final List<Rule> rules;
    private final Column key;
    private final Column asOfEnd;

    private static final int AFTER_AS_OF_BIT = 30;

    SnapshotChecks(RawInput in, List<Rule> rules, Column key, Column asOfEnd) {
      if (rules.size() >= AFTER_AS_OF_BIT) {
        throw new IllegalArgumentException("Too many snapshot rules for one flag column: " + rules.size());
      }
      this.in = in;
      this.rules = List.copyOf(rules);
      this.key = key;
      this.asOfEnd = asOfEnd;
    }

    /**
     * customer_id, score_time and score of the snapshots with the rule results packed into one int
     * column {@code __snap_flags} (bit i: rule i fails; bit {@link #AFTER_AS_OF_BIT}: dated after the
     * as-of date), for {@link #rowMetrics()} to aggregate before the feature pass drops it.
     */
    public Dataset<Row> flagged() {
      Column flags = when(coalesce(col("score_time").geq(asOfEnd), lit(false)), lit(1 << AFTER_AS_OF_BIT))
          .otherwise(lit(0));
      for (int i = 0; i < rules.size(); i++) {
        flags = flags.plus(when(coalesce(rules.get(i).failing(), lit(false)), lit(1 << i)).otherwise(lit(0)));
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
      m.add(max(to_date(col("score_time"))).as("latest"));
      m.add(sum(when(bit(AFTER_AS_OF_BIT), 1L).otherwise(0L)).as("after_as_of"));
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

    private static Column bit(int i) {
      return col("__snap_flags").bitwiseAND(1 << i).notEqual(0);
    }

    private void collect(Map<String, Object> observed, Map<String, Object> duplicateMetrics, List<Violation> out,
        Map<String, Long> counts, List<LocalDate> latest) {
      counts.put("rows", number(observed.get("rows")));
      counts.put("after_as_of", number(observed.get("after_as_of")));
      addDate(observed.get("latest"), latest);
      for (int i = 0; i < rules.size(); i++) {
        long n = number(observed.get("rule_" + i));
        if (n > 0) {
          Rule rule = rules.get(i);
          out.add(new Violation("score_snapshots", rule.column(), rule.rule(), n,
              examples(in.typed().filter(rule.failing()), key)));
        }
      }
      duplicates(in, "customer_id", "score_time", number(duplicateMetrics.get("duplicates")), key, out);
    }
  }

  /**
   * Reports {@code rows} rows sharing a two-column key found by a pass, with example keys: a second
   * look at the table, only when the pass found some.
   */
  private static void duplicates(RawInput in, String first, String second, long rows, Column key,
      List<Violation> out) {
    if (rows > 0) {
      Dataset<Row> g = in.typed().filter(col(first).isNotNull().and(col(second).isNotNull()))
          .groupBy(first, second).agg(count(lit(1)).as("__n")).filter(col("__n").gt(1));
      out.add(new Violation(in.table().tableName(), first + ", " + second, "unique (rows sharing a key)", rows,
          examples(g, key)));
    }
  }

  /** An observed count; none when the pass did not run. */
  private static long number(Object o) {
    return o == null ? 0L : ((Number) o).longValue();
  }

  /** An observed date, as the observation returns it (java.sql.Date or LocalDate), if any. */
  private static void addDate(Object observed, List<LocalDate> dates) {
    if (observed instanceof java.sql.Date d) {
      dates.add(d.toLocalDate());
    } else if (observed instanceof LocalDate d) {
      dates.add(d);
    }
  }

  /**
   * The repayment rules, to be evaluated in the pass that also computes the loans' days past due
   * ({@link com.creditrisk.labels.LoanPerformance#dpdByLoan}): the repayments, the largest input
   * after the snapshots, are then shuffled once (by loan_id, joined with the loan keys), for their
   * checks and their labels together.
   */
  public static final class RepaymentChecks {
    private final RawInput in;
    private final List<Rule> rowRules;
    private final List<Rule> loanRules;
    private final Dataset<Row> loanKeys;
    private final Column key;
    private final Column asOfDate;

    RepaymentChecks(RawInput in, List<Rule> rowRules, List<Rule> loanRules, Dataset<Row> loanKeys, Column key,
        Column asOfDate) {
      if (rowRules.size() + loanRules.size() > 31) {
        throw new IllegalArgumentException("Too many repayment rules for one flag column: "
            + (rowRules.size() + loanRules.size()));
      }
      this.in = in;
      this.rowRules = List.copyOf(rowRules);
      this.loanRules = List.copyOf(loanRules);
      this.loanKeys = loanKeys;
      this.key = key;
      this.asOfDate = asOfDate;
    }

    /**
     * The contract columns the labels need (loan_id, installment_no, due_date, amount_due,
     * amount_paid, paid_date), the loan's {@code __loan_disbursed} (null for an unknown loan), and
     * the rule results packed into one int column {@code __rep_flags} (bit i: rule i fails). The
     * rules on the row alone are packed before the join, so the shuffle carries one int instead of
     * a pair of flags per column; the rules against the loan are added after it.
     */
    public Dataset<Row> flagged() {
      Column rowFlags = lit(0);
      for (int i = 0; i < rowRules.size(); i++) {
        rowFlags = rowFlags.plus(when(coalesce(rowRules.get(i).failing(), lit(false)), lit(1 << i)).otherwise(lit(0)));
      }
      Column flags = col("__rep_flags");
      for (int i = 0; i < loanRules.size(); i++) {
        flags = flags.plus(when(coalesce(loanRules.get(i).failing(), lit(false)), lit(1 << (rowRules.size() + i)))
            .otherwise(lit(0)));
      }
      return in.typed()
          .select(col("loan_id"), col("installment_no"), col("due_date"), col("amount_due"), col("amount_paid"),
              col("paid_date"), rowFlags.as("__rep_flags"))
          // A hash join on the (smaller) loan keys: a sort-merge join would sort every repayment
          // row only for the join, while the aggregates that follow are hash aggregates.
          .join(loanKeys.select(col("loan_id"), col("__loan_rows"), col("__loan_disbursed")).hint("shuffle_hash"),
              "loan_id", "left")
          .select(col("loan_id"), col("installment_no"), col("due_date"), col("amount_due"), col("amount_paid"),
              col("paid_date"), col("__loan_disbursed"), flags.as("__rep_flags"));
    }

    /** Aggregates over the rows of {@link #flagged()}: rows, dates and rule counts. */
    public List<Column> rowMetrics() {
      List<Column> m = new ArrayList<>();
      m.add(count(lit(1)).as("rows"));
      m.add(max(col("paid_date")).as("latest"));
      m.add(sum(when(col("due_date").gt(asOfDate), 1L).otherwise(0L)).as("after_as_of"));
      m.add(sum(when(col("paid_date").gt(asOfDate), 1L).otherwise(0L)).as("paid_after_as_of"));
      for (int i = 0; i < rowRules.size() + loanRules.size(); i++) {
        m.add(sum(when(col("__rep_flags").bitwiseAND(1 << i).notEqual(0), 1L).otherwise(0L)).as("rule_" + i));
      }
      return m;
    }

    /**
     * Per-loan aggregates over the rows of {@link #flagged()} that prove a loan's installment
     * numbers distinct without grouping by (loan_id, installment_no): one bit per number seen
     * (numbers 0 to 63), and how many rows have a number. The numbers are distinct when as many
     * bits are set as there are numbered rows; a number out of that range, or a repeated one,
     * leaves fewer bits. Grouping the rows by their key instead would build a hash table with one
     * entry per installment, the largest of the job.
     */
    public static List<Column> keyProof() {
      Column n = col("installment_no");
      return List.of(
          count(n).as("__numbered"),
          bit_or(when(n.between(0, 63), call_function("shiftleft", lit(1L), n))).as("__numbers"));
    }

    /** Over per-loan rows with {@link #keyProof()}: the loans whose installment numbers are not proven distinct. */
    public static Column unprovenKeysMetric() {
      return sum(when(col("loan_id").isNotNull()
          .and(coalesce(bit_count(col("__numbers")), lit(0)).notEqual(col("__numbered"))), 1L).otherwise(0L))
          .as("unproven_loans");
    }

    /**
     * Rows that share a (loan_id, installment_no) key: a second look at the table, only when
     * {@link #unprovenKeysMetric()} found loans whose numbers are not proven distinct.
     */
    private long duplicateRows() {
      Dataset<Row> g = in.typed().filter(col("loan_id").isNotNull().and(col("installment_no").isNotNull()))
          .groupBy("loan_id", "installment_no").agg(count(lit(1)).as("__n")).filter(col("__n").gt(1));
      return g.agg(coalesce(sum(col("__n")), lit(0L))).first().getLong(0);
    }

    private void collect(Map<String, Object> rowMetrics, Map<String, Object> keyMetrics, List<Violation> out,
        Map<String, Long> counts, List<LocalDate> latest) {
      counts.put("rows", number(rowMetrics.get("rows")));
      counts.put("after_as_of", number(rowMetrics.get("after_as_of")));
      counts.put("paid_after_as_of", number(rowMetrics.get("paid_after_as_of")));
      addDate(rowMetrics.get("latest"), latest);
      List<Rule> rules = new ArrayList<>(rowRules);
      rules.addAll(loanRules);
      // Examples only when a rule fails: a second look at the failing rows, never on valid inputs.
      Dataset<Row> checked = in.typed().join(loanKeys, "loan_id", "left");
      for (int i = 0; i < rules.size(); i++) {
        long n = number(rowMetrics.get("rule_" + i));
        if (n > 0) {
          Rule rule = rules.get(i);
          out.add(new Violation("repayments", rule.column(), rule.rule(), n,
              examples(checked.filter(rule.failing()), key)));
        }
      }
      long duplicateRows = number(keyMetrics.get("unproven_loans")) == 0 ? 0L : duplicateRows();
      duplicates(in, "loan_id", "installment_no", duplicateRows, key, out);
    }
  }

  /**
   * Runs the checks of every table except the snapshots' row and key rules, which come back as
   * {@link SnapshotChecks} for the caller's pass; {@link #finish} then reports everything at once.
   *
   * @param asOf the run's as-of date; only used to count rows dated after it
   * <p>{@link Pending#snapshotChecks()} is null when the snapshots lack a column their pass needs;
   * the inputs are then invalid anyway, and {@link #finish} reports every problem found.
   */
  public static Pending check(Map<InputTable, RawInput> inputs, CreditRiskConfig conf, LocalDate asOf) {
    List<Violation> violations = new ArrayList<>();
    // A missing or mistyped column is reported, and every rule that needs it is skipped; all other
    // rules still run, so one message lists every problem found.
    Set<String> broken = new HashSet<>();
    for (RawInput in : inputs.values()) {
      violations.addAll(in.schemaViolations());
      in.schemaViolations().forEach(v -> broken.add(v.table() + "." + v.column()));
    }
    Predicate<String> ok = q -> !broken.contains(q);
    RawInput snaps = inputs.get(InputTable.SCORE_SNAPSHOTS);
    RawInput apps = inputs.get(InputTable.APPLICATIONS);
    RawInput loans = inputs.get(InputTable.LOANS);
    RawInput reps = inputs.get(InputTable.REPAYMENTS);
    Optional<RawInput> events = Optional.ofNullable(inputs.get(InputTable.LOAN_EVENTS));

    Column asOfEnd = lit(asOf.plusDays(1).toString()).cast(DataTypes.TimestampType);
    Column asOfDate = lit(asOf.toString()).cast(DataTypes.DateType);

    Dataset<Row> appKeys = apps.typed().filter(col("application_id").isNotNull())
        .groupBy("application_id")
        .agg(count(lit(1)).as("__app_rows"),
            max(when(col("decision").equalTo("approved"), 1).otherwise(0)).as("__app_approved"))
        // Used by two checks, and loanKeys by four: computed once each, kept on disk, not on the heap.
        .persist(StorageLevel.DISK_ONLY());
    Dataset<Row> loanKeys = loans.typed().filter(col("loan_id").isNotNull())
        .groupBy("loan_id")
        .agg(count(lit(1)).as("__loan_rows"), min("disbursed_date").as("__loan_disbursed"),
            min("application_id").as("__loan_application"))
        .persist(StorageLevel.DISK_ONLY());

    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    List<LocalDate> latest = new ArrayList<>();
    Batch batch = new Batch();

    boolean loanKeysOk = ok.test("loans.loan_id") && ok.test("loans.disbursed_date")
        && ok.test("loans.application_id");
    boolean appKeysOk = ok.test("applications.application_id") && ok.test("applications.decision");

    // score_snapshots
    List<Rule> r = new ArrayList<>(basicRules(snaps, broken));
    addIf(r, ok.test("score_snapshots.score"), new Rule("score", "score within [" + conf.scoreMin() + ", " + conf.scoreMax() + "] (score.min..score.max)",
        col("score").isNotNull().and(col("score").lt(conf.scoreMin()).or(col("score").gt(conf.scoreMax())))));
    Column snapKey = concat_ws("@", col("customer_id"), date_format(col("score_time"), "yyyy-MM-dd HH:mm:ss"));
    SnapshotChecks snapshotChecks = null;
    if (ok.test("score_snapshots.customer_id") && ok.test("score_snapshots.score_time")
        && ok.test("score_snapshots.score")) {
      snapshotChecks = new SnapshotChecks(snaps, r, snapKey, asOfEnd);
    } else {
      // No feature pass can run without these columns; check what can be checked on its own.
      rowPass(batch, snaps.typed(), "score_snapshots", r, snapKey, to_date(col("score_time")),
          Map.of("after_as_of", col("score_time").geq(asOfEnd)), Optional.empty(), violations, counts, latest);
    }

    // applications
    r = new ArrayList<>(basicRules(apps, broken));
    addIf(r, ok.test("applications.requested_amount"), new Rule("requested_amount", "requested_amount > 0",
        col("requested_amount").isNotNull().and(col("requested_amount").leq(0))));
    addIf(r, ok.test("applications.term_months"),
        new Rule("term_months", "term_months > 0", col("term_months").isNotNull().and(col("term_months").leq(0))));
    addIf(r, ok.test("applications.decision"), new Rule("decision", "decision in (approved, rejected)",
        col("decision").isNotNull().and(col("decision").isin("approved", "rejected").unary_$bang())));
    addIf(r, ok.test("applications.decision") && ok.test("applications.loan_id"),
        new Rule("loan_id", "loan_id set only when approved",
        col("loan_id").isNotNull().and(col("decision").equalTo("rejected"))));
    boolean appLoanRefs = loanKeysOk && ok.test("applications.loan_id") && ok.test("applications.decision");
    addIf(r, appLoanRefs, new Rule("loan_id", "loan_id refers to an unknown loan",
        col("loan_id").isNotNull().and(col("__loan_rows").isNull())));
    addIf(r, appLoanRefs, new Rule("loan_id", "loan_id refers to a loan of another application",
        col("__loan_rows").isNotNull().and(col("__loan_application").notEqual(col("application_id")))
            // A rejected application's loan_id is already reported by the rule above.
            .and(col("decision").notEqual("rejected"))));
    Dataset<Row> appsChecked = appLoanRefs
        ? apps.typed().join(loanKeys.select(col("loan_id"), col("__loan_rows"), col("__loan_application")),
            "loan_id", "left")
        : apps.typed();
    rowPass(batch, appsChecked, "applications", r, col("application_id"), to_date(col("application_time")),
        Map.of("after_as_of", col("application_time").geq(asOfEnd)), Optional.empty(), violations, counts, latest);
    if (ok.test("applications.application_id")) {
      duplicateKeys(batch, appKeys, "applications", "application_id", col("application_id"), col("__app_rows"), violations);
    }

    // loans
    r = new ArrayList<>(basicRules(loans, broken));
    addIf(r, ok.test("loans.principal"),
        new Rule("principal", "principal > 0", col("principal").isNotNull().and(col("principal").leq(0))));
    addIf(r, ok.test("loans.annual_rate"),
        new Rule("annual_rate", "annual_rate >= 0", col("annual_rate").isNotNull().and(col("annual_rate").lt(0))));
    addIf(r, ok.test("loans.term_months"),
        new Rule("term_months", "term_months > 0", col("term_months").isNotNull().and(col("term_months").leq(0))));
    boolean loanAppRefs = appKeysOk && ok.test("loans.application_id");
    addIf(r, loanAppRefs, new Rule("application_id", "application_id refers to an unknown application",
        col("application_id").isNotNull().and(col("__app_rows").isNull())));
    addIf(r, loanAppRefs, new Rule("application_id", "application_id refers to an application that was not approved",
        col("__app_rows").isNotNull().and(col("__app_approved").equalTo(0))));
    Dataset<Row> loansChecked = loanAppRefs ? loans.typed().join(appKeys, "application_id", "left") : loans.typed();
    // Joined on application_id, so grouping by it for "one loan per application" needs no new shuffle.
    rowPass(batch, loansChecked, "loans", r, col("loan_id"), col("disbursed_date"),
        Map.of("after_as_of", col("disbursed_date").gt(asOfDate)),
        ok.test("loans.application_id")
            ? Optional.of(new Unique("application_id (one loan per application)", List.of("application_id"),
                col("application_id")))
            : Optional.empty(),
        violations, counts, latest);
    if (ok.test("loans.loan_id")) {
      duplicateKeys(batch, loanKeys, "loans", "loan_id", col("loan_id"), col("__loan_rows"), violations);
    }

    // repayments
    r = new ArrayList<>(basicRules(reps, broken));
    addIf(r, ok.test("repayments.installment_no"), new Rule("installment_no", "installment_no >= 1",
        col("installment_no").isNotNull().and(col("installment_no").lt(1))));
    addIf(r, ok.test("repayments.amount_due"),
        new Rule("amount_due", "amount_due >= 0", col("amount_due").isNotNull().and(col("amount_due").lt(0))));
    addIf(r, ok.test("repayments.amount_paid"),
        new Rule("amount_paid", "amount_paid >= 0", col("amount_paid").isNotNull().and(col("amount_paid").lt(0))));
    boolean repLoanRefs = loanKeysOk && ok.test("repayments.loan_id");
    // Rules against the repayment's loan: they need the join with the loan keys.
    List<Rule> repLoanRules = new ArrayList<>();
    addIf(repLoanRules, repLoanRefs, new Rule("loan_id", "loan_id refers to an unknown loan",
        col("loan_id").isNotNull().and(col("__loan_rows").isNull())));
    addIf(repLoanRules, repLoanRefs && ok.test("repayments.due_date"),
        new Rule("due_date", "due_date not before the loan's disbursed_date",
            col("due_date").isNotNull().and(col("due_date").lt(col("__loan_disbursed")))));
    Column repKey = concat_ws("#", col("loan_id"), col("installment_no").cast(DataTypes.StringType));
    int[] repaymentsAt = {0};
    batch.then(() -> repaymentsAt[0] = violations.size());
    RepaymentChecks repaymentChecks = null;
    boolean labelColumnsOk = Stream.of("loan_id", "installment_no", "due_date", "amount_due", "amount_paid",
        "paid_date").allMatch(c -> ok.test("repayments." + c));
    if (repLoanRefs && labelColumnsOk) {
      repaymentChecks = new RepaymentChecks(reps, r, repLoanRules, loanKeys, repKey, asOfDate);
    } else {
      r.addAll(repLoanRules);
      // The label pass cannot run without these columns; check what can be checked on its own.
      Dataset<Row> repsChecked = repLoanRefs ? reps.typed().join(loanKeys, "loan_id", "left") : reps.typed();
      Map<String, Column> repAfter = new LinkedHashMap<>();
      repAfter.put("after_as_of", col("due_date").gt(asOfDate));
      repAfter.put("paid_after_as_of", col("paid_date").gt(asOfDate));
      // Joined on loan_id, so grouping by (loan_id, installment_no) reuses the join's partitioning.
      rowPass(batch, repsChecked, "repayments", r, repKey, col("paid_date"), repAfter,
          ok.test("repayments.loan_id") && ok.test("repayments.installment_no")
              ? Optional.of(new Unique("loan_id, installment_no", List.of("loan_id", "installment_no"), repKey))
              : Optional.empty(),
          violations, counts, latest);
    }

    // loan_events (optional)
    if (events.isPresent()) {
      r = new ArrayList<>(basicRules(events.get(), broken));
      boolean evLoanRefs = loanKeysOk && ok.test("loan_events.loan_id");
      addIf(r, evLoanRefs, new Rule("loan_id", "loan_id refers to an unknown loan",
          col("loan_id").isNotNull().and(col("__loan_rows").isNull())));
      Dataset<Row> evChecked = evLoanRefs ? events.get().typed().join(loanKeys, "loan_id", "left")
          : events.get().typed();
      rowPass(batch, evChecked, "loan_events", r, concat_ws("@", col("loan_id"), col("event_date").cast(DataTypes.StringType)),
          col("event_date"), Map.of("after_as_of", col("event_date").gt(asOfDate)), Optional.empty(), violations,
          counts, latest);
    }

    batch.run();
    appKeys.unpersist();
    if (repaymentChecks == null) {
      // Otherwise kept for the repayments' pass, and released by Pending.release().
      loanKeys.unpersist();
    }
    return new Pending(violations, counts, latest, inputs, snapshotChecks, repaymentChecks, repaymentsAt[0]);
  }

  /**
   * Adds the snapshot and repayment results to the other checks and fails once with every problem
   * found, or returns the inputs parsed.
   *
   * @param snapshotRowMetrics the values of {@link SnapshotChecks#rowMetrics()}, by name
   * @param snapshotKeyMetrics the value of {@link SnapshotChecks#duplicateMetric()}, by name
   * @param repaymentRowMetrics the values of {@link RepaymentChecks#rowMetrics()}, by name
   * @param repaymentKeyMetrics the value of {@link RepaymentChecks#unprovenKeysMetric()}, by name
   * @throws com.creditrisk.errors.CreditRiskException with exit code 3 listing every violation
   */
  public static ValidatedInputs finish(Pending pending, Map<String, Object> snapshotRowMetrics,
      Map<String, Object> snapshotKeyMetrics, Map<String, Object> repaymentRowMetrics, Map<String, Object> repaymentKeyMetrics, CreditRiskConfig conf,
      LocalDate asOf) {
    List<Violation> violations = new ArrayList<>();
    Map<String, Long> snapCounts = new LinkedHashMap<>();
    List<LocalDate> latest = new ArrayList<>(pending.latest());
    if (pending.snapshotChecks() != null) {
      pending.snapshotChecks().collect(snapshotRowMetrics, snapshotKeyMetrics, violations, snapCounts, latest);
    } else {
      snapCounts.putAll(pending.counts().getOrDefault("score_snapshots", Map.of()));
    }
    List<Violation> others = new ArrayList<>(pending.violations());
    Map<String, Long> repCounts = new LinkedHashMap<>();
    if (pending.repaymentChecks() != null) {
      List<Violation> rep = new ArrayList<>();
      pending.repaymentChecks().collect(repaymentRowMetrics, repaymentKeyMetrics, rep, repCounts, latest);
      others.addAll(pending.repaymentsAt(), rep);
    } else {
      repCounts.putAll(pending.counts().getOrDefault("repayments", Map.of()));
    }
    violations.addAll(others);
    if (!violations.isEmpty()) {
      throw Errors.badInput(format(violations));
    }
    // In the contract's table order, whichever pass counted them.
    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    for (InputTable t : InputTable.values()) {
      Map<String, Long> c = switch (t) {
        case SCORE_SNAPSHOTS -> snapCounts;
        case REPAYMENTS -> repCounts;
        default -> pending.counts().get(t.tableName());
      };
      if (c != null) {
        counts.put(t.tableName(), c);
      }
    }
    LocalDate extract = conf.extractDate().orElseGet(() ->
        latest.stream().max(LocalDate::compareTo).orElse(asOf));
    Map<InputTable, RawInput> inputs = pending.inputs();
    Map<String, Map<String, Object>> sources = new LinkedHashMap<>();
    for (RawInput in : inputs.values()) {
      sources.put(in.table().tableName(), in.source());
    }
    return new ValidatedInputs(parsed(inputs.get(InputTable.SCORE_SNAPSHOTS)),
        parsed(inputs.get(InputTable.APPLICATIONS)), parsed(inputs.get(InputTable.LOANS)),
        parsed(inputs.get(InputTable.REPAYMENTS)),
        Optional.ofNullable(inputs.get(InputTable.LOAN_EVENTS)).map(ContractValidator::parsed),
        extract, counts, sources);
  }

  private static void addIf(List<Rule> rules, boolean applicable, Rule rule) {
    if (applicable) {
      rules.add(rule);
    }
  }

  /** Not-null and parse rules that every contract column carries, except columns already reported broken. */
  static List<Rule> basicRules(RawInput in, Set<String> broken) {
    List<Rule> rules = new ArrayList<>();
    for (ColumnSpec c : in.table().columns()) {
      if (broken.contains(in.table().tableName() + "." + c.name())) {
        continue;
      }
      rules.add(new Rule(c.name(), "value does not parse as " + c.type().label(), in.parseFailures().get(c.name())));
      if (!c.nullable()) {
        rules.add(new Rule(c.name(), "not null", in.rawNull().get(c.name())));
      }
    }
    return rules;
  }

  private static void rowPass(Batch batch, Dataset<Row> df, String table, List<Rule> rules, Column key,
      Column latestDate, Map<String, Column> countConditions, Optional<Unique> unique, List<Violation> out,
      Map<String, Map<String, Long>> counts, List<LocalDate> latest) {
    // Per-row indicators; with a unique key they are first summed per key, then over keys.
    List<Column> perRow = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Column> e : countConditions.entrySet()) {
      perRow.add(when(e.getValue(), 1L).otherwise(0L));
      names.add(e.getKey());
    }
    for (int i = 0; i < rules.size(); i++) {
      perRow.add(when(rules.get(i).failing(), 1L).otherwise(0L));
      names.add("v" + i);
    }
    Dataset<Row> source;
    Column rowsExpr;
    Column latestExpr;
    Column dupExpr = lit(0L);
    Dataset<Row> groups = null;
    if (unique.isPresent()) {
      List<Column> groupAggs = new ArrayList<>();
      groupAggs.add(max(latestDate).as("__latest"));
      for (int i = 0; i < perRow.size(); i++) {
        groupAggs.add(sum(perRow.get(i)).as(names.get(i)));
      }
      Column[] keys = unique.get().keyColumns().stream().map(k -> col(k)).toArray(Column[]::new);
      groups = df.groupBy(keys).agg(count(lit(1)).as("__n"), groupAggs.toArray(new Column[0]));
      Column keyPresent = lit(true);
      for (Column k : keys) {
        keyPresent = keyPresent.and(k.isNotNull());
      }
      source = groups;
      rowsExpr = sum(col("__n"));
      latestExpr = max(col("__latest"));
      dupExpr = sum(when(col("__n").gt(1).and(keyPresent), col("__n")).otherwise(0L));
      groups = groups.filter(col("__n").gt(1).and(keyPresent));
    } else {
      List<Column> cols = new ArrayList<>();
      cols.add(latestDate.as("__latest"));
      for (int i = 0; i < perRow.size(); i++) {
        cols.add(perRow.get(i).as(names.get(i)));
      }
      source = df.select(cols.toArray(new Column[0]));
      rowsExpr = count(lit(1));
      latestExpr = max(col("__latest"));
    }
    List<Column> aggs = new ArrayList<>();
    aggs.add(latestExpr);
    aggs.add(coalesce(dupExpr, lit(0L)));
    for (String n : names) {
      aggs.add(coalesce(sum(col(n)), lit(0L)));
    }
    Dataset<Row> duplicates = groups;
    batch.add(source.agg(coalesce(rowsExpr, lit(0L)), aggs.toArray(new Column[0])), (agg, at) -> {
      Map<String, Long> c = new LinkedHashMap<>();
      c.put("rows", agg.getLong(at));
      if (!agg.isNullAt(at + 1)) {
        latest.add(((java.sql.Date) agg.get(at + 1)).toLocalDate());
      }
      long dupRows = agg.getLong(at + 2);
      int pos = at + 3;
      for (String name : countConditions.keySet()) {
        c.put(name, agg.getLong(pos++));
      }
      counts.put(table, c);
      for (int i = 0; i < rules.size(); i++) {
        long n = agg.getLong(pos + i);
        if (n > 0) {
          Rule rule = rules.get(i);
          out.add(new Violation(table, rule.column(), rule.rule(), n, examples(df.filter(rule.failing()), key)));
        }
      }
      if (dupRows > 0) {
        out.add(new Violation(table, unique.get().columns(), "unique (rows sharing a key)", dupRows,
            examples(duplicates, unique.get().exampleKey())));
      }
    });
  }

  private static void duplicateKeys(Batch batch, Dataset<Row> grouped, String table, String columns, Column key,
      Column n, List<Violation> out) {
    Dataset<Row> dups = grouped.filter(n.gt(1));
    batch.add(dups.agg(coalesce(sum(n), lit(0L))), (agg, at) -> {
      long rows = agg.getLong(at);
      if (rows > 0) {
        out.add(new Violation(table, columns, "unique (rows sharing a key)", rows, examples(dups, key)));
      }
    });
  }

  /**
   * The one-row aggregates of the checks on the smaller tables, run as one query: Spark plans them
   * once and runs their independent stages side by side, instead of one query after another. Results are read back in the order the checks were added,
   * so violations and counts keep the contract's table order.
   */
  private static final class Batch {
    /** Reads one check's aggregate from the combined row, starting at a column. */
    interface Reader {
      void read(Row row, int at);
    }

    private final List<Dataset<Row>> aggregates = new ArrayList<>();
    private final List<Reader> readers = new ArrayList<>();

    void add(Dataset<Row> oneRow, Reader reader) {
      aggregates.add(oneRow);
      readers.add(reader);
    }

    /** Something to do once the checks added so far have been read, in order with them. */
    void then(Runnable step) {
      aggregates.add(null);
      readers.add((row, at) -> step.run());
    }

    void run() {
      Dataset<Row> all = null;
      for (int i = 0; i < aggregates.size(); i++) {
        Dataset<Row> a = aggregates.get(i);
        if (a != null) {
          String[] names = new String[a.columns().length];
          for (int j = 0; j < names.length; j++) {
            names[j] = "c" + i + "_" + j;
          }
          // Each aggregate has exactly one row, so the cross join is one row too.
          all = all == null ? a.toDF(names) : all.crossJoin(a.toDF(names));
        }
      }
      Row row = all == null ? null : all.first();
      int at = 0;
      for (int i = 0; i < aggregates.size(); i++) {
        readers.get(i).read(row, at);
        at += aggregates.get(i) == null ? 0 : aggregates.get(i).columns().length;
      }
    }
  }

  private static List<String> examples(Dataset<Row> failing, Column key) {
    List<String> ex = new ArrayList<>();
    for (Row row : failing.select(coalesce(key.cast(DataTypes.StringType), lit("<null key>"))).limit(EXAMPLES)
        .collectAsList()) {
      ex.add(row.getString(0));
    }
    return ex;
  }

  /** The contract columns of an input, parsed (helper columns of the checks dropped). */
  public static Dataset<Row> parsed(RawInput in) {
    return in.typed().select(in.table().columns().stream().map(c -> col(c.name())).toArray(Column[]::new));
  }

  static String format(List<Violation> violations) {
    StringBuilder sb = new StringBuilder();
    sb.append(violations.size()).append(" problem").append(violations.size() == 1 ? "" : "s").append(" found:");
    for (Violation v : violations) {
      sb.append("\n  - ").append(v.describe());
    }
    return sb.toString();
  }

}
