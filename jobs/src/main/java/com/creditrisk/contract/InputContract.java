package com.creditrisk.contract;

import static com.creditrisk.contract.InputTable.APPLICATIONS;
import static com.creditrisk.contract.InputTable.LOANS;
import static com.creditrisk.contract.InputTable.LOAN_EVENTS;
import static com.creditrisk.contract.InputTable.REPAYMENTS;
import static com.creditrisk.contract.InputTable.SCORE_SNAPSHOTS;
import static com.creditrisk.contract.KeyTable.APPLICATIONS_BY_ID;
import static com.creditrisk.contract.KeyTable.APPLICATION_APPROVED;
import static com.creditrisk.contract.KeyTable.APPLICATION_LOAN;
import static com.creditrisk.contract.KeyTable.APPLICATION_TIME;
import static com.creditrisk.contract.KeyTable.APPLICATION_ROWS;
import static com.creditrisk.contract.KeyTable.LOANS_BY_ID;
import static com.creditrisk.contract.KeyTable.LOAN_APPLICATION;
import static com.creditrisk.contract.KeyTable.LOAN_DISBURSED;
import static com.creditrisk.contract.KeyTable.LOAN_ROWS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;

import com.creditrisk.contract.ContractRule.Covered;
import com.creditrisk.contract.ContractRule.FieldCount;
import com.creditrisk.contract.ContractRule.Finite;
import com.creditrisk.contract.ContractRule.NotNull;
import com.creditrisk.contract.ContractRule.Overall;
import com.creditrisk.contract.ContractRule.Parses;
import com.creditrisk.contract.ContractRule.PerLoan;
import com.creditrisk.contract.ContractRule.Present;
import com.creditrisk.contract.ContractRule.Reference;
import com.creditrisk.contract.ContractRule.RowCondition;
import com.creditrisk.contract.ContractRule.Unique;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;

/**
 * Every rule of the input contract (DESIGN.md, "Inputs"), declared once: what the validator
 * checks, the wording its exit-3 message uses, and what {@code credit-risk contract} and
 * docs/contract.md list. The column rules (present, parses, not null) follow from the column
 * specs of {@link InputTable}; the others are declared below, per table in the order the message
 * reports them.
 */
public final class InputContract {
  /**
   * The identifier columns (DESIGN.md, "Data protection"): the keys of a customer, an application
   * and a loan, in whichever table carries them. Only row-level tables may hold them;
   * privacy.pseudonymize replaces them by tokens, and bin leaves them out.
   */
  public static final List<String> IDENTIFIER_COLUMNS = List.of("customer_id", "application_id", "loan_id");

  /** The wording of every {@link RuleKind#UNIQUE} rule. */
  public static final String UNIQUE_WORDING = "unique (rows sharing a key)";

  /** The wording of every {@link RuleKind#FINITE} rule. */
  public static final String FINITE_WORDING = "finite number (not NaN or Infinity)";

  /** The wording of every {@link RuleKind#FIELD_COUNT} rule. */
  public static final String FIELD_COUNT_WORDING = "row with a field count other than the header's";

  private final int scoreMin;
  private final int scoreMax;
  private final List<ContractRule> rules;

  private InputContract(int scoreMin, int scoreMax) {
    this.scoreMin = scoreMin;
    this.scoreMax = scoreMax;
    List<ContractRule> declared = declared();
    List<ContractRule> all = new ArrayList<>();
    for (InputTable t : InputTable.values()) {
      all.addAll(columnRules(t));
      declared.stream().filter(r -> r.table() == t).forEach(all::add);
    }
    this.rules = List.copyOf(all);
  }

  /**
   * The contract of a run: the only configured part is the score range (conf score.min and
   * score.max), which the contract takes as values so that it depends on no configuration code.
   */
  public static InputContract of(int scoreMin, int scoreMax) {
    return new InputContract(scoreMin, scoreMax);
  }

  /** Every rule, in the contract's table order. */
  public List<ContractRule> rules() {
    return rules;
  }

  /** The rules of one table, in the order its problems are reported. */
  public List<ContractRule> rules(InputTable table) {
    return rules.stream().filter(r -> r.table() == table).toList();
  }

  public int scoreMin() {
    return scoreMin;
  }

  public int scoreMax() {
    return scoreMax;
  }

