package com.creditrisk.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import com.creditrisk.config.CreditRiskConfig;
import com.creditrisk.contract.ContractRule;
import com.creditrisk.contract.ContractRule.Covered;
import com.creditrisk.contract.ContractRule.Overall;
import com.creditrisk.contract.ContractRule.PerLoan;
import com.creditrisk.contract.ContractRule.Reference;
import com.creditrisk.contract.ContractRule.Unique;
import com.creditrisk.contract.InputContract;
import com.creditrisk.contract.InputTable;
import com.creditrisk.contract.KeyTable;
import com.creditrisk.errors.Errors;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Checks every input against the rules of {@link InputContract} on the full data and collects
 * every problem before failing once (exit 3), so the lender fixes the extract in one round. Row
 * rules of a table are evaluated in one aggregate pass; keys and references need one grouped pass
 * each. The passes over the smaller tables run as one query ({@link TablePass}, {@link BatchQuery});
 * the two largest inputs are checked inside the passes that compute from them
 * ({@link SnapshotChecks}, {@link RepaymentChecks}).
 */
public final class ContractValidator {
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
        repaymentChecks.loanKeys().unpersist();
      }
    }
  }

  /**
   * Runs the checks of every table except the snapshots' and the repayments', which come back as
   * {@link SnapshotChecks} and {@link RepaymentChecks} for the caller's passes; {@link #finish}
   * then reports everything at once.
   *
   * <p>{@link Pending#snapshotChecks()} (or {@link Pending#repaymentChecks()}) is null when its
   * input lacks a column its pass needs: what can be checked without the pass is then checked
   * here, the inputs are invalid anyway, and {@link #finish} reports every problem found.
   *
   * @param asOf the run's as-of date; only used to count rows dated after it
   */
  public static Pending check(Map<InputTable, RawInput> inputs, CreditRiskConfig conf, LocalDate asOf) {
    InputContract contract = InputContract.of(conf.scoreMin(), conf.scoreMax());
    List<Violation> violations = new ArrayList<>();
    // A missing or mistyped column is reported, and every rule that needs it is skipped; all other
    // rules still run, so one message lists every problem found.
    Set<String> broken = new HashSet<>();
    for (RawInput in : inputs.values()) {
      violations.addAll(in.schemaViolations());
      in.schemaViolations().forEach(v -> broken.add(v.table() + "." + v.column()));
    }

    // Used by several checks each: computed once, kept on disk, not on the heap.
    Map<KeyTable, Dataset<Row>> keys = new EnumMap<>(KeyTable.class);
    for (KeyTable k : KeyTable.values()) {
      List<Column> aggs = k.aggregates();
      keys.put(k, inputs.get(k.table()).typed().filter(col(k.key()).isNotNull()).groupBy(k.key())
          .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
          .persist(StorageLevel.DISK_ONLY()));
    }

    Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    List<LocalDate> latest = new ArrayList<>();
    Map<KeyTable, Long> keyCounts = new EnumMap<>(KeyTable.class);
    BatchQuery batch = new BatchQuery();
    TablePass tablePass = new TablePass(batch, keys, violations, counts, latest, keyCounts);
    // The loans' coverage by repayments is counted by the repayments' pass (which meets every
    // loan that has an installment row), against the distinct loans the loans' key check counts.
    List<ContractRule> coverage = new ArrayList<>();
    SnapshotChecks snapshotChecks = null;
    RepaymentChecks repaymentChecks = null;
    int[] repaymentsAt = {0};
    for (InputTable t : InputTable.values()) {
      RawInput in = inputs.get(t);
      if (in == null) {
        continue; // an optional table that is not configured
      }
      List<ContractRule> rules = contract.rules(t).stream()
          .filter(r -> r.neededColumns().stream().noneMatch(broken::contains)).toList();
      AsOfCounts asOfCounts = AsOfCounts.of(t, asOf);
      rules.stream().filter(r -> r.check() instanceof Covered).forEach(coverage::add);
      if (t == InputTable.SCORE_SNAPSHOTS) {
        if (SnapshotChecks.canRun(broken)) {
          // Whether some application has a usable score is counted over the feature pass's
          // applications, which needs their customer and time.
          boolean appsReadable = !broken.contains("applications.customer_id")
              && !broken.contains("applications.application_time");
          Optional<ContractRule> usableScore = rules.stream().filter(r -> r.check() instanceof Overall)
              .filter(r -> appsReadable).findFirst();
          Dataset<Row> appsAsOf = inputs.get(InputTable.APPLICATIONS).typed()
              .filter(not(AsOfCounts.of(InputTable.APPLICATIONS, asOf).conditions().get("after_as_of")));
          snapshotChecks = new SnapshotChecks(in, rowRules(rules, in),
              unique(rules.stream().filter(r -> !(r.check() instanceof Overall)).toList()), asOfCounts,
              usableScore, appsAsOf);
        } else {
          // Without the feature pass the key is not checked; the row rules that can run, are.
          tablePass.add(in, rules.stream().filter(r -> !(r.check() instanceof Unique)).toList(), asOfCounts);
        }
      } else if (t == InputTable.REPAYMENTS) {
        batch.then(() -> repaymentsAt[0] = violations.size());
        boolean loanReferences = rules.stream().anyMatch(r -> r.check() instanceof Reference);
        if (RepaymentChecks.canRun(broken, loanReferences)) {
          // Rules on the row alone are packed before the join with the loans, references after it.
          repaymentChecks = new RepaymentChecks(in,
              rowRules(rules.stream().filter(r -> !(r.check() instanceof Reference)).toList(), in),
              rowRules(rules.stream().filter(r -> r.check() instanceof Reference).toList(), in),
              unique(rules), rules.stream().filter(r -> r.check() instanceof PerLoan).toList(), coverage,
              keys.get(KeyTable.LOANS_BY_ID), keyCounts, asOfCounts);
        } else {
          tablePass.add(in, rules, asOfCounts);
        }
      } else {
        tablePass.add(in, rules, asOfCounts);
      }
    }

    batch.run();
    keys.get(KeyTable.APPLICATIONS_BY_ID).unpersist();
    if (repaymentChecks == null) {
      // Otherwise kept for the repayments' pass, and released by Pending.release().
      keys.get(KeyTable.LOANS_BY_ID).unpersist();
    }
    return new Pending(violations, counts, latest, inputs, snapshotChecks, repaymentChecks, repaymentsAt[0]);
  }

  private static List<CheckedRule> rowRules(List<ContractRule> rules, RawInput in) {
    return rules.stream().filter(CheckedRule::isRowRule).map(r -> CheckedRule.of(r, in)).toList();
  }

  /** The one unique rule of a table checked by a computing pass. */
  private static ContractRule unique(List<ContractRule> rules) {
    List<ContractRule> u = rules.stream().filter(r -> r.check() instanceof Unique).toList();
    if (u.size() != 1) {
      throw new IllegalStateException("A computing pass checks one unique key, not " + u.size());
    }
    return u.get(0);
  }

  /**
   * Adds the snapshot and repayment results to the other checks and fails once with every problem
   * found, or returns the inputs parsed.
   *
   * @param snapshotRowMetrics the values of {@link SnapshotChecks#rowMetrics()}, by name
   * @param snapshotKeyMetrics the values of {@link SnapshotChecks#duplicateMetric()} and
   *     {@link SnapshotChecks#scoreUseMetrics()}, by name
   * @param repaymentRowMetrics the values of {@link RepaymentChecks#rowMetrics()}, by name
   * @param repaymentKeyMetrics the values of {@link RepaymentChecks#loanMetrics()}, by name
   * @throws com.creditrisk.errors.CreditRiskException with exit code 3 listing every violation
   */
  public static ValidatedInputs finish(Pending pending, Map<String, Object> snapshotRowMetrics,
      Map<String, Object> snapshotKeyMetrics, Map<String, Object> repaymentRowMetrics,
      Map<String, Object> repaymentKeyMetrics, CreditRiskConfig conf, LocalDate asOf) {
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
      throw Errors.badInput(ContractMessage.format(violations));
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

  /** The contract columns of an input, parsed (helper columns of the checks dropped). */
  public static Dataset<Row> parsed(RawInput in) {
    return in.typed().select(in.table().columns().stream().map(c -> col(c.name())).toArray(Column[]::new));
  }
}
