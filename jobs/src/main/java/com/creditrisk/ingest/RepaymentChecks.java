package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.bit_count;
import static org.apache.spark.sql.functions.bit_or;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import com.creditrisk.contract.ContractRule;
import com.creditrisk.contract.ContractRule.PerLoan;
import com.creditrisk.contract.ContractRule.Unique;
import com.creditrisk.contract.InputContract;
import com.creditrisk.contract.InputTable;
import com.creditrisk.contract.KeyTable;
import com.creditrisk.contract.Schedule;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The repayment rules, to be evaluated in the pass that also computes the loans' days past due
 * ({@link com.creditrisk.labels.LoanPerformance#dpdByLoan}): the repayments, the largest input
 * after the snapshots, are then shuffled once (by loan_id, joined with the loan keys), for their
 * checks and their labels together.
 */
public final class RepaymentChecks {
  /** The contract columns the labels need: when one is broken the pass cannot run. */
  static final List<String> COLUMNS = List.of("loan_id", "installment_no", "due_date", "amount_due", "amount_paid",
      "paid_date");

  private final RawInput in;
  private final List<CheckedRule> rowRules;
  private final List<CheckedRule> loanRules;
  private final ContractRule unique;
  private final List<ContractRule> coverage;
  private final List<ContractRule> perLoan;
  private final Dataset<Row> loanKeys;
  private final Map<KeyTable, Long> keyCounts;
  private final AsOfCounts asOf;

  /**
   * @param rowRules the rules on the row alone
   * @param loanRules the rules against the repayment's loan, after the join with {@code loanKeys}
   * @param unique the rule on (loan_id, installment_no), proven per loan by {@link #keyProof()}
   * @param perLoan the rules on all the installment rows of a loan, over {@link Schedule}'s aggregates
   * @param coverage the loans' rule that every loan has an installment row, if it applies
   * @param keyCounts the distinct keys of the key tables, filled in before {@link #collect} reads them
   */
  RepaymentChecks(RawInput in, List<CheckedRule> rowRules, List<CheckedRule> loanRules, ContractRule unique,
      List<ContractRule> perLoan, List<ContractRule> coverage, Dataset<Row> loanKeys, Map<KeyTable, Long> keyCounts, AsOfCounts asOf) {
    if (rowRules.size() + loanRules.size() > 31) {
      throw new IllegalArgumentException("Too many repayment rules for one flag column: "
          + (rowRules.size() + loanRules.size()));
    }
    if (!((Unique) unique.check()).columns().equals(List.of("loan_id", "installment_no"))) {
      throw new IllegalArgumentException("The repayments' pass proves (loan_id, installment_no), not "
          + unique.column());
    }
    this.in = in;
    this.rowRules = List.copyOf(rowRules);
    this.loanRules = List.copyOf(loanRules);
    this.unique = unique;
    this.perLoan = List.copyOf(perLoan);
    this.coverage = List.copyOf(coverage);
    this.loanKeys = loanKeys;
    this.keyCounts = keyCounts;
    this.asOf = asOf;
  }

  /**
   * Whether the pass can run, given the columns reported broken ("table.column") and whether the
   * repayments' references to the loans apply (the pass joins every row to its loan).
   */
  static boolean canRun(Set<String> broken, boolean loanReferences) {
    return loanReferences
        && COLUMNS.stream().noneMatch(c -> broken.contains(InputTable.REPAYMENTS.tableName() + "." + c));
  }

  /** The loan keys the pass joins; kept on disk until {@link ContractValidator.Pending#release()}. */
  Dataset<Row> loanKeys() {
    return loanKeys;
  }

  /**
   * The contract columns the labels need (loan_id, installment_no, due_date, amount_due,
   * amount_paid, paid_date), the loan's {@code __loan_disbursed} (null for an unknown loan),
   * {@code __loan_known} (the loan is in loans), and
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
        .join(loanKeys.select(col("loan_id"), col(KeyTable.LOAN_ROWS), col(KeyTable.LOAN_DISBURSED))
                .hint("shuffle_hash"), "loan_id", "left")
        .select(col("loan_id"), col("installment_no"), col("due_date"), col("amount_due"), col("amount_paid"),
            col("paid_date"), col(KeyTable.LOAN_DISBURSED), col(KeyTable.LOAN_ROWS).isNotNull().as("__loan_known"),
            flags.as("__rep_flags"));
  }

  /** Aggregates over the rows of {@link #flagged()}: rows, dates and rule counts. */
  public List<Column> rowMetrics() {
    List<Column> m = new ArrayList<>();
    m.add(count(lit(1)).as("rows"));
    m.add(max(asOf.latest()).as("latest"));
    asOf.conditions().forEach((name, c) -> m.add(sum(when(c, 1L).otherwise(0L)).as(name)));
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
    List<Column> aggs = new ArrayList<>(Schedule.aggregates());
    aggs.add(bit_or(when(n.between(0, 63), call_function("shiftleft", lit(1L), n))).as("__numbers"));
    // Whether the loan is in loans: the loans met here are those with an installment row.
    aggs.add(max(when(col("__loan_known"), 1).otherwise(0)).as("__loan_known"));
    return aggs;
  }

  /**
   * Over per-loan rows with {@link #keyProof()}: the loans whose installment numbers are not
   * proven distinct, the known loans that have an installment row, and the loans that break each
   * per-loan rule.
   */
  public List<Column> loanMetrics() {
    Column loan = col("loan_id").isNotNull();
    // Loans with a blank key are not counted as keys (TablePass), so not here either.
    Column keyed = loan.and(trim(col("loan_id")).notEqual(""));
    List<Column> m = new ArrayList<>(List.of(
        sum(when(loan.and(coalesce(bit_count(col("__numbers")), lit(0)).notEqual(col(Schedule.NUMBERED))), 1L)
            .otherwise(0L)).as("unproven_loans"),
        sum(when(keyed, col("__loan_known")).otherwise(0L)).as("loans_with_installments")));
    for (int i = 0; i < perLoan.size(); i++) {
      Column failing = ((PerLoan) perLoan.get(i).check()).failing();
      m.add(sum(when(loan.and(coalesce(failing, lit(false))), 1L).otherwise(0L)).as("per_loan_" + i));
    }
    return m;
  }

  /** Reads the pass's metrics into violations, counts and the latest date. */
  void collect(Map<String, Object> rowMetrics, Map<String, Object> keyMetrics, List<Violation> out,
      Map<String, Long> counts, List<LocalDate> latest) {
    counts.put("rows", Examples.number(rowMetrics.get("rows")));
    asOf.conditions().keySet().forEach(name -> counts.put(name, Examples.number(rowMetrics.get(name))));
    Examples.addDate(rowMetrics.get("latest"), latest);
    List<CheckedRule> rules = new ArrayList<>(rowRules);
    rules.addAll(loanRules);
    // Examples only when a rule fails: a second look at the failing rows, never on valid inputs.
    Dataset<Row> checked = in.typed().join(loanKeys, "loan_id", "left");
    Column key = InputContract.exampleKey(InputTable.REPAYMENTS);
    for (int i = 0; i < rules.size(); i++) {
      long n = Examples.number(rowMetrics.get("rule_" + i));
      if (n > 0) {
        CheckedRule rule = rules.get(i);
        out.add(new Violation(InputTable.REPAYMENTS.tableName(), rule.column(), rule.wording(), n,
            Examples.of(checked.filter(rule.failing()), rule.exampleKey(key))));
      }
    }
    // Beyond what the bit sets prove, the table is looked at again, exactly.
    List<String> keyColumns = ((Unique) unique.check()).columns();
    long duplicateRows = Examples.number(keyMetrics.get("unproven_loans")) == 0 ? 0L
        : Examples.sharedKeyRows(in, keyColumns);
    Examples.reportSharedKeys(in, unique, duplicateRows, out);
    for (int i = 0; i < perLoan.size(); i++) {
      long n = Examples.number(keyMetrics.get("per_loan_" + i));
      if (n > 0) {
        ContractRule r = perLoan.get(i);
        List<Column> aggs = Schedule.aggregates();
        Dataset<Row> loansFailing = in.typed().filter(col("loan_id").isNotNull()).groupBy("loan_id")
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
            .filter(((PerLoan) r.check()).failing());
        out.add(new Violation(r.table().tableName(), r.column(), r.wording(), n,
            Examples.of(loansFailing, col("loan_id")), "loan"));
      }
    }
    Long loans = keyCounts.get(KeyTable.LOANS_BY_ID);
    for (ContractRule c : coverage) {
      if (loans == null) {
        continue; // the loans' keys were not counted (their key column is broken): reported instead
      }
      long uncovered = loans - Examples.number(keyMetrics.get("loans_with_installments"));
      if (uncovered > 0) {
        out.add(new Violation(c.table().tableName(), c.column(), c.wording(), uncovered,
            Examples.of(loanKeys.filter(trim(col("loan_id")).notEqual(""))
                .join(in.typed().select(col("loan_id")), "loan_id", "left_anti"), col("loan_id"))));
      }
    }
  }
}