  private List<ContractRule> declared() {
    Column snapshotKey = exampleKey(SCORE_SNAPSHOTS);
    return List.of(
        row(SCORE_SNAPSHOTS, "score", "score within [" + scoreMin + ", " + scoreMax + "] (score.min..score.max)",
            col("score").isNotNull().and(col("score").lt(scoreMin).or(col("score").gt(scoreMax)))),
        unique(SCORE_SNAPSHOTS, List.of("customer_id", "score_time"), "", snapshotKey),
        // The product's subject is the score: without one, every model and cutoff is meaningless.
        new ContractRule(SCORE_SNAPSHOTS, "score",
            "at least one application as of the date has a usable score (features.max_score_age_days)",
            List.of("customer_id", "score_time", "score"), new Overall()),

        row(APPLICATIONS, "requested_amount", "requested_amount > 0",
            col("requested_amount").isNotNull().and(col("requested_amount").leq(0))),
        row(APPLICATIONS, "term_months", "term_months > 0",
            col("term_months").isNotNull().and(col("term_months").leq(0))),
        row(APPLICATIONS, "decision", "decision in (approved, rejected)",
            col("decision").isNotNull().and(col("decision").isin("approved", "rejected").unary_$bang())),
        new ContractRule(APPLICATIONS, "loan_id", "loan_id set only when approved", List.of("decision", "loan_id"),
            new RowCondition(col("loan_id").isNotNull().and(col("decision").equalTo("rejected")))),
        // Both loan_id references need decision: they are checked in one join, made only when both apply.
        new ContractRule(APPLICATIONS, "loan_id", "loan_id refers to an unknown loan", List.of("loan_id", "decision"),
            new Reference(LOANS_BY_ID, col("loan_id").isNotNull().and(col(LOAN_ROWS).isNull()))),
        new ContractRule(APPLICATIONS, "loan_id", "loan_id refers to a loan of another application",
            List.of("loan_id", "decision"),
            new Reference(LOANS_BY_ID, col(LOAN_ROWS).isNotNull().and(col(LOAN_APPLICATION).notEqual(col("application_id")))
                // A rejected application's loan_id is already reported by "set only when approved".
                .and(col("decision").notEqual("rejected")))),
        unique(APPLICATIONS, List.of("application_id"), "", col("application_id")),

        row(LOANS, "principal", "principal > 0", col("principal").isNotNull().and(col("principal").leq(0))),
        row(LOANS, "annual_rate", "annual_rate >= 0", col("annual_rate").isNotNull().and(col("annual_rate").lt(0))),
        row(LOANS, "term_months", "term_months > 0", col("term_months").isNotNull().and(col("term_months").leq(0))),
        reference(LOANS, "application_id", "application_id refers to an unknown application", APPLICATIONS_BY_ID,
            col("application_id").isNotNull().and(col(APPLICATION_ROWS).isNull())),
        reference(LOANS, "application_id", "application_id refers to an application that was not approved",
            APPLICATIONS_BY_ID, col(APPLICATION_ROWS).isNotNull().and(col(APPLICATION_APPROVED).equalTo(0))),
        // The two tables must agree on the link both ways: the other way is "loan_id refers to a
        // loan of another application" above.
        new ContractRule(LOANS, "application_id", "application_id refers to an approved application whose loan_id "
            + "is empty", List.of("application_id", "loan_id"), new Reference(APPLICATIONS_BY_ID,
                col(APPLICATION_ROWS).isNotNull().and(col(APPLICATION_APPROVED).equalTo(1))
                    .and(col(APPLICATION_LOAN).isNull())
                    // A loan without a key is reported by its not-null rule.
                    .and(trim(col("loan_id")).notEqual("")), loanAndApplication())),
        // A loan paid out before it was applied for has a window that starts before the decision.
        new ContractRule(LOANS, "disbursed_date", "disbursed_date not before the application's date",
            List.of("application_id", "disbursed_date"), new Reference(APPLICATIONS_BY_ID,
                col("disbursed_date").isNotNull().and(col("disbursed_date").lt(to_date(col(APPLICATION_TIME)))),
                loanAndApplication())),
        unique(LOANS, List.of("application_id"), "one loan per application", col("application_id")),
        unique(LOANS, List.of("loan_id"), "", col("loan_id")),
        // Without it a loan with no installment row has no DPD: never bad by payments, so an empty
        // repayments table would label every loan by its events alone.
        new ContractRule(LOANS, "loan_id", "has an installment row in repayments (the whole schedule as of the extract)",
            List.of("loan_id"), new Covered(REPAYMENTS)),

        row(REPAYMENTS, "installment_no", "installment_no >= 1",
            col("installment_no").isNotNull().and(col("installment_no").lt(1))),
        row(REPAYMENTS, "amount_due", "amount_due >= 0", col("amount_due").isNotNull().and(col("amount_due").lt(0))),
        row(REPAYMENTS, "amount_paid", "amount_paid >= 0",
            col("amount_paid").isNotNull().and(col("amount_paid").lt(0))),
        reference(REPAYMENTS, "loan_id", "loan_id refers to an unknown loan", LOANS_BY_ID,
            col("loan_id").isNotNull().and(col(LOAN_ROWS).isNull())),
        new ContractRule(REPAYMENTS, "due_date", "due_date not before the loan's disbursed_date",
            List.of("loan_id", "due_date"),
            new Reference(LOANS_BY_ID, col("due_date").isNotNull().and(col("due_date").lt(col(LOAN_DISBURSED))))),
        unique(REPAYMENTS, List.of("loan_id", "installment_no"), "", exampleKey(REPAYMENTS)),
        // A missing installment hides its lateness: the label would be computed without it.
        new ContractRule(REPAYMENTS, "installment_no", "installment numbers of a loan run 1..n without gaps",
            List.of("loan_id", "installment_no"),
            new PerLoan(col(Schedule.NUMBERED).lt(col(Schedule.HIGHEST)))),

        reference(LOAN_EVENTS, "loan_id", "loan_id refers to an unknown loan", LOANS_BY_ID,
            col("loan_id").isNotNull().and(col(LOAN_ROWS).isNull())));
  }

