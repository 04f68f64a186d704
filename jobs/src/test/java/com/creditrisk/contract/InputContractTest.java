package com.creditrisk.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.apache.spark.sql.functions.lit;

import com.creditrisk.contract.ContractRule.Reference;
import com.creditrisk.contract.ContractRule.RowCondition;
import com.creditrisk.contract.ContractRule.Unique;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The declaration of the input contract and its two renderings. No Spark session needed. */
class InputContractTest {
  static final InputContract CONTRACT = InputContract.of(350, 950);

  @Test
  void everyRuleIsDeclaredOnceAndNamesAColumnOfItsTable() {
    Set<String> seen = new HashSet<>();
    for (ContractRule r : CONTRACT.rules()) {
      assertTrue(seen.add(r.table() + "|" + r.column() + "|" + r.wording()), "declared twice: " + r);
      List<String> columns = r.check() instanceof Unique u ? u.columns()
          : r.check() instanceof ContractRule.FieldCount ? List.of() : List.of(r.column());
      columns.forEach(c -> assertTrue(r.table().column(c).isPresent(), r + " names " + c));
    }
  }

  @Test
  void eachTableReportsColumnRulesThenRowRulesThenReferencesThenKeysThenPassRules() {
    // The rules a computing pass checks (coverage, per loan, table) are reported after the keys.
    List<RuleKind> order = List.of(RuleKind.ROW, RuleKind.REFERENCE, RuleKind.UNIQUE, RuleKind.COVERAGE,
        RuleKind.PER_LOAN, RuleKind.TABLE);
    for (InputTable t : InputTable.values()) {
      List<ContractRule> rules = CONTRACT.rules(t);
      int last = -1;
      boolean declared = false;
      for (ContractRule r : rules) {
        int at = order.indexOf(r.kind());
        if (at < 0) {
          assertTrue(!declared, t + ": a column rule after the declared ones: " + r);
          continue;
        }
        declared = true;
        int previous = last;
        assertTrue(at >= previous, () -> t + ": " + r.kind() + " after " + order.get(previous));
        last = at;
      }
    }
  }

  @Test
  void columnRulesFollowTheColumnSpecs() {
    // score_snapshots.source is optional and nullable: only its type and parse rules apply.
    List<String> source = CONTRACT.rules(InputTable.SCORE_SNAPSHOTS).stream()
        .filter(r -> r.column().equals("source")).map(ContractRule::wording).toList();
    assertEquals(List.of("wrong type <source type>, expected string", "value does not parse as string"), source);
    List<String> loanId = CONTRACT.rules(InputTable.LOANS).stream()
        .filter(r -> r.column().equals("loan_id")
            && List.of(RuleKind.COLUMN, RuleKind.PARSE, RuleKind.NOT_NULL).contains(r.kind())).map(ContractRule::wording).toList();
    assertEquals(List.of("missing column (map it with inputs.loans.columns.loan_id)",
        "wrong type <source type>, expected string", "value does not parse as string", "not null"), loanId);
  }

  @Test
  void theScoreRangeRuleUsesTheConfiguredBounds() {
    assertTrue(InputContract.of(300, 900).rules(InputTable.SCORE_SNAPSHOTS).stream()
        .anyMatch(r -> r.wording().equals("score within [300, 900] (score.min..score.max)")));
  }

  @Test
  void aReferenceNeedsTheColumnsOfTheTableItLooksUp() {
    ContractRule unknownLoan = CONTRACT.rules(InputTable.REPAYMENTS).stream()
        .filter(r -> r.wording().equals("loan_id refers to an unknown loan")).findFirst().orElseThrow();
    assertEquals(List.of("repayments.loan_id", "loans.loan_id", "loans.disbursed_date", "loans.application_id"),
        unknownLoan.neededColumns());
  }

  @Test
  void aRuleOnAColumnTheTableLacksIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ContractRule(
        InputTable.LOANS, "rate", "rate >= 0", List.of("rate"), new RowCondition(lit(false))));
    assertTrue(e.getMessage().contains("needs rate, not a column of LOANS"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ContractRule(InputTable.LOANS, "application_id",
        "x", List.of("principal"), new Reference(KeyTable.APPLICATIONS_BY_ID, lit(false))));
    assertTrue(e.getMessage().contains("must need its join column application_id"), e.getMessage());
  }

  @Test
  void theTextListsEveryRuleWithColumnKindAndWording() {
    String text = ContractDocs.text(CONTRACT);
    for (ContractRule r : CONTRACT.rules()) {
      assertTrue(text.lines().anyMatch(l -> l.trim().startsWith(ContractDocs.column(r) + " ")
              && l.contains(" " + ContractDocs.kind(r) + " ") && l.endsWith(" " + r.wording())),
          "no line for " + r + " in:\n" + text);
    }
    assertTrue(text.startsWith("Input contract: " + CONTRACT.rules().size() + " rules on 5 tables."), text);
  }

  @Test
  void theMarkdownListsEveryRuleInItsTablesSection() {
    String md = ContractDocs.markdown(CONTRACT);
    for (ContractRule r : CONTRACT.rules()) {
      String section = md.substring(md.indexOf("\n## " + r.table().tableName()));
      String next = section.substring(4);
      section = next.contains("\n## ") ? next.substring(0, next.indexOf("\n## ")) : next;
      assertTrue(section.contains("| " + ContractDocs.column(r) + " | " + ContractDocs.kind(r) + " | `" + r.wording() + "` |"),
          "no row for " + r + " in:\n" + section);
    }
    assertTrue(md.contains(ContractDocs.REGENERATE), md);
  }
}