  /** A loan named with the application it refers to: {@code L1 (application A1)}. */
  private static Column loanAndApplication() {
    return concat(col("loan_id"), lit(" (application "), col("application_id"), lit(")"));
  }

  private static ContractRule row(InputTable t, String column, String wording, Column failing) {
    return new ContractRule(t, column, wording, List.of(column), new RowCondition(failing));
  }

  private static ContractRule reference(InputTable t, String column, String wording, KeyTable keys,
      Column failing) {
    return new ContractRule(t, column, wording, List.of(column), new Reference(keys, failing));
  }

  private static ContractRule unique(InputTable t, List<String> columns, String note, Column exampleKey) {
    return new ContractRule(t, String.join(", ", columns) + (note.isEmpty() ? "" : " (" + note + ")"),
        UNIQUE_WORDING, columns, new Unique(columns, exampleKey));
  }

  /** The row's field count, then per column: present (if required) and of a usable type, parses, finite (if a double), not null (if not nullable). */
  private static List<ContractRule> columnRules(InputTable t) {
    List<ContractRule> rules = new ArrayList<>();
    // First: a row with a field missing or one too many explains the null or odd cells it causes.
    rules.add(new ContractRule(t, "", FIELD_COUNT_WORDING, List.of(), new FieldCount()));
    for (ColumnSpec c : t.columns()) {
      if (c.required()) {
        rules.add(new ContractRule(t, c.name(), missingColumn(t, c, c.name()), List.of(), new Present()));
      }
      rules.add(new ContractRule(t, c.name(), wrongType(c, "<source type>"), List.of(), new Present()));
      rules.add(new ContractRule(t, c.name(), "value does not parse as " + c.type().label(), List.of(c.name()),
          new Parses()));
      if (c.type() == ColumnType.DOUBLE) {
        rules.add(new ContractRule(t, c.name(), FINITE_WORDING, List.of(c.name()), new Finite()));
      }
      if (!c.nullable()) {
        rules.add(new ContractRule(t, c.name(), "not null", List.of(c.name()), new NotNull()));
      }
    }
    return rules;
  }

  /** The wording for a required column the source lacks, under its own name or the mapped one. */
  public static String missingColumn(InputTable t, ColumnSpec c, String sourceName) {
    return "missing column" + (sourceName.equals(c.name()) ? "" : " '" + sourceName + "'")
        + " (map it with inputs." + t.tableName() + ".columns." + c.name() + ")";
  }

  /** The wording for a source column whose type cannot hold the contract type. */
  public static String wrongType(ColumnSpec c, String sourceType) {
    return "wrong type " + sourceType + ", expected " + c.type().label();
  }

  /** The key a table's example rows are named by in the message. */
  public static Column exampleKey(InputTable t) {
    return switch (t) {
      case SCORE_SNAPSHOTS -> concat_ws("@", col("customer_id"), date_format(col("score_time"), "yyyy-MM-dd HH:mm:ss"));
      case APPLICATIONS -> col("application_id");
      case LOANS -> col("loan_id");
      case REPAYMENTS -> concat_ws("#", col("loan_id"), col("installment_no").cast(DataTypes.StringType));
      case LOAN_EVENTS -> concat_ws("@", col("loan_id"), col("event_date").cast(DataTypes.StringType));
    };
  }
}
